import { JobStatus, type Job, type JobQueue } from '@slipway/core';
import type { Logger } from 'pino';

export interface LeaseReaperDeps {
  readonly jobs: JobQueue;
  readonly intervalMs: number;
  readonly log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /**
   * Runs after each pass with the jobs it changed: components settle what depended on them
   * (a build whose runner died ends FAILED) and reconcile their own deadlines.
   */
  readonly afterPass?: (changed: readonly Job[]) => Promise<void>;
}

/**
 * Finds lapsed leases every `intervalMs`, so a worker that died is noticed within seconds: its job
 * becomes claimable again or `lost`. Every server runs one; each expiry is a single conditional
 * UPDATE, so two reapers never change the same job twice.
 */
export class LeaseReaper {
  readonly #deps: LeaseReaperDeps;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(deps: LeaseReaperDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#schedule();
  }

  /** One pass; returns the jobs it changed. */
  async tick(): Promise<Job[]> {
    const changed = await this.#deps.jobs.expireLeases();
    for (const job of changed) {
      const entry = { jobId: job.id, queue: job.queue, status: job.status, attempts: job.attempts };
      if (job.status === JobStatus.Lost) this.#deps.log.warn(entry, 'job lost: its lease lapsed');
      else this.#deps.log.info(entry, 'lapsed lease expired');
    }
    await this.#deps.afterPass?.(changed);
    return changed;
  }

  /** Stops the loop and waits for a pass in progress. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#running = this.tick()
        .catch((error: unknown) => this.#deps.log.error({ err: error }, 'lease expiry failed'))
        .finally(() => this.#schedule());
    }, this.#deps.intervalMs);
    this.#timer.unref();
  }
}
