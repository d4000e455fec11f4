// Test support for the store's contract suites; never imported by the server itself.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { freshPostgresUrl } from '../../../../test/support/fresh-postgres.ts';
import { openDatabase, type Database } from './database.ts';

/** A fresh, migrated database of one kind: SQLite in a temp dir, or a new PostgreSQL database. */
export type OpenStore = () => Promise<{ database: Database; close(): Promise<void> }>;

const logger = pino({ level: 'silent' });

export const openSqlite: OpenStore = async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'slipway-store-'));
  const database = await openDatabase(
    { databaseUrl: undefined, dataDir, sqliteBusyTimeoutMs: 5_000, postgresPoolSize: 4 },
    logger,
  );
  return {
    database,
    close: async () => {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};

export const openPostgres: OpenStore = async () => {
  const database = await openDatabase(
    {
      databaseUrl: await freshPostgresUrl(),
      dataDir: '',
      sqliteBusyTimeoutMs: 0,
      postgresPoolSize: 4,
    },
    logger,
  );
  return { database, close: () => database.close() };
};

/** Every database kind a Kysely store runs on, for `for (const [name, open] of …)`. */
export const storeDatabases = [
  ['sqlite', openSqlite],
  ['postgres', openPostgres],
] as const;
