import { JobStatus } from '@slipway/core';
import { FakeClock, InMemoryJobQueue, SeededRandom } from '@slipway/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LeaseReaper } from './lease-reaper.ts';

const silent = { info: () => {}, warn: () => {}, error: () => {} };

function setUp() {
  const clock = new FakeClock();
  const jobs = new InMemoryJobQueue({ clock, random: new SeededRandom(1) });
  const reaper = new LeaseReaper({ jobs, intervalMs: 1_000, log: silent });
  return { clock, jobs, reaper };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('LeaseReaper', () => {
  it('marks a job lost once its lease has lapsed', async () => {
    const { clock, jobs, reaper } = setUp();
    await jobs.enqueue({ queue: 'build:default', payload: {} });
    const claimed = await jobs.claim({ queue: 'build:default', workerId: 'w', leaseMs: 15_000 });
    clock.advance(15_000);
    expect(await reaper.tick()).toEqual([
      expect.objectContaining({ id: claimed?.job.id, status: JobStatus.Lost }),
    ]);
  });

  it('leaves a live lease alone', async () => {
    const { clock, jobs, reaper } = setUp();
    await jobs.enqueue({ queue: 'build:default', payload: {} });
    await jobs.claim({ queue: 'build:default', workerId: 'w', leaseMs: 15_000 });
    clock.advance(14_999);
    expect(await reaper.tick()).toEqual([]);
  });

  it('runs every interval until closed', async () => {
    vi.useFakeTimers();
    const { jobs, reaper } = setUp();
    const expire = vi.spyOn(jobs, 'expireLeases');
    reaper.start();
    await vi.advanceTimersByTimeAsync(3_500);
    expect(expire).toHaveBeenCalledTimes(3);
    await reaper.close();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(expire).toHaveBeenCalledTimes(3);
  });

  it('keeps running after a failed pass', async () => {
    vi.useFakeTimers();
    const { jobs, reaper } = setUp();
    const expire = vi.spyOn(jobs, 'expireLeases').mockRejectedValueOnce(new Error('store down'));
    reaper.start();
    await vi.advanceTimersByTimeAsync(2_500);
    expect(expire).toHaveBeenCalledTimes(2);
    await reaper.close();
  });
});
