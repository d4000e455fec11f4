import type { JsonValue } from '../platform/json.ts';

export const JobStatus = {
  Queued: 'queued',
  Leased: 'leased',
  Succeeded: 'succeeded',
  Failed: 'failed',
  /** Its lease lapsed with no attempts left: the worker died or lost contact. */
  Lost: 'lost',
  Cancelled: 'cancelled',
} as const;
export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];

export const terminalJobStatuses: ReadonlySet<JobStatus> = new Set([
  JobStatus.Succeeded,
  JobStatus.Failed,
  JobStatus.Lost,
  JobStatus.Cancelled,
]);

/** A unit of work done elsewhere (a build, a lifecycle hook), handed out under a lease. */
export interface Job {
  readonly id: string;
  /** Routing key: a worker claims from one queue, e.g. `build:default` or `host:i-0abc`. */
  readonly queue: string;
  readonly payload: JsonValue;
  readonly status: JobStatus;
  /** How many times it has been claimed. */
  readonly attempts: number;
  /** Claims allowed before a lapsed lease makes it lost instead of visible again. */
  readonly maxAttempts: number;
  readonly availableAt: number;
  readonly leaseId: string | undefined;
  readonly workerId: string | undefined;
  readonly leaseExpiresAt: number | undefined;
  readonly cancelRequested: boolean;
  readonly result: JsonValue | undefined;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface NewJob {
  readonly id?: string;
  readonly queue: string;
  readonly payload: JsonValue;
  /** Defaults to 1: a lapsed lease makes the job lost rather than running it twice. */
  readonly maxAttempts?: number;
  /** Not claimable before this time (epoch ms); defaults to now. */
  readonly availableAt?: number;
}

export interface Lease {
  readonly jobId: string;
  readonly leaseId: string;
  readonly workerId: string;
  readonly expiresAt: number;
}

export interface ClaimedJob {
  readonly job: Job;
  readonly lease: Lease;
}

export const JobOutcome = { Succeeded: 'succeeded', Failed: 'failed' } as const;
export type JobOutcome = (typeof JobOutcome)[keyof typeof JobOutcome];
