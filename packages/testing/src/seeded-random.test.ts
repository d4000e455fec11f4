import { describe, expect, it } from 'vitest';
import { SeededRandom } from './seeded-random.ts';

describe('SeededRandom', () => {
  it('gives the same bytes for the same seed', () => {
    expect(new SeededRandom(42).bytes(32)).toEqual(new SeededRandom(42).bytes(32));
  });

  it('gives other bytes for another seed', () => {
    expect(new SeededRandom(1).bytes(32)).not.toEqual(new SeededRandom(2).bytes(32));
  });

  it('gives as many bytes as asked', () => {
    expect(new SeededRandom().bytes(5)).toHaveLength(5);
  });

  it('makes well-formed v4 uuids', () => {
    const random = new SeededRandom();
    for (let i = 0; i < 100; i++) {
      expect(random.uuid()).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    }
  });

  it('does not repeat a uuid', () => {
    const random = new SeededRandom();
    const uuids = Array.from({ length: 10_000 }, () => random.uuid());
    expect(new Set(uuids).size).toBe(uuids.length);
  });

  it('repeats the same uuids for the same seed', () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    expect([a.uuid(), a.uuid()]).toEqual([b.uuid(), b.uuid()]);
  });
});
