import { customActionTypeStoreContract } from './contracts/custom-action-type-store.contract.ts';
import { FakeClock } from './fake-clock.ts';
import { InMemoryCustomActionTypeStore } from './in-memory-custom-action-type-store.ts';

customActionTypeStoreContract('in-memory', () =>
  Promise.resolve({
    subject: { store: new InMemoryCustomActionTypeStore(), addAccount: () => Promise.resolve() },
    clock: new FakeClock(),
    close: () => Promise.resolve(),
  }),
);
