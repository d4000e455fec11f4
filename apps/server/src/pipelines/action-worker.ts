import {
  actionTypeKey,
  pipelineActionQueue,
  type ActionAttemptRef,
  type ActionControls,
  type ActionExecutor,
  type ActionResult,
  type ActionTask,
  type ClaimedJob,
  type Clock,
  type JobOutcome,
  type JobQueue,
  type JsonValue,
  type PipelineActionJobPayload,
  type PipelinesService,
} from '@slipway/core';
import type { Logger } from 'pino';
import { abortError, abortKindOf, ActionAbortKind } from './action-abort.ts';
import { ActionLease } from './action-lease.ts';
import { failedResult, messageOf } from './executors/action-results.ts';

/** What the worker needs of the pipelines service. */
export type ActionTaskService = Pick<
  PipelinesService,
  'openActionTask' | 'saveActionCheckpoint' | 'completeActionTask'
>;

export interface ActionWorkerDeps {
  readonly jobs: JobQueue;
  readonly pipelines: ActionTaskService;
  /** By `actionTypeKey` (`Build/AWS/CodeBuild/1`); see `defaultExecutors`. */
  readonly executors: ReadonlyMap<string, ActionExecutor>;
  readonly clock: Clock;
  readonly workerId: string;
  readonly log: Pick<Logger, 'info' | 'warn' | 'error'>;
}

export interface ActionWorkerOptions {
  /** Actions run at once; most of them only wait on a build. Default 16. */
  readonly concurrency?: number | undefined;
  /**
   * Lease of a claimed job, renewed every third of it. Default 15 s, as build jobs: a server
   * that dies hands its actions to another within that.
   */
  readonly leaseMs?: number | undefined;
  /** How long `close()` waits for running actions before leaving them to another server. */
  readonly closeGraceMs?: number | undefined;
  /** A claim is retried this often even without a wake-up, in case a signal was missed. */
  readonly idlePollMs?: number | undefined;
}

interface Running {
  readonly lease: ActionLease;
  readonly done: Promise<void>;
}

const maxTimerMs = 2 ** 31 - 1;

/**
 * Runs the AWS-owned actions the server executes itself (sources, builds, commands, S3
 * deploys): claims `pipeline-action` jobs, opens each one's task, runs the executor for its
 * action type under a heartbeated lease, and reports the result to the pipelines service
 * before completing the job, so a crash in between only re-runs an idempotent executor.
 * A job whose lease is lost is dropped without reporting anything: another worker owns it.
 */
export class ActionWorker {
  readonly #deps: ActionWorkerDeps;
  readonly #concurrency: number;
  readonly #leaseMs: number;
  readonly #closeGraceMs: number;
  readonly #idlePollMs: number;
  readonly #running = new Map<string, Running>();
  #closed = false;
  #wake: (() => void) | undefined;
  /** A job may have arrived since the last claim began; set by the watcher, so none is missed. */
  #signalled = false;
  #loop: Promise<void> = Promise.resolve();
  #unwatch: (() => void) | undefined;

  constructor(deps: ActionWorkerDeps, options: ActionWorkerOptions = {}) {
    this.#deps = deps;
    this.#concurrency = Math.max(1, options.concurrency ?? 16);
    this.#leaseMs = options.leaseMs ?? 15_000;
    this.#closeGraceMs = options.closeGraceMs ?? 2_000;
    this.#idlePollMs = options.idlePollMs ?? 5_000;
  }

