import { eventLogContract } from './contracts/event-log.contract.ts';
import { identityStoreContract } from './contracts/identity-store.contract.ts';
import { jobQueueContract } from './contracts/job-queue.contract.ts';
import { FakeClock } from './fake-clock.ts';
import { InMemoryEventLog } from './in-memory-event-log.ts';
import { InMemoryIdentityStore } from './in-memory-identity-store.ts';
import { InMemoryJobQueue } from './in-memory-job-queue.ts';
import { SeededRandom } from './seeded-random.ts';

const close = () => Promise.resolve();

jobQueueContract('in-memory', () => {
  const clock = new FakeClock();
  const subject = new InMemoryJobQueue({ clock, random: new SeededRandom() });
  return Promise.resolve({ subject, clock, close });
});

eventLogContract('in-memory', () => {
  const clock = new FakeClock();
  return Promise.resolve({ subject: new InMemoryEventLog(clock), clock, close });
});

identityStoreContract('in-memory', () =>
  Promise.resolve({ subject: new InMemoryIdentityStore(), clock: new FakeClock(), close }),
);
