import type { Random } from '@slipway/core';

/**
 * Predictable randomness for tests: the same seed yields the same bytes and uuids, run after run.
 * Not cryptographically strong (mulberry32), which is the point.
 */
export class SeededRandom implements Random {
  #state: number;

  constructor(seed = 1) {
    this.#state = seed >>> 0;
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.#next() & 0xff;
    return out;
  }

  /** A well-formed v4 uuid (version and variant bits set) made of seeded bytes. */
  uuid(): string {
    const hex = Array.from(this.bytes(16), (byte) => byte.toString(16).padStart(2, '0')).join('');
    const variant = '89ab'.charAt(parseInt(hex.charAt(16), 16) & 3);
    return [
      hex.slice(0, 8),
      hex.slice(8, 12),
      `4${hex.slice(13, 16)}`,
      `${variant}${hex.slice(17, 20)}`,
      hex.slice(20, 32),
    ].join('-');
  }

  #next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
}
