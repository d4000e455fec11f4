import { AppErrorKind, isAppError, type Clock, type JobQueue } from '@slipway/core';
import type { Logger } from 'pino';
import { ActionAborted, ActionAbortKind } from './action-abort.ts';

export interface ActionLeaseOptions {
  readonly jobs: JobQueue;
  readonly jobId: string;
  readonly leaseId: string;
  readonly leaseMs: number;
  readonly clock: Clock;
  readonly log: Pick<Logger, 'warn'>;
}

/**
 * Keeps one claimed `pipeline-action` job's lease alive while its action runs: a heartbeat every
 * third of the lease. Its `signal` aborts when the heartbeat says the job was cancelled (the
 * action was abandoned), when the lease is no longer ours (Conflict), or when heartbeats have
 * failed for a whole lease; the last two stop the heartbeats, the first keeps them going so the
 * executor can stop its build under a live lease.
 */
export class ActionLease {
  readonly #options: ActionLeaseOptions;
  readonly #controller = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #beat: Promise<void> = Promise.resolve();
  #stopped = false;
  #lastRenewed: number;

  constructor(options: ActionLeaseOptions) {
    this.#options = options;
    this.#lastRenewed = options.clock.now();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  start(): void {
    this.#schedule();
  }

  /** Aborts the signal (once); a lost or released lease also stops the heartbeats. */
  abort(kind: ActionAbortKind, message: string): void {
    if (kind === ActionAbortKind.LeaseLost || kind === ActionAbortKind.Released) this.#halt();
    if (!this.#controller.signal.aborted) this.#controller.abort(new ActionAborted(kind, message));
  }

  /** Stops the heartbeats and waits for one in flight. */
  async stop(): Promise<void> {
    this.#halt();
    await this.#beat;
  }

  #halt(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(
      () => {
        this.#beat = this.#heartbeat().finally(() => this.#schedule());
      },
      Math.max(1, Math.floor(this.#options.leaseMs / 3)),
    );
    this.#timer.unref();
  }

  async #heartbeat(): Promise<void> {
    const { jobs, jobId, leaseId, leaseMs, clock, log } = this.#options;
    try {
      const beat = await jobs.heartbeat({ jobId, leaseId, leaseMs });
      this.#lastRenewed = clock.now();
      if (beat.cancelRequested) {
        this.abort(ActionAbortKind.Cancelled, 'The action was abandoned');
      }
    } catch (error) {
      if (isAppError(error) && error.kind === AppErrorKind.Conflict) {
        this.abort(ActionAbortKind.LeaseLost, error.message);
        return;
      }
      log.warn({ err: error, jobId }, 'action heartbeat failed');
      if (clock.now() - this.#lastRenewed >= leaseMs) {
        this.abort(ActionAbortKind.LeaseLost, 'The lease could not be renewed in time');
      }
    }
  }
}
