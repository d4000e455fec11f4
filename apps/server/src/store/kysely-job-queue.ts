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
  type JsonValue,
  type NewJob,
  type Random,
} from '@slipway/core';
import type { ExpressionBuilder, Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from './database.ts';
import { Channel } from './notifier.ts';
import type { Schema } from './schema.ts';

type JobRow = Selectable<Schema['jobs']>;

export interface JobQueueDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly random: Random;
}

/**
 * Leased jobs on either dialect. Every state change is one conditional UPDATE, so it is atomic
 * without an explicit transaction; on PostgreSQL the claim's `FOR UPDATE SKIP LOCKED` lets
 * concurrent claimers pass each other instead of queueing on the same row.
 */
export class KyselyJobQueue implements JobQueue {
  readonly #deps: JobQueueDeps;

  constructor(deps: JobQueueDeps) {
    this.#deps = deps;
  }

  async enqueue(job: NewJob): Promise<Job> {
    const id = job.id ?? this.#deps.random.uuid();
    const row = await this.#db
      .insertInto('jobs')
      .values(newJobRow(job, id, this.#deps.clock.now()))
      .onConflict((oc) => oc.column('id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row === undefined) {
      throw new AppError(AppErrorKind.AlreadyExists, `Job ${id} already exists`, {
        resource: 'job',
      });
    }
    await this.#deps.database.notifier.publish(Channel.Jobs, job.queue);
    return toJob(row);
  }

  async claim(options: ClaimOptions): Promise<ClaimedJob | undefined> {
    const now = this.#deps.clock.now();
    const leaseId = this.#deps.random.uuid();
    const postgres = this.#deps.database.dialect === 'postgres';
    const next = this.#db
      .selectFrom('jobs')
      .select('id')
      .where('queue', '=', options.queue)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', JobStatus.Queued), eb('available_at', '<=', now)]),
          eb.and([
            eb('status', '=', JobStatus.Leased),
            eb('lease_expires_at', '<=', now),
            eb('attempts', '<', eb.ref('max_attempts')),
            eb('cancel_requested', '=', 0),
          ]),
        ]),
      )
      .orderBy('available_at')
      .orderBy('created_at')
      .orderBy('id')
      .limit(1);
    // Most claims find nothing (workers re-claim after every job and on every wake-up): a read
    // answers those without a write transaction, which on SQLite would wait for a commit.
    if ((await next.executeTakeFirst()) === undefined) return undefined;
    const row = await this.#db
      .updateTable('jobs')
      .set((eb) => ({
        status: JobStatus.Leased,
        attempts: eb('attempts', '+', 1),
        lease_id: leaseId,
        worker_id: options.workerId,
        lease_expires_at: now + options.leaseMs,
        updated_at: now,
      }))
      .where(
        'id',
        '=',
        next.$if(postgres, (qb) => qb.forUpdate().skipLocked()),
      )
      .returningAll()
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const job = toJob(row);
    return {
      job,
      lease: {
        jobId: job.id,
        leaseId,
        workerId: options.workerId,
        expiresAt: now + options.leaseMs,
      },
    };
  }

  async heartbeat(options: HeartbeatOptions): Promise<HeartbeatResult> {
    const now = this.#deps.clock.now();
    const row = await this.#db
      .updateTable('jobs')
      .set({ lease_expires_at: now + options.leaseMs, updated_at: now })
      .where((eb) => liveLease(eb, options.jobId, options.leaseId, now))
      .returning(['lease_expires_at', 'cancel_requested'])
      .executeTakeFirst();
    if (row === undefined) throw await this.#leaseLost(options.jobId);
    return { expiresAt: Number(row.lease_expires_at), cancelRequested: row.cancel_requested === 1 };
  }

  async complete(options: CompleteOptions): Promise<Job> {
    const now = this.#deps.clock.now();
    const row = await this.#db
      .updateTable('jobs')
      .set({
        status: options.outcome,
        result: options.result === undefined ? null : JSON.stringify(options.result),
        updated_at: now,
      })
      .where((eb) => liveLease(eb, options.jobId, options.leaseId, now))
      .returningAll()
      .executeTakeFirst();
    if (row !== undefined) return toJob(row);
    // A retried completion (the first answer was lost) finds its own outcome already recorded.
    const job = await this.findJob(options.jobId);
    if (job?.leaseId === options.leaseId && job.status === options.outcome) return job;
    throw await this.#leaseLost(options.jobId);
  }

  async requestCancel(jobId: string): Promise<Job> {
    const now = this.#deps.clock.now();
    await this.#db
      .updateTable('jobs')
      .set({ status: JobStatus.Cancelled, updated_at: now })
      .where('id', '=', jobId)
      .where('status', '=', JobStatus.Queued)
      .execute();
    await this.#db
      .updateTable('jobs')
      .set({ cancel_requested: 1, updated_at: now })
      .where('id', '=', jobId)
      .where('status', '=', JobStatus.Leased)
      .execute();
    return this.getJob(jobId);
  }

