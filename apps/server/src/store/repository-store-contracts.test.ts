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
import type { Database } from './database.ts';
import { storeDatabases, type OpenStore } from './test-databases.ts';
import { KyselyEventLog } from './kysely-event-log.ts';
import { KyselyJobQueue } from './kysely-job-queue.ts';
import { KyselyRepositoryStore } from './kysely-repository-store.ts';

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

for (const [name, open] of storeDatabases) {
  repositoryStoreContract(name, kysely(open));
}
