import { FakeClock, pipelineStoreContract, SeededRandom } from '@slipway/testing';
import { KyselyJobQueue } from './kysely-job-queue.ts';
import { KyselyPipelineStore } from './kysely-pipeline-store.ts';
import { storeDatabases } from './test-databases.ts';

for (const [name, open] of storeDatabases) {
  pipelineStoreContract(name, async () => {
    const opened = await open();
    const { database } = opened;
    const clock = new FakeClock();
    const store = new KyselyPipelineStore({ database, clock, random: new SeededRandom(5) });
    const jobs = new KyselyJobQueue({ database, clock, random: new SeededRandom() });
    // Pipelines refer to their account: accounts go straight into the identity table.
    const addAccount = async (accountId: string) => {
      await database.db
        .insertInto('accounts')
        .values({ id: accountId, created_at: clock.now() })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    };
    return { subject: { store, jobs, addAccount }, clock, close: () => opened.close() };
  });
}
