import { customActionTypeStoreContract, FakeClock } from '@slipway/testing';
import { KyselyCustomActionTypeStore } from './kysely-custom-action-type-store.ts';
import { storeDatabases } from './test-databases.ts';

for (const [name, open] of storeDatabases) {
  customActionTypeStoreContract(name, async () => {
    const opened = await open();
    const { database } = opened;
    const clock = new FakeClock();
    // Types refer to their account: accounts go straight into the identity table.
    const addAccount = async (accountId: string) => {
      await database.db
        .insertInto('accounts')
        .values({ id: accountId, created_at: clock.now() })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    };
    return {
      subject: { store: new KyselyCustomActionTypeStore(database), addAccount },
      clock,
      close: () => opened.close(),
    };
  });
}
