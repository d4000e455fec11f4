import {
  AppErrorKind,
  JobStatus,
  type ClaimedJob,
  type JobQueue,
  type NewJob,
} from '@slipway/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import type { FakeClock } from '../fake-clock.ts';
import type { ContractFactory, ContractHarness } from './contract-harness.ts';
import { expectAppError } from './expect-app-error.ts';

const leaseMs = 30_000;

/**
 * The behaviour every `JobQueue` shares. One store serves the whole suite: each test works on a
 * queue of its own and only ever moves the clock forward, so tests do not depend on each other.
 */
export function jobQueueContract(name: string, factory: ContractFactory<JobQueue>): void {
  describe(`JobQueue contract: ${name}`, () => {
    let harness: ContractHarness<JobQueue> | undefined;
    let queues = 0;

    beforeAll(async () => {
      harness = await factory();
    });
    afterAll(async () => {
      await harness?.close();
    });

    /** The suite's store and clock, and a queue no other test uses. */
    function open(): Opened {
      if (harness === undefined) throw new Error('the store under test did not open');
      return { jobs: harness.subject, clock: harness.clock, queue: `q${++queues}` };
    }

    describe('enqueue', () => enqueueBehaviour(open));
    describe('claim', () => claimBehaviour(open));
    describe('heartbeat', () => heartbeatBehaviour(open));
    describe('complete', () => completeBehaviour(open));
    describe('lapsed leases', () => lapsedLeaseBehaviour(open));
    describe('requestCancel', () => requestCancelBehaviour(open));
    describe('lookup', () => lookupBehaviour(open));
    describe('watch', () => watchBehaviour(open));
  });
}

/** What each test starts from: the suite's store and clock, and a queue of its own. */
interface Opened {
  readonly jobs: JobQueue;
  readonly clock: FakeClock;
  readonly queue: string;
}

function newJob(queue: string, overrides: Partial<NewJob> = {}): NewJob {
  return { queue, payload: { step: 'build' }, ...overrides };
}

async function claimOne(jobs: JobQueue, queue: string, workerId = 'worker-1'): Promise<ClaimedJob> {
  const claimed = await jobs.claim({ queue, workerId, leaseMs });
  if (claimed === undefined) throw new Error(`nothing to claim on ${queue}`);
  return claimed;
}

