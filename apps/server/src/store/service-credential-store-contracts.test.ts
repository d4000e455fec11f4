import type { User } from '@slipway/core';
import {
  FakeClock,
  InMemoryServiceCredentialStore,
  serviceCredentialStoreContract,
  type ContractFactory,
  type ServiceCredentialStoreSubject,
} from '@slipway/testing';
import type { Database } from './database.ts';
import { storeDatabases, type OpenStore } from './test-databases.ts';
import { KyselyServiceCredentialStore } from './kysely-service-credential-store.ts';

/** Users go straight into the identity tables, as the identity store would keep them. */
async function insertUser(database: Database, user: User): Promise<void> {
  await database.db
    .insertInto('accounts')
    .values({ id: user.accountId, created_at: user.createdAt })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  await database.db
    .insertInto('users')
    .values({
      id: user.id,
      account_id: user.accountId,
      name: user.name,
      arn: user.arn,
      created_at: user.createdAt,
    })
    .execute();
}

function kysely(open: OpenStore): ContractFactory<ServiceCredentialStoreSubject> {
  return async () => {
    const opened = await open();
    return {
      subject: {
        store: new KyselyServiceCredentialStore(opened.database.db),
        addUser: (user) => insertUser(opened.database, user),
      },
      clock: new FakeClock(),
      close: () => opened.close(),
    };
  };
}

serviceCredentialStoreContract('in-memory', () => {
  const store = new InMemoryServiceCredentialStore();
  return Promise.resolve({
    subject: {
      store,
      addUser: (user: User) => {
        store.addUser(user);
        return Promise.resolve();
      },
    },
    clock: new FakeClock(),
    close: () => Promise.resolve(),
  });
});

for (const [name, open] of storeDatabases) {
  serviceCredentialStoreContract(name, kysely(open));
}
