import type { JsonValue } from '../platform/json.ts';
import type { ClaimedJob, Job, JobOutcome, NewJob } from './job.model.ts';

export interface ClaimOptions {
  readonly queue: string;
  readonly workerId: string;
  readonly leaseMs: number;
}

export interface HeartbeatOptions {
  readonly jobId: string;
  readonly leaseId: string;
  readonly leaseMs: number;
}

export interface HeartbeatResult {
  readonly expiresAt: number;
  /** StopBuild / StopDeployment reach the worker through here: no second channel. */
  readonly cancelRequested: boolean;
}

export interface CompleteOptions {
  readonly jobId: string;
  readonly leaseId: string;
  readonly outcome: JobOutcome;
  readonly result?: JsonValue;
}

/**
 * Leased jobs. Every call that names a lease fails with `Conflict` when that lease is no longer
 * the job's live lease (expired, completed by someone else, or reclaimed), so a worker that lost
 * its job finds out on its next call and can never overwrite another worker's outcome.
 */
export interface JobQueue {
  enqueue(job: NewJob): Promise<Job>;
  /** The oldest claimable job of the queue, leased to the worker; undefined when none is ready. */
  claim(options: ClaimOptions): Promise<ClaimedJob | undefined>;
  heartbeat(options: HeartbeatOptions): Promise<HeartbeatResult>;
  /** Idempotent: completing again with the same lease returns the job unchanged. */
  complete(options: CompleteOptions): Promise<Job>;
  /** Queued jobs are cancelled at once; leased ones see `cancelRequested` on their next heartbeat. */
  requestCancel(jobId: string): Promise<Job>;
  /** Lapsed leases: visible again when attempts remain, else `lost`. Returns the jobs it changed. */
  expireLeases(): Promise<Job[]>;
  findJob(jobId: string): Promise<Job | undefined>;
  getJob(jobId: string): Promise<Job>;
  /** Calls `listener` with the queue name when a job may have become claimable. */
  watch(listener: (queue: string) => void): () => void;
}
