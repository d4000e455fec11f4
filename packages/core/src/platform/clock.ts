/** Wall-clock time in epoch milliseconds. A port so leases and timeouts are tested without sleeping. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
