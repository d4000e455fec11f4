import { pipelineStoreContract } from './contracts/pipeline-store.contract.ts';
import { FakeClock } from './fake-clock.ts';
import { InMemoryJobQueue } from './in-memory-job-queue.ts';
import { InMemoryPipelineStore } from './in-memory-pipeline-store.ts';
import { SeededRandom } from './seeded-random.ts';

pipelineStoreContract('in-memory', () => {
  const clock = new FakeClock();
  const jobs = new InMemoryJobQueue({ clock, random: new SeededRandom() });
  const store = new InMemoryPipelineStore({ jobs, clock, random: new SeededRandom(5) });
  return Promise.resolve({
    subject: { store, jobs, addAccount: () => Promise.resolve() },
    clock,
    close: () => Promise.resolve(),
  });
});
