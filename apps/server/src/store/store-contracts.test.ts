import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '@slipway/core';
import {
  eventLogContract,
  FakeClock,
  identityStoreContract,
  InMemoryEventLog,
  InMemoryIdentityStore,
  InMemoryJobQueue,
  jobQueueContract,
  SeededRandom,
  type ContractFactory,
} from '@slipway/testing';
import { pino } from 'pino';
import { freshPostgresUrl } from '../../../../test/support/fresh-postgres.ts';
import { openDatabase, type Database } from './database.ts';
import { KyselyEventLog } from './kysely-event-log.ts';
import { KyselyIdentityStore } from './kysely-identity-store.ts';
import { KyselyJobQueue } from './kysely-job-queue.ts';

/** A fresh, migrated database of one kind: SQLite in a temp dir, or a new PostgreSQL database. */
type OpenStore = () => Promise<{ database: Database; close(): Promise<void> }>;

const logger = pino({ level: 'silent' });

const openSqlite: OpenStore = async () => {
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

const openPostgres: OpenStore = async () => {
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

/** Builds a contract factory from a store constructor over a fresh database of one kind. */
function kysely<Subject>(
  open: OpenStore,
  create: (database: Database, clock: Clock) => Subject,
): ContractFactory<Subject> {
  return async () => {
    const store = await open();
    const clock = new FakeClock();
    return { subject: create(store.database, clock), clock, close: () => store.close() };
  };
}

const noop = () => Promise.resolve();

jobQueueContract('in-memory', () => {
  const clock = new FakeClock();
  return Promise.resolve({
    subject: new InMemoryJobQueue({ clock, random: new SeededRandom() }),
    clock,
    close: noop,
  });
});
eventLogContract('in-memory', () => {
  const clock = new FakeClock();
  return Promise.resolve({ subject: new InMemoryEventLog(clock), clock, close: noop });
});
identityStoreContract('in-memory', () =>
  Promise.resolve({ subject: new InMemoryIdentityStore(), clock: new FakeClock(), close: noop }),
);

for (const [name, open] of [
  ['sqlite', openSqlite],
  ['postgres', openPostgres],
] as const) {
  jobQueueContract(
    name,
    kysely(
      open,
      (database, clock) => new KyselyJobQueue({ database, clock, random: new SeededRandom() }),
    ),
  );
  eventLogContract(
    name,
    kysely(open, (database, clock) => new KyselyEventLog(database, clock)),
  );
  identityStoreContract(
    name,
    kysely(open, (database) => new KyselyIdentityStore(database.db)),
  );
}
