import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Schema } from '../schema.ts';

export interface SqliteOptions {
  readonly path: string;
  readonly busyTimeoutMs: number;
}

/**
 * SQLite for the embedded mode: WAL so readers never block the writer, `synchronous=FULL` so a
 * committed transaction survives power loss, and a busy timeout so a second process on the same
 * file (`slipway build`, a CLI) waits instead of failing.
 */
export function openSqlite(options: SqliteOptions): Kysely<Schema> {
  const database = new BetterSqlite3(options.path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs)}`);
  database.pragma('foreign_keys = ON');
  return new Kysely<Schema>({ dialect: new SqliteDialect({ database }) });
}
