import { describe, expect, it } from 'vitest';
import { FakeClock, fakeClockStart } from './fake-clock.ts';

describe('FakeClock', () => {
  it('starts at the fixed start time', () => {
    expect(new FakeClock().now()).toBe(fakeClockStart);
  });

  it('starts where it is told', () => {
    expect(new FakeClock(1_000).now()).toBe(1_000);
  });

  it('stands still until moved', () => {
    const clock = new FakeClock();
    expect(clock.now()).toBe(clock.now());
  });

  it('advances by the given milliseconds and returns the new time', () => {
    const clock = new FakeClock(1_000);
    expect(clock.advance(250)).toBe(1_250);
    expect(clock.now()).toBe(1_250);
  });

  it('jumps to a time that is set', () => {
    const clock = new FakeClock(1_000);
    clock.set(500);
    expect(clock.now()).toBe(500);
  });

  it('refuses to advance backwards', () => {
    expect(() => new FakeClock().advance(-1)).toThrow(RangeError);
  });

  it('refuses a time that is not a whole number of milliseconds', () => {
    expect(() => new FakeClock().set(1.5)).toThrow(RangeError);
  });
});
