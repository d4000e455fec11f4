import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import type { Schema } from '../schema.ts';
import { GroupCommitSqliteDialect } from './group-commit-driver.ts';

export interface SqliteOptions {
  readonly path: string;
  readonly busyTimeoutMs: number;
}

/**
 * SQLite for the embedded mode: WAL so readers never block the writer, a busy timeout so a
 * second process on the same file (`slipway build`, a CLI) waits instead of failing. The
 * group-commit driver makes every acknowledged write survive power loss, sharing COMMITs and
 * their fsync between concurrent writers and keeping the fsync off the event loop; reads
 * outside transactions go to a read-only connection beside the writer.
 */
export function openSqlite(options: SqliteOptions): Kysely<Schema> {
  const busyTimeoutMs = Math.trunc(options.busyTimeoutMs);
  const writer = new BetterSqlite3(options.path);
  writer.pragma(`busy_timeout = ${busyTimeoutMs}`);
  writer.pragma('journal_mode = WAL');
  writer.pragma('foreign_keys = ON');
  // Opened once the file is in WAL mode, so it reads beside the writer.
  const reader = new BetterSqlite3(options.path, { readonly: true });
  reader.pragma(`busy_timeout = ${busyTimeoutMs}`);
  return new Kysely<Schema>({
    dialect: new GroupCommitSqliteDialect({
      writer,
      reader,
      busyTimeoutMs,
      walPath: `${options.path}-wal`,
    }),
  });
}