function enqueueBehaviour(open: () => Opened): void {
  it('stores a queued job with the defaults', async () => {
    const { jobs, clock, queue } = open();
    const job = await jobs.enqueue(newJob(queue, { payload: { repo: 'app', n: [1, 2] } }));
    expect(job).toEqual({
      id: expect.any(String) as unknown,
      queue,
      payload: { repo: 'app', n: [1, 2] },
      status: JobStatus.Queued,
      attempts: 0,
      maxAttempts: 1,
      availableAt: clock.now(),
      leaseId: undefined,
      workerId: undefined,
      leaseExpiresAt: undefined,
      cancelRequested: false,
      result: undefined,
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    expect(await jobs.getJob(job.id)).toEqual(job);
  });

  it('keeps the id it is given', async () => {
    const { jobs, queue } = open();
    const job = await jobs.enqueue(newJob(queue, { id: `${queue}-given-id` }));
    expect(job.id).toBe(`${queue}-given-id`);
  });

  it('refuses an id that exists with AlreadyExists, keeping the first job', async () => {
    const { jobs, queue } = open();
    const first = await jobs.enqueue(newJob(queue, { id: `${queue}-taken` }));
    await expectAppError(
      jobs.enqueue(newJob(queue, { id: `${queue}-taken`, payload: { other: true } })),
      AppErrorKind.AlreadyExists,
    );
    expect(await jobs.getJob(first.id)).toEqual(first);
  });

  it('gives each job its own id', async () => {
    const { jobs, queue } = open();
    const first = await jobs.enqueue(newJob(queue));
    const second = await jobs.enqueue(newJob(queue));
    expect(first.id).not.toBe(second.id);
  });

  it('refuses maxAttempts below 1 with InvalidInput', async () => {
    const { jobs, queue } = open();
    await expectAppError(
      jobs.enqueue(newJob(queue, { maxAttempts: 0 })),
      AppErrorKind.InvalidInput,
    );
  });
}

function claimBehaviour(open: () => Opened): void {
  it('returns undefined when the queue has no job', async () => {
    const { jobs, queue } = open();
    expect(await jobs.claim({ queue, workerId: 'worker-1', leaseMs })).toBeUndefined();
  });

  it('hands out the oldest job first', async () => {
    const { jobs, clock, queue } = open();
    const first = await jobs.enqueue(newJob(queue));
    clock.advance(1);
    const second = await jobs.enqueue(newJob(queue));
    expect((await claimOne(jobs, queue)).job.id).toBe(first.id);
    expect((await claimOne(jobs, queue)).job.id).toBe(second.id);
  });

  it('orders by the time a job became available, not by when it was created', async () => {
    const { jobs, clock, queue } = open();
    const start = clock.now();
    const later = await jobs.enqueue(newJob(queue, { availableAt: start + 100 }));
    clock.advance(10);
    const sooner = await jobs.enqueue(newJob(queue));
    clock.set(start + 100);
    expect((await claimOne(jobs, queue)).job.id).toBe(sooner.id);
    expect((await claimOne(jobs, queue)).job.id).toBe(later.id);
  });

  it('does not hand out a job before its availableAt', async () => {
    const { jobs, clock, queue } = open();
    const job = await jobs.enqueue(newJob(queue, { availableAt: clock.now() + 1_000 }));
    expect(await jobs.claim({ queue, workerId: 'worker-1', leaseMs })).toBeUndefined();
    clock.advance(1_000);
    expect((await claimOne(jobs, queue)).job.id).toBe(job.id);
  });

  it('only hands out jobs of the named queue', async () => {
    const { jobs, queue } = open();
    await jobs.enqueue(newJob(`${queue}-other`));
    expect(await jobs.claim({ queue, workerId: 'worker-1', leaseMs })).toBeUndefined();
  });

  it('leases the job to the worker', async () => {
    const { jobs, clock, queue } = open();
    const { id } = await jobs.enqueue(newJob(queue));
    clock.advance(5);
    const { job, lease } = await claimOne(jobs, queue, 'worker-7');
    expect(lease).toEqual({
      jobId: id,
      leaseId: expect.any(String) as unknown,
      workerId: 'worker-7',
      expiresAt: clock.now() + leaseMs,
    });
    expect(lease.leaseId).not.toBe('');
    expect(job).toMatchObject({
      id,
      status: JobStatus.Leased,
      attempts: 1,
      leaseId: lease.leaseId,
      workerId: 'worker-7',
      leaseExpiresAt: lease.expiresAt,
      updatedAt: clock.now(),
    });
    expect(await jobs.getJob(id)).toEqual(job);
  });

  it('does not hand out a job whose lease is live', async () => {
    const { jobs, clock, queue } = open();
    await jobs.enqueue(newJob(queue, { maxAttempts: 3 }));
    await claimOne(jobs, queue);
    clock.advance(leaseMs - 1);
    expect(await jobs.claim({ queue, workerId: 'worker-2', leaseMs })).toBeUndefined();
  });
}

function heartbeatBehaviour(open: () => Opened): void {
  it('extends the lease from now', async () => {
    const { jobs, clock, queue } = open();
    await jobs.enqueue(newJob(queue));
    const { lease } = await claimOne(jobs, queue);
    clock.advance(leaseMs - 1);
    const beat = await jobs.heartbeat({ jobId: lease.jobId, leaseId: lease.leaseId, leaseMs });
    expect(beat).toEqual({ expiresAt: clock.now() + leaseMs, cancelRequested: false });
    expect((await jobs.getJob(lease.jobId)).leaseExpiresAt).toBe(beat.expiresAt);
  });

  it('keeps the lease live past its first expiry', async () => {
    const { jobs, clock, queue } = open();
    await jobs.enqueue(newJob(queue));
    const { lease } = await claimOne(jobs, queue);
    clock.advance(leaseMs - 1);
    await jobs.heartbeat({ jobId: lease.jobId, leaseId: lease.leaseId, leaseMs });
    clock.advance(leaseMs - 1);
    const beat = await jobs.heartbeat({ jobId: lease.jobId, leaseId: lease.leaseId, leaseMs });
    expect(beat.expiresAt).toBe(clock.now() + leaseMs);
  });

  it('reports a requested cancellation', async () => {
    const { jobs, queue } = open();
    await jobs.enqueue(newJob(queue));
    const { lease } = await claimOne(jobs, queue);
    await jobs.requestCancel(lease.jobId);
    const beat = await jobs.heartbeat({ jobId: lease.jobId, leaseId: lease.leaseId, leaseMs });
    expect(beat.cancelRequested).toBe(true);
  });

  it('fails with Conflict for a lease id that is not the job’s', async () => {
    const { jobs, queue } = open();
    await jobs.enqueue(newJob(queue));
    const { lease } = await claimOne(jobs, queue);
    await expectAppError(
      jobs.heartbeat({ jobId: lease.jobId, leaseId: `${lease.leaseId}-wrong`, leaseMs }),
      AppErrorKind.Conflict,
    );
  });

  it('fails with Conflict once the lease has expired', async () => {
    const { jobs, clock, queue } = open();
    await jobs.enqueue(newJob(queue));
    const { lease } = await claimOne(jobs, queue);
    clock.set(lease.expiresAt);
    await expectAppError(
      jobs.heartbeat({ jobId: lease.jobId, leaseId: lease.leaseId, leaseMs }),
      AppErrorKind.Conflict,
    );
  });

  it('fails with NotFound for an unknown job', async () => {
    const { jobs, queue } = open();
    await expectAppError(
      jobs.heartbeat({ jobId: `${queue}-missing`, leaseId: 'any', leaseMs }),
      AppErrorKind.NotFound,
    );
  });
}

function completeBehaviour(open: () => Opened): void {
  it('records the outcome and the result', async () => {
    const { jobs, clock, queue } = open();
    await jobs.enqueue(newJob(queue));
    const { lease } = await claimOne(jobs, queue);
    clock.advance(7);
    const job = await jobs.complete({
      jobId: lease.jobId,
      leaseId: lease.leaseId,
      outcome: 'succeeded',
      result: { exitCode: 0, artifacts: ['app.zip'] },
    });
    expect(job).toMatchObject({
      status: JobStatus.Succeeded,
      result: { exitCode: 0, artifacts: ['app.zip'] },
      updatedAt: clock.now(),
    });
    expect(await jobs.getJob(lease.jobId)).toEqual(job);
  });

  it('records a failure without a result', async () => {
    const { jobs, queue } = open();
    await jobs.enqueue(newJob(queue));
    const { lease } = await claimOne(jobs, queue);
    const job = await jobs.complete({
      jobId: lease.jobId,
      leaseId: lease.leaseId,
      outcome: 'failed',
    });
    expect(job).toMatchObject({ status: JobStatus.Failed, result: undefined });
  });

  it('fails with Conflict for a lease id that is not the job’s', async () => {
    const { jobs, queue } = open();
    await jobs.enqueue(newJob(queue));
    const { lease } = await claimOne(jobs, queue);
    await expectAppError(
      jobs.complete({ jobId: lease.jobId, leaseId: 'not-the-lease', outcome: 'succeeded' }),
      AppErrorKind.Conflict,
    );
    expect((await jobs.getJob(lease.jobId)).status).toBe(JobStatus.Leased);
  });

  it('returns the job unchanged when repeated with the same lease and outcome', async () => {
    const { jobs, clock, queue } = open();
    await jobs.enqueue(newJob(queue));
    const { lease } = await claimOne(jobs, queue);
    const completion = {
      jobId: lease.jobId,
      leaseId: lease.leaseId,
      outcome: 'succeeded',
      result: { n: 1 },
    } as const;
    const first = await jobs.complete(completion);
    clock.advance(1_000);
    expect(await jobs.complete({ ...completion, result: { n: 2 } })).toEqual(first);
    expect(await jobs.getJob(lease.jobId)).toEqual(first);
  });

  it('fails with Conflict when repeated with another outcome', async () => {
    const { jobs, queue } = open();
    await jobs.enqueue(newJob(queue));
    const { lease } = await claimOne(jobs, queue);
    await jobs.complete({ jobId: lease.jobId, leaseId: lease.leaseId, outcome: 'succeeded' });
    await expectAppError(
      jobs.complete({ jobId: lease.jobId, leaseId: lease.leaseId, outcome: 'failed' }),
      AppErrorKind.Conflict,
    );
    expect((await jobs.getJob(lease.jobId)).status).toBe(JobStatus.Succeeded);
  });

  it('is refused with Conflict once the lease has expired', async () => {
    const { jobs, clock, queue } = open();
    await jobs.enqueue(newJob(queue));
    const { lease } = await claimOne(jobs, queue);
    clock.set(lease.expiresAt);
    await expectAppError(
      jobs.complete({ jobId: lease.jobId, leaseId: lease.leaseId, outcome: 'succeeded' }),
      AppErrorKind.Conflict,
    );
    expect((await jobs.getJob(lease.jobId)).status).toBe(JobStatus.Leased);
  });
}

function lapsedLeaseBehaviour(open: () => Opened): void {
  it('make the job claimable again while attempts remain, counting attempts', async () => {
    const { jobs, clock, queue } = open();
    await jobs.enqueue(newJob(queue, { maxAttempts: 2 }));
    const first = await claimOne(jobs, queue, 'worker-1');
    clock.set(first.lease.expiresAt);
    const second = await claimOne(jobs, queue, 'worker-2');
    expect(second.job).toMatchObject({
      id: first.job.id,
      attempts: 2,
      workerId: 'worker-2',
      leaseId: second.lease.leaseId,
    });
    expect(second.lease.leaseId).not.toBe(first.lease.leaseId);
  });

  it('end the old lease once the job is claimed again', async () => {
    const { jobs, clock, queue } = open();
    await jobs.enqueue(newJob(queue, { maxAttempts: 2 }));
    const first = await claimOne(jobs, queue, 'worker-1');
    clock.set(first.lease.expiresAt);
    await claimOne(jobs, queue, 'worker-2');
    await expectAppError(
      jobs.complete({ jobId: first.job.id, leaseId: first.lease.leaseId, outcome: 'failed' }),
      AppErrorKind.Conflict,
    );
  });

  it('do not make the job claimable again once its attempts are used up', async () => {
    const { jobs, clock, queue } = open();
    await jobs.enqueue(newJob(queue));
    const { lease } = await claimOne(jobs, queue);
    clock.set(lease.expiresAt);
    expect(await jobs.claim({ queue, workerId: 'worker-2', leaseMs })).toBeUndefined();
  });

  it('are requeued by expireLeases while attempts remain', async () => {
    const { jobs, clock, queue } = open();
    await jobs.enqueue(newJob(queue, { maxAttempts: 2 }));
    const { lease } = await claimOne(jobs, queue);
    clock.set(lease.expiresAt);
    const changed = (await jobs.expireLeases()).filter((job) => job.id === lease.jobId);
    expect(changed).toEqual([
      expect.objectContaining({
        status: JobStatus.Queued,
        attempts: 1,
        leaseId: undefined,
        workerId: undefined,
        leaseExpiresAt: undefined,
      }),
    ]);
    expect((await claimOne(jobs, queue)).job).toMatchObject({ id: lease.jobId, attempts: 2 });
  });

  it('become lost through expireLeases when the attempts are used up', async () => {
    const { jobs, clock, queue } = open();
    await jobs.enqueue(newJob(queue, { maxAttempts: 2 }));
    const first = await claimOne(jobs, queue);
    clock.set(first.lease.expiresAt);
    const second = await claimOne(jobs, queue);
    clock.set(second.lease.expiresAt);
    const changed = (await jobs.expireLeases()).filter((job) => job.id === first.job.id);
    expect(changed).toEqual([expect.objectContaining({ status: JobStatus.Lost, attempts: 2 })]);
    expect((await jobs.getJob(first.job.id)).status).toBe(JobStatus.Lost);
  });

  it('leave live leases alone in expireLeases', async () => {
    const { jobs, clock, queue } = open();
    await jobs.enqueue(newJob(queue));
    const { lease } = await claimOne(jobs, queue);
    clock.set(lease.expiresAt - 1);
    const changed = (await jobs.expireLeases()).filter((job) => job.id === lease.jobId);
    expect(changed).toEqual([]);
    expect((await jobs.getJob(lease.jobId)).status).toBe(JobStatus.Leased);
  });
}

function requestCancelBehaviour(open: () => Opened): void {
  it('cancels a queued job at once', async () => {
    const { jobs, queue } = open();
    const { id } = await jobs.enqueue(newJob(queue));
    expect((await jobs.requestCancel(id)).status).toBe(JobStatus.Cancelled);
    expect(await jobs.claim({ queue, workerId: 'worker-1', leaseMs })).toBeUndefined();
  });

  it('marks a leased job cancelRequested and leaves it leased', async () => {
    const { jobs, queue } = open();
    await jobs.enqueue(newJob(queue));
    const { lease } = await claimOne(jobs, queue);
    expect(await jobs.requestCancel(lease.jobId)).toMatchObject({
      status: JobStatus.Leased,
      cancelRequested: true,
      leaseId: lease.leaseId,
    });
  });

  it('lets a leased job finish normally', async () => {
    const { jobs, queue } = open();
    await jobs.enqueue(newJob(queue));
    const { lease } = await claimOne(jobs, queue);
    await jobs.requestCancel(lease.jobId);
    const job = await jobs.complete({
      jobId: lease.jobId,
      leaseId: lease.leaseId,
      outcome: 'failed',
    });
    expect(job.status).toBe(JobStatus.Failed);
  });

  it('cancels a leased job when its lease lapses, attempts or not', async () => {
    const { jobs, clock, queue } = open();
    await jobs.enqueue(newJob(queue, { maxAttempts: 3 }));
    const { lease } = await claimOne(jobs, queue);
    await jobs.requestCancel(lease.jobId);
    clock.set(lease.expiresAt);
    expect(await jobs.claim({ queue, workerId: 'worker-2', leaseMs })).toBeUndefined();
    const changed = (await jobs.expireLeases()).filter((job) => job.id === lease.jobId);
    expect(changed).toEqual([expect.objectContaining({ status: JobStatus.Cancelled })]);
  });

  it('leaves a finished job as it is', async () => {
    const { jobs, queue } = open();
    await jobs.enqueue(newJob(queue));
    const { lease } = await claimOne(jobs, queue);
    const done = await jobs.complete({
      jobId: lease.jobId,
      leaseId: lease.leaseId,
      outcome: 'succeeded',
    });
    expect(await jobs.requestCancel(lease.jobId)).toEqual(done);
  });

  it('fails with NotFound for an unknown job', async () => {
    const { jobs, queue } = open();
    await expectAppError(jobs.requestCancel(`${queue}-missing`), AppErrorKind.NotFound);
  });
}

function lookupBehaviour(open: () => Opened): void {
  it('getJob fails with NotFound for an unknown id', async () => {
    const { jobs, queue } = open();
    const error = await expectAppError(jobs.getJob(`${queue}-missing`), AppErrorKind.NotFound);
    expect(error.resource).toBe('job');
  });

  it('findJob returns undefined for an unknown id', async () => {
    const { jobs, queue } = open();
    expect(await jobs.findJob(`${queue}-missing`)).toBeUndefined();
  });
}

function watchBehaviour(open: () => Opened): void {
  it('calls the listener with the queue name on enqueue', async () => {
    const { jobs, queue } = open();
    const woken: string[] = [];
    const unsubscribe = jobs.watch((name) => woken.push(name));
    try {
      await jobs.enqueue(newJob(queue));
      await eventually(() => woken.includes(queue), { message: `a wake-up for ${queue}` });
    } finally {
      unsubscribe();
    }
  });

  it('calls the listener when expireLeases makes a job claimable again', async () => {
    const { jobs, clock, queue } = open();
    await jobs.enqueue(newJob(queue, { maxAttempts: 2 }));
    const { lease } = await claimOne(jobs, queue);
    clock.set(lease.expiresAt);
    const woken: string[] = [];
    const unsubscribe = jobs.watch((name) => woken.push(name));
    try {
      await jobs.expireLeases();
      await eventually(() => woken.includes(queue), { message: `a wake-up for ${queue}` });
    } finally {
      unsubscribe();
    }
  });

  it('stops calling the listener once unsubscribed', async () => {
    const { jobs, queue } = open();
    const stopped: string[] = [];
    const still: string[] = [];
    jobs.watch((name) => stopped.push(name))();
    const unsubscribe = jobs.watch((name) => still.push(name));
    try {
      await jobs.enqueue(newJob(queue));
      // Both listeners hear the same signal, so once one has it the other would have too.
      await eventually(() => still.includes(queue), { message: `a wake-up for ${queue}` });
      expect(stopped).toEqual([]);
    } finally {
      unsubscribe();
    }
  });
}
