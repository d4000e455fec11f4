import type { Clock } from '@slipway/core';

/** 2025-01-01T00:00:00Z: where every FakeClock starts unless told otherwise. */
export const fakeClockStart = Date.UTC(2025, 0, 1);

/** A clock that moves only when a test moves it, so leases and timeouts need no sleeping. */
export class FakeClock implements Clock {
  #now: number;

  constructor(start: number = fakeClockStart) {
    this.#now = checkedTime(start);
  }

  now(): number {
    return this.#now;
  }

  /** Jumps to an absolute time (epoch ms), forwards or backwards. */
  set(epochMs: number): void {
    this.#now = checkedTime(epochMs);
  }

  /** Moves forward by `ms` and returns the new time. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot advance by ${ms} ms`);
    this.#now = checkedTime(this.#now + ms);
    return this.#now;
  }
}

function checkedTime(epochMs: number): number {
  if (!Number.isSafeInteger(epochMs)) throw new RangeError(`not a time in epoch ms: ${epochMs}`);
  return epochMs;
}
