import type { FakeClock } from '../fake-clock.ts';

/** One implementation under test, on a clock the suite moves; `close` frees what it holds. */
export interface ContractHarness<Subject> {
  readonly subject: Subject;
  readonly clock: FakeClock;
  close(): Promise<void>;
}

/** Opens a fresh, empty implementation. */
export type ContractFactory<Subject> = () => Promise<ContractHarness<Subject>>;