  start(): void {
    this.#unwatch = this.#deps.jobs.watch((queue) => {
      if (queue !== pipelineActionQueue) return;
      this.#signalled = true;
      this.#wake?.();
    });
    this.#loop = this.#run();
  }

  /**
   * Stops claiming and waits a short grace for running actions; those still running then are
   * released (they stop waiting, report nothing, and their leases lapse for another server).
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#unwatch?.();
    this.#wake?.();
    await this.#loop;
    const inFlight = [...this.#running.values()];
    if (inFlight.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      Promise.allSettled(inFlight.map((r) => r.done)).then(() => true),
      new Promise<boolean>(
        (resolve) => (timer = setTimeout(() => resolve(false), this.#closeGraceMs)),
      ),
    ]);
    clearTimeout(timer);
    if (finished) return;
    for (const running of this.#running.values()) {
      running.lease.abort(ActionAbortKind.Released, 'The server is shutting down');
    }
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      if (this.#running.size >= this.#concurrency) {
        await this.#idle();
        continue;
      }
      try {
        this.#signalled = false;
        const claimed = await this.#deps.jobs.claim({
          queue: pipelineActionQueue,
          workerId: this.#deps.workerId,
          leaseMs: this.#leaseMs,
        });
        if (claimed === undefined) {
          if (!this.#signalled) await this.#idle();
        } else {
          this.#begin(claimed);
        }
      } catch (error) {
        this.#deps.log.error({ err: error }, 'claiming a pipeline action failed');
        await this.#idle();
      }
    }
  }

  #begin(claimed: ClaimedJob): void {
    const { jobs, clock, log } = this.#deps;
    const lease = new ActionLease({
      jobs,
      jobId: claimed.job.id,
      leaseId: claimed.lease.leaseId,
      leaseMs: this.#leaseMs,
      clock,
      log,
    });
    lease.start();
    const done = this.#handle(claimed, lease)
      .catch((error: unknown) => {
        log.error({ err: error, jobId: claimed.job.id }, 'pipeline action job failed');
      })
      .finally(async () => {
        await lease.stop();
        this.#running.delete(claimed.job.id);
        this.#wake?.();
      });
    this.#running.set(claimed.job.id, { lease, done });
  }

  async #handle(claimed: ClaimedJob, lease: ActionLease): Promise<void> {
    const payload = payloadOf(claimed.job.payload);
    if (payload === undefined) {
      this.#deps.log.error({ jobId: claimed.job.id }, 'pipeline action job has a bad payload');
      await this.#completeJob(claimed, 'failed', { error: 'invalid payload' });
      return;
    }
    const ref: ActionAttemptRef = {
      executionId: payload.executionId,
      actionExecutionId: payload.actionExecutionId,
    };
    const task = await this.#deps.pipelines.openActionTask(payload);
    if (isGone(lease.signal)) return;
    if (task === undefined) {
      await this.#completeJob(claimed, 'succeeded');
      return;
    }
    const result = await this.#execute(task, ref, lease);
    if (isGone(lease.signal)) {
      this.#deps.log.info(
        { ...ref, jobId: claimed.job.id },
        'pipeline action left to another worker',
      );
      return;
    }
    if (result === undefined) {
      // Abandoned: the pipelines service already decided the action's outcome.
      await this.#completeJob(claimed, 'failed', { error: 'cancelled' });
      return;
    }
    await this.#deps.pipelines.completeActionTask(ref, result);
    await this.#completeJob(claimed, result.status === 'Succeeded' ? 'succeeded' : 'failed');
  }

  /** The executor's result; undefined when the action was abandoned or the lease lost. */
  async #execute(
    task: ActionTask,
    ref: ActionAttemptRef,
    lease: ActionLease,
  ): Promise<ActionResult | undefined> {
    const { executors, clock, log, pipelines } = this.#deps;
    const key = actionTypeKey(task.actionTypeId);
    const executor = executors.get(key);
    if (executor === undefined) {
      return failedResult(`Slipway cannot run actions of type ${key} on the server`);
    }
    if (clock.now() >= task.deadline) return timedOutResult();
    const stopDeadline = armDeadline(clock, task.deadline, () =>
      lease.abort(ActionAbortKind.TimedOut, 'The action timed out'),
    );
    const controls: ActionControls = {
      signal: lease.signal,
      save: async (checkpoint, external) => {
        if (isGone(lease.signal)) throw abortError(lease.signal);
        await pipelines.saveActionCheckpoint(ref, checkpoint, external);
      },
    };
    try {
      const result = await executor.execute(task, controls);
      return abortKindOf(lease.signal) === ActionAbortKind.Cancelled ? undefined : result;
    } catch (error) {
      const kind = abortKindOf(lease.signal);
      if (kind === ActionAbortKind.TimedOut) return timedOutResult();
      if (kind !== undefined) return undefined;
      log.error({ err: error, ...ref, actionType: key }, 'action executor failed');
      return failedResult(messageOf(error));
    } finally {
      stopDeadline();
    }
  }

  async #completeJob(claimed: ClaimedJob, outcome: JobOutcome, result?: JsonValue): Promise<void> {
    try {
      await this.#deps.jobs.complete({
        jobId: claimed.job.id,
        leaseId: claimed.lease.leaseId,
        outcome,
        ...(result === undefined ? {} : { result }),
      });
    } catch (error) {
      // The action is already reported; a lost lease only means the job ends another way.
      this.#deps.log.warn(
        { err: error, jobId: claimed.job.id },
        'completing a pipeline action job failed',
      );
    }
  }

  #idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.#idlePollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
      if (this.#closed) done();
    });
  }
}

/** The lease is no longer this worker's to use: someone else owns the action, or we let go. */
function isGone(signal: AbortSignal): boolean {
  const kind = abortKindOf(signal);
  return kind === ActionAbortKind.LeaseLost || kind === ActionAbortKind.Released;
}

function payloadOf(payload: JsonValue): PipelineActionJobPayload | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const { executionId, actionExecutionId } = payload as Readonly<Record<string, JsonValue>>;
  if (typeof executionId !== 'string' || typeof actionExecutionId !== 'string') return undefined;
  return { executionId, actionExecutionId };
}

function timedOutResult(): ActionResult {
  const message = 'The action did not complete before its timeout';
  return {
    status: 'Failed',
    summary: message,
    errorDetails: { code: 'TimeoutError', message },
  };
}

/** Calls `onDeadline` at `deadline` (epoch ms by `clock`); returns how to cancel it. */
function armDeadline(clock: Clock, deadline: number, onDeadline: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const left = deadline - clock.now();
    if (left <= 0) {
      onDeadline();
      return;
    }
    timer = setTimeout(arm, Math.min(left, maxTimerMs));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
