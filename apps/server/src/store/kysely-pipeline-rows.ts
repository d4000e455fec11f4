import {
  ExecutionStatus,
  terminalExecutionStatuses,
  type Pipeline,
  type PipelineExecution,
  type PipelineRuntime,
  type Random,
  type Tag,
  type TransitionChange,
} from '@slipway/core';
import type { Transaction } from 'kysely';
import { writeJobChanges } from './kysely-job-queue.ts';
import type { Schema } from './schema.ts';

/** Rows of the pipelines component and the writes every transition shares. */

/** Statuses of executions still running (or stopping): the ones due and restart queries see. */
export const unfinishedStatuses: ExecutionStatus[] = Object.values(ExecutionStatus).filter(
  (status) => !terminalExecutionStatuses.has(status),
);

export function isUnfinished(execution: PipelineExecution): boolean {
  return !terminalExecutionStatuses.has(execution.status);
}

export interface ExecutionRow {
  readonly seq: number;
  readonly version: number;
  readonly document: string;
}

export function toExecution(row: ExecutionRow): PipelineExecution {
  return {
    ...(JSON.parse(row.document) as PipelineExecution),
    seq: Number(row.seq),
    version: Number(row.version),
  };
}

/**
 * The columns an execution's document decides: `due_at` is its `dueAt`, none once finished (a
 * wake-up sets it to now separately). The document leaves out `seq` and `version`, which the
 * columns hold.
 */
export function executionColumns(execution: PipelineExecution) {
  return {
    execution_mode: execution.executionMode,
    status: execution.status,
    due_at: isUnfinished(execution) ? (execution.dueAt ?? null) : null,
    document: JSON.stringify({ ...execution, seq: undefined, version: undefined }),
  };
}

export function toPipeline(document: string): Pipeline {
  return JSON.parse(document) as Pipeline;
}

export function toRuntime(document: string): PipelineRuntime {
  return JSON.parse(document) as PipelineRuntime;
}

/** `tags` with `added` put in: a key already there keeps its place and takes the new value. */
export function mergeTags(tags: readonly Tag[], added: readonly Tag[]): Tag[] {
  const merged = new Map(tags.map((t) => [t.key, t.value]));
  for (const tag of added) merged.set(tag.key, tag.value);
  return [...merged].map(([key, value]) => ({ key, value }));
}

/** What a committed change must announce: executions made due, queues given jobs. */
export interface Effects {
  due: boolean;
  readonly queues: Set<string>;
}

export interface ChangeTarget {
  readonly pipelineId: string;
  readonly now: number;
  /** Ids for jobs given without one. */
  readonly random: Random;
}

/**
 * Writes the parts of a change beside the execution itself, inside the caller's transaction:
 * the runtime, new jobs, cancellations (queued → cancelled, leased → cancel requested, as
 * `KyselyJobQueue.requestCancel` does) and wake-ups of the pipeline's unfinished executions.
 */
export async function applyChange(
  trx: Transaction<Schema>,
  target: ChangeTarget,
  change: Omit<TransitionChange<unknown>, 'execution' | 'result'>,
): Promise<Effects> {
  const { pipelineId, now } = target;
  const effects: Effects = { due: false, queues: new Set() };
  if (change.runtime !== undefined) {
    await trx
      .updateTable('pipelines')
      .set({ runtime: JSON.stringify(change.runtime) })
      .where('id', '=', pipelineId)
      .execute();
  }
  for (const queue of await writeJobChanges(trx, change, {
    now,
    newId: () => target.random.uuid(),
  })) {
    effects.queues.add(queue);
  }
  const woken = [...new Set(change.wake ?? [])];
  if (woken.length > 0) {
    const result = await trx
      .updateTable('pipeline_executions')
      .set({ due_at: now })
      .where('pipeline_id', '=', pipelineId)
      .where('id', 'in', woken)
      .where('status', 'in', unfinishedStatuses)
      .executeTakeFirst();
    effects.due = Number(result.numUpdatedRows) > 0;
  }
  return effects;
}

export async function insertVersion(
  trx: Transaction<Schema>,
  pipelineId: string,
  pipeline: Pipeline,
): Promise<Pipeline> {
  const document = JSON.stringify(pipeline);
  await trx
    .insertInto('pipeline_versions')
    .values({ pipeline_id: pipelineId, version: pipeline.version, document })
    .execute();
  return toPipeline(document);
}

export async function findVersion(
  trx: Transaction<Schema>,
  pipelineId: string,
  version: number,
): Promise<Pipeline | undefined> {
  const row = await trx
    .selectFrom('pipeline_versions')
    .select('document')
    .where('pipeline_id', '=', pipelineId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row === undefined ? undefined : toPipeline(row.document);
}

/** Writes `next` over `read` (a compare-and-swap on its version); true when it is due. */
/** Sets `due_at` back to what the stored document says; true when that is a time. */
export async function resetDue(
  trx: Transaction<Schema>,
  execution: PipelineExecution,
): Promise<boolean> {
  const { due_at } = executionColumns(execution);
  await trx
    .updateTable('pipeline_executions')
    .set({ due_at })
    .where('id', '=', execution.id)
    .execute();
  return due_at !== null;
}

export async function writeExecution(
  trx: Transaction<Schema>,
  read: PipelineExecution,
  next: PipelineExecution,
): Promise<boolean> {
  const columns = executionColumns(next);
  const written = await trx
    .updateTable('pipeline_executions')
    .set({ ...columns, version: read.version + 1 })
    .where('id', '=', read.id)
    .where('version', '=', read.version)
    .executeTakeFirst();
  // Cannot happen under the locks; a bug if it does, so the transaction rolls back.
  if (Number(written.numUpdatedRows) !== 1) {
    throw new Error(`execution ${read.id} changed under its lock`);
  }
  return columns.due_at !== null;
}
