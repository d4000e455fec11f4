import {
  FakeClock,
  InMemoryObjectMetadataStore,
  objectMetadataStoreContract,
  type ContractFactory,
  type ObjectMetadataStoreSubject,
} from '@slipway/testing';
import { KyselyObjectMetadataStore } from './kysely-object-metadata-store.ts';
import { storeDatabases, type OpenStore } from './test-databases.ts';

function kysely(open: OpenStore): ContractFactory<ObjectMetadataStoreSubject> {
  return async () => {
    const opened = await open();
    const { database } = opened;
    const clock = new FakeClock();
    return {
      subject: {
        store: new KyselyObjectMetadataStore(database),
        // Buckets belong to accounts, which live in the identity tables.
        addAccount: async (accountId) => {
          await database.db
            .insertInto('accounts')
            .values({ id: accountId, created_at: clock.now() })
            .onConflict((oc) => oc.column('id').doNothing())
            .execute();
        },
      },
      clock,
      close: () => opened.close(),
    };
  };
}

objectMetadataStoreContract('in-memory', () =>
  Promise.resolve({
    subject: { store: new InMemoryObjectMetadataStore(), addAccount: () => Promise.resolve() },
    clock: new FakeClock(),
    close: () => Promise.resolve(),
  }),
);

for (const [name, open] of storeDatabases) {
  objectMetadataStoreContract(name, kysely(open));
}
