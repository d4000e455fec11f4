import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FakeClock,
  InMemoryEventLog,
  InMemoryJobQueue,
  InMemoryRepositoryStore,
  repositoryStoreContract,
  SeededRandom,
  type ContractFactory,
  type RepositoryStoreSubject,
} from '@slipway/testing';
import { pino } from 'pino';
import { freshPostgresUrl } from '../../../../test/support/fresh-postgres.ts';
import { openDatabase, type Database } from './database.ts';
import { KyselyEventLog } from './kysely-event-log.ts';
import { KyselyJobQueue } from './kysely-job-queue.ts';
import { KyselyRepositoryStore } from './kysely-repository-store.ts';

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

/** Accounts go straight into the identity table: repositories refer to them. */
async function insertAccount(database: Database, accountId: string, now: number): Promise<void> {
  await database.db
    .insertInto('accounts')
    .values({ id: accountId, created_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

function kysely(open: OpenStore): ContractFactory<RepositoryStoreSubject> {
  return async () => {
    const opened = await open();
    const { database } = opened;
    const clock = new FakeClock();
    const random = new SeededRandom();
    return {
      subject: {
        store: new KyselyRepositoryStore({ database, clock, random }),
        events: new KyselyEventLog(database, clock),
        jobs: new KyselyJobQueue({ database, clock, random: new SeededRandom(2) }),
        addAccount: (accountId) => insertAccount(database, accountId, clock.now()),
      },
      clock,
      close: () => opened.close(),
    };
  };
}

repositoryStoreContract('in-memory', () => {
  const clock = new FakeClock();
  const events = new InMemoryEventLog(clock);
  const jobs = new InMemoryJobQueue({ clock, random: new SeededRandom() });
  return Promise.resolve({
    subject: {
      store: new InMemoryRepositoryStore({ events, jobs }),
      events,
      jobs,
      addAccount: () => Promise.resolve(),
    },
    clock,
    close: () => Promise.resolve(),
  });
});

for (const [name, open] of [
  ['sqlite', openSqlite],
  ['postgres', openPostgres],
] as const) {
  repositoryStoreContract(name, kysely(open));
}
