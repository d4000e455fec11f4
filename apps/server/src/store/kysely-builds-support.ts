import { ProjectSortBy, type ListProjectsQuery } from '@slipway/core';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from './database.ts';
import { isUniqueViolation } from './kysely-object-rows.ts';
import type { Dialect, Schema } from './schema.ts';

const transactionAttempts = 5;

/**
 * Runs `work` in a transaction (`db.transaction().execute`: the SQLite driver commits in groups
 * and only that form waits for the commit), retrying when PostgreSQL aborts it for a unique
 * key two writers raced for, a deadlock, or a serialization failure: on retry the work reads
 * what the winner wrote and decides again.
 */
export async function inTransaction<T>(
  database: Database,
  work: (trx: Transaction<Schema>) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await database.db.transaction().execute(work);
    } catch (error) {
      if (attempt >= transactionAttempts || !isRetryable(error)) throw error;
    }
  }
}

function isRetryable(error: unknown): boolean {
  if (isUniqueViolation(error)) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

/** `column` contains `term` as a case-sensitive substring (SQLite's LIKE is not). */
export function contains(dialect: Dialect, column: string, term: string): RawBuilder<boolean> {
  return dialect === 'postgres'
    ? sql<boolean>`strpos(${sql.ref(column)}, ${term}) > 0`
    : sql<boolean>`instr(${sql.ref(column)}, ${term}) > 0`;
}

/** `column` starts with `prefix`, without LIKE's wildcards; lengths count code points. */
export function startsWith(column: string, prefix: string): RawBuilder<boolean> {
  return sql<boolean>`substr(${sql.ref(column)}, 1, ${[...prefix].length}) = ${prefix}`;
}

/** Rows per INSERT: SQLite binds at most 32,766 variables a statement. */
export const insertBatch = 1000;

export function chunks<T>(items: readonly T[], size = insertBatch): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * One page of a named, account-scoped resource (projects, report groups): keyset pagination on
 * (sort key, name), so pages stay stable while resources change. Returns the stored documents.
 */
export async function listNamedDocuments(
  db: Kysely<Schema>,
  table: 'projects' | 'report_groups',
  query: ListProjectsQuery,
): Promise<string[]> {
  const column =
    query.sortBy === ProjectSortBy.Name
      ? 'name'
      : query.sortBy === ProjectSortBy.CreatedTime
        ? 'created_at'
        : 'last_modified_at';
  const direction = query.sortOrder === 'ASCENDING' ? 'asc' : 'desc';
  const past = query.sortOrder === 'ASCENDING' ? '>' : '<';
  const { after } = query;
  const rows = await db
    .selectFrom(table)
    .select('document')
    .where('account_id', '=', query.accountId)
    .where('region', '=', query.region)
    .$if(after !== undefined, (qb) =>
      qb.where((eb) =>
        eb.or([
          eb(column, past, after?.key as never),
          eb.and([eb(column, '=', after?.key as never), eb('name', past, after?.id ?? '')]),
        ]),
      ),
    )
    .orderBy(column, direction)
    .orderBy('name', direction)
    .limit(query.limit)
    .execute();
  return rows.map((row) => row.document);
}