  async expireLeases(): Promise<Job[]> {
    const now = this.#deps.clock.now();
    const lapsed = (eb: ExpressionBuilder<Schema, 'jobs'>) =>
      eb.and([eb('status', '=', JobStatus.Leased), eb('lease_expires_at', '<=', now)]);
    // Runs every second on every server: an indexed read first, so the common case (nothing
    // lapsed) never opens a write transaction, which on SQLite would block the event loop on
    // an fsync.
    const any = await this.#db
      .selectFrom('jobs')
      .select('id')
      .where(lapsed)
      .limit(1)
      .executeTakeFirst();
    if (any === undefined) return [];
    const { cancelled, lost, requeued } = await this.#db.transaction().execute(async (trx) => ({
      cancelled: await trx
        .updateTable('jobs')
        .set({ status: JobStatus.Cancelled, updated_at: now })
        .where(lapsed)
        .where('cancel_requested', '=', 1)
        .returningAll()
        .execute(),
      lost: await trx
        .updateTable('jobs')
        .set({ status: JobStatus.Lost, updated_at: now })
        .where(lapsed)
        .where('cancel_requested', '=', 0)
        .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
        .returningAll()
        .execute(),
      requeued: await trx
        .updateTable('jobs')
        .set({
          status: JobStatus.Queued,
          lease_id: null,
          worker_id: null,
          lease_expires_at: null,
          updated_at: now,
        })
        .where(lapsed)
        // A cancel that lands between these statements must win, not be requeued.
        .where('cancel_requested', '=', 0)
        .returningAll()
        .execute(),
    }));
    for (const queue of new Set(requeued.map((r) => r.queue))) {
      await this.#deps.database.notifier.publish(Channel.Jobs, queue);
    }
    return [...cancelled, ...lost, ...requeued].map(toJob);
  }

  async findJob(jobId: string): Promise<Job | undefined> {
    const row = await this.#db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', jobId)
      .executeTakeFirst();
    return row === undefined ? undefined : toJob(row);
  }

  async getJob(jobId: string): Promise<Job> {
    const job = await this.findJob(jobId);
    if (job === undefined) throw AppError.notFound('job', `Job ${jobId} does not exist`);
    return job;
  }

  watch(listener: (queue: string) => void): () => void {
    return this.#deps.database.notifier.subscribe(Channel.Jobs, listener);
  }

  async #leaseLost(jobId: string): Promise<AppError> {
    const job = await this.getJob(jobId);
    return new AppError(
      AppErrorKind.Conflict,
      `The lease on job ${jobId} is no longer held (job is ${job.status})`,
      { resource: 'job' },
    );
  }

  get #db(): Kysely<Schema> {
    return this.#deps.database.db;
  }
}

function liveLease(
  eb: ExpressionBuilder<Schema, 'jobs'>,
  jobId: string,
  leaseId: string,
  now: number,
) {
  return eb.and([
    eb('id', '=', jobId),
    eb('lease_id', '=', leaseId),
    eb('status', '=', JobStatus.Leased),
    eb('lease_expires_at', '>', now),
  ]);
}

/**
 * The row of a job about to be queued. Exported so a component can enqueue jobs inside its own
 * transaction (publishing on `Channel.Jobs` after commit), as `appendEvents` does for events.
 */
export function newJobRow(job: NewJob, id: string, now: number): Insertable<Schema['jobs']> {
  const maxAttempts = job.maxAttempts ?? 1;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw AppError.invalidInput('maxAttempts must be a positive integer', [
      { path: 'maxAttempts', message: 'must be a positive integer' },
    ]);
  }
  return {
    id,
    queue: job.queue,
    payload: JSON.stringify(job.payload),
    status: JobStatus.Queued,
    attempts: 0,
    max_attempts: maxAttempts,
    available_at: job.availableAt ?? now,
    lease_id: null,
    worker_id: null,
    lease_expires_at: null,
    cancel_requested: 0,
    result: null,
    created_at: now,
    updated_at: now,
  };
}

/**
 * Enqueues `jobs` and requests the cancellation of `cancelJobs` inside a component's own
 * transaction (queued ones end at once, leased ones see it on their next heartbeat). Returns the
 * queues to publish on `Channel.Jobs` once the transaction has committed.
 */
export async function writeJobChanges(
  trx: Transaction<Schema>,
  change: {
    readonly jobs?: readonly NewJob[] | undefined;
    readonly cancelJobs?: readonly string[] | undefined;
  },
  ids: { readonly now: number; readonly newId: () => string },
): Promise<Set<string>> {
  const queues = new Set<string>();
  for (const job of change.jobs ?? []) {
    await trx
      .insertInto('jobs')
      .values(newJobRow(job, job.id ?? ids.newId(), ids.now))
      .execute();
    queues.add(job.queue);
  }
  const cancelled = [...new Set(change.cancelJobs ?? [])];
  if (cancelled.length > 0) {
    await trx
      .updateTable('jobs')
      .set({ status: JobStatus.Cancelled, updated_at: ids.now })
      .where('id', 'in', cancelled)
      .where('status', '=', JobStatus.Queued)
      .execute();
    await trx
      .updateTable('jobs')
      .set({ cancel_requested: 1, updated_at: ids.now })
      .where('id', 'in', cancelled)
      .where('status', '=', JobStatus.Leased)
      .execute();
  }
  return queues;
}

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    queue: row.queue,
    payload: JSON.parse(row.payload) as JsonValue,
    status: row.status as JobStatus,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    availableAt: Number(row.available_at),
    leaseId: row.lease_id ?? undefined,
    workerId: row.worker_id ?? undefined,
    leaseExpiresAt: row.lease_expires_at === null ? undefined : Number(row.lease_expires_at),
    cancelRequested: row.cancel_requested === 1,
    result: row.result === null ? undefined : (JSON.parse(row.result) as JsonValue),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
