import { describe, expect, it } from 'vitest';
import { WakeSignal } from './wake-signal.ts';

const settled = async (promise: Promise<void>, ms = 50): Promise<boolean> =>
  Promise.race([
    promise.then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), ms)),
  ]);

describe('WakeSignal', () => {
  it('ends a sleep on notify, and does not sleep through a notification that came first', async () => {
    const signal = new WakeSignal();
    const sleeping = signal.sleep(10_000);
    expect(await settled(sleeping)).toBe(false);
    signal.notify();
    expect(await settled(sleeping)).toBe(true);
    expect(await settled(signal.sleep(10_000))).toBe(true); // still pending
    signal.take();
    expect(await settled(signal.sleep(30), 100)).toBe(true); // its timer
  });

  it('keeps a pause through notifications, but not through close', async () => {
    const signal = new WakeSignal();
    const pausing = signal.pause(10_000);
    signal.notify();
    expect(await settled(pausing)).toBe(false);
    signal.close();
    expect(await settled(pausing)).toBe(true);
    expect(await settled(signal.sleep(10_000))).toBe(true);
  });
});
