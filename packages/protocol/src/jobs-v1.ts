/**
 * The job protocol, version 1: the one contract between the server and the processes that do
 * work elsewhere (build runners now, deployment agents later). JSON over HTTP, every call
 * authenticated (`Authorization: Bearer <runner token>`), every call after the claim naming
 * its lease. See packages/protocol/README.md.
 */
export const jobsV1Path = '/_slipway/jobs/v1';

/** Kinds of work a worker may ask for. */
export const JobKind = { Build: 'build' } as const;
export type JobKind = (typeof JobKind)[keyof typeof JobKind];

/** `POST /claim`: answered at once with a job when one is ready, else after `waitMs` with 204. */
export interface ClaimRequest {
  readonly kinds: readonly JobKind[];
  /** Names the worker in leases and logs (`runner-<host>-<pid>`). */
  readonly workerId: string;
  /** Long-poll time; the server caps it (25 s). */
  readonly waitMs?: number;
}

export interface Lease {
  readonly jobId: string;
  readonly leaseId: string;
  /** Epoch ms; heartbeats extend it. */
  readonly expiresAt: number;
}

export interface ClaimResponse<Spec = unknown> {
  readonly kind: JobKind;
  readonly lease: Lease;
  /** What to run: a BuildJobSpec for `build`. */
  readonly spec: Spec;
}

/** `POST /jobs/<id>/heartbeat`. */
export interface HeartbeatRequest {
  readonly leaseId: string;
}

export interface HeartbeatResponse {
  readonly expiresAt: number;
  /** StopBuild reached the job: stop, then complete it as stopped. */
  readonly cancelRequested: boolean;
}

/** `POST /jobs/<id>/logs`: ordered batches; a sequence the server has seen is ignored. */
export interface LogAppendRequest {
  readonly leaseId: string;
  /** 1, 2, 3… per job. */
  readonly sequence: number;
  readonly events: readonly { readonly timestamp: number; readonly message: string }[];
}

/** Every error answer: `{ "error": { "code", "message" } }` with a 4xx/5xx status. */
export const JobErrorCode = {
  /** 401: no or wrong runner token. */
  Unauthorized: 'Unauthorized',
  /** 409: the lease expired, was completed, or belongs to another worker: stop the job. */
  LeaseLost: 'LeaseLost',
  /** 409: the call contradicts the job's state (a phase out of order, a log sequence gap). */
  Conflict: 'Conflict',
  NotFound: 'NotFound',
  /** 400: a malformed request; retrying it will not help. */
  InvalidRequest: 'InvalidRequest',
  /** 5xx: try again. */
  Internal: 'Internal',
} as const;
export type JobErrorCode = (typeof JobErrorCode)[keyof typeof JobErrorCode];

export interface JobErrorBody {
  readonly error: { readonly code: JobErrorCode; readonly message: string };
}
