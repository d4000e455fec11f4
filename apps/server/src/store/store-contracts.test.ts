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
import type { Database } from './database.ts';
import { storeDatabases, type OpenStore } from './test-databases.ts';
import { KyselyEventLog } from './kysely-event-log.ts';
import { KyselyIdentityStore } from './kysely-identity-store.ts';
import { KyselyJobQueue } from './kysely-job-queue.ts';

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

for (const [name, open] of storeDatabases) {
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
