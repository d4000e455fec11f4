import type { ListExecutionsQuery, PipelineExecution } from '@slipway/core';
import type { Kysely } from 'kysely';
import { toExecution, unfinishedStatuses } from './kysely-pipeline-rows.ts';
import type { Schema } from './schema.ts';

/**
 * The execution listings of `KyselyPipelineStore`. Listings by pipeline and of unfinished
 * executions join the pipeline row, so a deleted pipeline's executions are listed no more.
 */
export async function selectExecutions(
  db: Kysely<Schema>,
  query: ListExecutionsQuery,
): Promise<PipelineExecution[]> {
  const { key, before, statuses } = query;
  // `in ()` is no SQL PostgreSQL accepts.
  if (statuses?.length === 0) return [];
  const rows = await db
    .selectFrom('pipeline_executions as e')
    .innerJoin('pipelines as p', 'p.id', 'e.pipeline_id')
    .select(['e.seq', 'e.version', 'e.document'])
    .where('p.account_id', '=', key.accountId)
    .where('p.region', '=', key.region)
    .where('p.name', '=', key.name)
    .$if(before !== undefined, (qb) => qb.where('e.seq', '<', before ?? 0))
    .$if(statuses !== undefined, (qb) => qb.where('e.status', 'in', [...(statuses ?? [])]))
    .orderBy('e.seq', 'desc')
    .limit(query.limit)
    .execute();
  return rows.map(toExecution);
}

/** Ids of unfinished executions due at or before `now`, soonest first. */
export async function selectDue(db: Kysely<Schema>, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('pipeline_executions')
    .select('id')
    .where('due_at', '<=', now)
    .where('status', 'in', unfinishedStatuses)
    .orderBy('due_at')
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function selectNextDue(db: Kysely<Schema>): Promise<number | undefined> {
  const row = await db
    .selectFrom('pipeline_executions')
    .select((eb) => eb.fn.min('due_at').as('next'))
    .where('due_at', 'is not', null)
    .where('status', 'in', unfinishedStatuses)
    .executeTakeFirst();
  return row?.next === null || row?.next === undefined ? undefined : Number(row.next);
}

export async function selectUnfinished(
  db: Kysely<Schema>,
  limit: number,
  afterSeq: number | undefined,
): Promise<PipelineExecution[]> {
  const rows = await db
    .selectFrom('pipeline_executions as e')
    .innerJoin('pipelines as p', 'p.id', 'e.pipeline_id')
    .select(['e.seq', 'e.version', 'e.document'])
    .where('e.status', 'in', unfinishedStatuses)
    .$if(afterSeq !== undefined, (qb) => qb.where('e.seq', '>', afterSeq ?? 0))
    .orderBy('e.seq')
    .limit(limit)
    .execute();
  return rows.map(toExecution);
}
