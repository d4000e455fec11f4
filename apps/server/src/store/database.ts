import { join } from 'node:path';
import { Migrator, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import { migrationProvider } from './migrations/index.ts';
import { LocalNotifier, type Notifier } from './notifier.ts';
import type { Dialect, Schema } from './schema.ts';

export interface StoreConfig {
  /** `postgres://…` for fleet mode; undefined for SQLite in the data directory. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly sqliteBusyTimeoutMs: number;
  readonly postgresPoolSize: number;
}

/** An open store: the query builder, its dialect, and the cross-server wake-up channel. */
export interface Database {
  readonly db: Kysely<Schema>;
  readonly dialect: Dialect;
  readonly notifier: Notifier;
  close(): Promise<void>;
}

export const sqliteFileName = 'slipway.db';

/**
 * Opens the configured store and brings its schema up to date. Driver modules load lazily so
 * the embedded mode never pays for `pg`, nor fleet mode for the SQLite binding.
 */
export async function openDatabase(config: StoreConfig, logger: Logger): Promise<Database> {
  const database =
    config.databaseUrl === undefined
      ? await openEmbedded(config)
      : await openFleet(config.databaseUrl, config.postgresPoolSize, logger);
  try {
    await migrate(database.db, database.dialect, logger);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

async function openEmbedded(config: StoreConfig): Promise<Database> {
  const { openSqlite } = await import('./sqlite/open-sqlite.ts');
  const db = openSqlite({
    path: join(config.dataDir, sqliteFileName),
    busyTimeoutMs: config.sqliteBusyTimeoutMs,
  });
  const notifier = new LocalNotifier();
  return {
    db,
    dialect: 'sqlite',
    notifier,
    close: async () => {
      await notifier.close();
      await db.destroy();
    },
  };
}

async function openFleet(url: string, poolSize: number, logger: Logger): Promise<Database> {
  const [{ openPostgres }, { PgNotifier }] = await Promise.all([
    import('./postgres/open-postgres.ts'),
    import('./postgres/pg-notifier.ts'),
  ]);
  const db = openPostgres({ url, poolSize });
  let notifier: Notifier;
  try {
    notifier = await PgNotifier.start(url, logger.child({ component: 'pg-notifier' }));
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    db,
    dialect: 'postgres',
    notifier,
    close: async () => {
      await notifier.close();
      await db.destroy();
    },
  };
}

/** Kysely's migrator holds a lock (an advisory lock on PostgreSQL), so concurrent starts are safe. */
async function migrate(db: Kysely<Schema>, dialect: Dialect, logger: Logger): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  for (const result of results ?? []) {
    if (result.status === 'Success') logger.info({ migration: result.migrationName }, 'migrated');
  }
  if (error !== undefined) {
    throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  }
}
