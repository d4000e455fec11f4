import {
  AppError,
  AppErrorKind,
  JobStatus,
  type ClaimedJob,
  type ClaimOptions,
  type Clock,
  type CompleteOptions,
  type HeartbeatOptions,
  type HeartbeatResult,
  type Job,
  type JobQueue,
  type NewJob,
  type Random,
} from '@slipway/core';
import { jsonCopy } from './json-copy.ts';
import { settle } from './settle.ts';

export interface InMemoryJobQueueDeps {
  readonly clock: Clock;
  readonly random: Random;
}

/** The job queue in a Map, with the semantics of `KyselyJobQueue`; the contract suite holds both. */
export class InMemoryJobQueue implements JobQueue {
  readonly #deps: InMemoryJobQueueDeps;
  readonly #jobs = new Map<string, Job>();
  readonly #listeners = new Set<(queue: string) => void>();

  constructor(deps: InMemoryJobQueueDeps) {
    this.#deps = deps;
  }

  enqueue(job: NewJob): Promise<Job> {
    return settle(() => {
      const now = this.#deps.clock.now();
      const maxAttempts = job.maxAttempts ?? 1;
      if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
        throw AppError.invalidInput('maxAttempts must be a positive integer', [
          { path: 'maxAttempts', message: 'must be a positive integer' },
        ]);
      }
      const id = job.id ?? this.#deps.random.uuid();
      if (this.#jobs.has(id)) {
        throw new AppError(AppErrorKind.AlreadyExists, `Job ${id} already exists`, {
          resource: 'job',
        });
      }
      const stored: Job = {
        id,
        queue: job.queue,
        payload: jsonCopy(job.payload),
        status: JobStatus.Queued,
        attempts: 0,
        maxAttempts,
        availableAt: job.availableAt ?? now,
        leaseId: undefined,
        workerId: undefined,
        leaseExpiresAt: undefined,
        cancelRequested: false,
        result: undefined,
        createdAt: now,
        updatedAt: now,
      };
      this.#jobs.set(id, stored);
      this.#notify(job.queue);
      return stored;
    });
  }

  claim(options: ClaimOptions): Promise<ClaimedJob | undefined> {
    return settle(() => {
      const now = this.#deps.clock.now();
      const next = [...this.#jobs.values()]
        .filter((job) => job.queue === options.queue && isClaimable(job, now))
        .sort(byAvailability)[0];
      if (next === undefined) return undefined;
      const lease = {
        jobId: next.id,
        leaseId: this.#deps.random.uuid(),
        workerId: options.workerId,
        expiresAt: now + options.leaseMs,
      };
      const job = this.#update(next, {
        status: JobStatus.Leased,
        attempts: next.attempts + 1,
        leaseId: lease.leaseId,
        workerId: lease.workerId,
        leaseExpiresAt: lease.expiresAt,
        updatedAt: now,
      });
      return { job, lease };
    });
  }

  heartbeat(options: HeartbeatOptions): Promise<HeartbeatResult> {
    return settle(() => {
      const now = this.#deps.clock.now();
      const job = this.#liveJob(options.jobId, options.leaseId, now);
      const updated = this.#update(job, {
        leaseExpiresAt: now + options.leaseMs,
        updatedAt: now,
      });
      return { expiresAt: now + options.leaseMs, cancelRequested: updated.cancelRequested };
    });
  }

  complete(options: CompleteOptions): Promise<Job> {
    return settle(() => {
      const now = this.#deps.clock.now();
      const job = this.#jobs.get(options.jobId);
      if (job !== undefined && isLive(job, options.leaseId, now)) {
        return this.#update(job, {
          status: options.outcome,
          result: options.result === undefined ? undefined : jsonCopy(options.result),
          updatedAt: now,
        });
      }
      // A retried completion (the first answer was lost) finds its own outcome already recorded.
      if (job?.leaseId === options.leaseId && job.status === options.outcome) return job;
      throw this.#leaseLost(options.jobId);
    });
  }

  requestCancel(jobId: string): Promise<Job> {
    return settle(() => {
      const now = this.#deps.clock.now();
      const job = this.#get(jobId);
      if (job.status === JobStatus.Queued) {
        return this.#update(job, { status: JobStatus.Cancelled, updatedAt: now });
      }
      if (job.status === JobStatus.Leased) {
        return this.#update(job, { cancelRequested: true, updatedAt: now });
      }
      return job;
    });
  }

  expireLeases(): Promise<Job[]> {
    return settle(() => {
      const now = this.#deps.clock.now();
      const lapsed = [...this.#jobs.values()].filter(
        (job) =>
          job.status === JobStatus.Leased &&
          job.leaseExpiresAt !== undefined &&
          job.leaseExpiresAt <= now,
      );
      const cancelled = lapsed
        .filter((job) => job.cancelRequested)
        .map((job) => this.#update(job, { status: JobStatus.Cancelled, updatedAt: now }));
      const lost = lapsed
        .filter((job) => !job.cancelRequested && job.attempts >= job.maxAttempts)
        .map((job) => this.#update(job, { status: JobStatus.Lost, updatedAt: now }));
      const requeued = lapsed
        .filter((job) => !job.cancelRequested && job.attempts < job.maxAttempts)
        .map((job) =>
          this.#update(job, {
            status: JobStatus.Queued,
            leaseId: undefined,
            workerId: undefined,
            leaseExpiresAt: undefined,
            updatedAt: now,
          }),
        );
      for (const queue of new Set(requeued.map((job) => job.queue))) this.#notify(queue);
      return [...cancelled, ...lost, ...requeued];
    });
  }

  findJob(jobId: string): Promise<Job | undefined> {
    return Promise.resolve(this.#jobs.get(jobId));
  }

  getJob(jobId: string): Promise<Job> {
    return settle(() => this.#get(jobId));
  }

  watch(listener: (queue: string) => void): () => void {
    // A wrapper, so subscribing the same function twice gives two independent subscriptions.
    const subscription = (queue: string) => listener(queue);
    this.#listeners.add(subscription);
    return () => this.#listeners.delete(subscription);
  }

  #get(jobId: string): Job {
    const job = this.#jobs.get(jobId);
    if (job === undefined) throw AppError.notFound('job', `Job ${jobId} does not exist`);
    return job;
  }

  #liveJob(jobId: string, leaseId: string, now: number): Job {
    const job = this.#jobs.get(jobId);
    if (job === undefined || !isLive(job, leaseId, now)) throw this.#leaseLost(jobId);
    return job;
  }

  #leaseLost(jobId: string): AppError {
    const job = this.#get(jobId);
    return new AppError(
      AppErrorKind.Conflict,
      `The lease on job ${jobId} is no longer held (job is ${job.status})`,
      { resource: 'job' },
    );
  }

  #update(job: Job, changes: Partial<Job>): Job {
    const updated: Job = { ...job, ...changes };
    this.#jobs.set(job.id, updated);
    return updated;
  }

  #notify(queue: string): void {
    for (const listener of [...this.#listeners]) listener(queue);
  }
}

function isClaimable(job: Job, now: number): boolean {
  if (job.status === JobStatus.Queued) return job.availableAt <= now;
  return (
    job.status === JobStatus.Leased &&
    job.leaseExpiresAt !== undefined &&
    job.leaseExpiresAt <= now &&
    job.attempts < job.maxAttempts &&
    !job.cancelRequested
  );
}

function isLive(job: Job, leaseId: string, now: number): boolean {
  return (
    job.leaseId === leaseId &&
    job.status === JobStatus.Leased &&
    job.leaseExpiresAt !== undefined &&
    job.leaseExpiresAt > now
  );
}

/** The SQL stores' claim order: available first, then created first, then by id. */
function byAvailability(a: Job, b: Job): number {
  if (a.availableAt !== b.availableAt) return a.availableAt - b.availableAt;
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
