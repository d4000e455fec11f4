import {
  triggerDeliveryQueue,
  type ClaimedJob,
  type JobQueue,
  type TriggerDeliveryPayload,
  type WebhookSender,
} from '@slipway/core';
import type { Logger } from 'pino';

export interface TriggerDeliveryDeps {
  readonly jobs: JobQueue;
  readonly webhooks: WebhookSender;
  readonly workerId: string;
  /** Waits between attempts within one claim; their sum must stay well inside the lease. */
  readonly retryDelaysMs: readonly number[];
  readonly log: Pick<Logger, 'info' | 'warn' | 'error'>;
}

const leaseMs = 60_000;
/** A claim is retried this often even without a wake-up, in case a signal was missed. */
const idlePollMs = 5_000;

/**
 * Delivers repository trigger messages queued with the push that caused them. Each message is
 * a leased job: tried a few times with backoff under one lease, and if this server dies the
 * lease lapses and another server tries again (the job allows a few claims).
 */
export class TriggerDeliveryWorker {
  readonly #deps: TriggerDeliveryDeps;
  #closed = false;
  #wake: (() => void) | undefined;
  /** A job may have arrived since the last claim began; set by the watcher, so none is missed. */
  #signalled = false;
  #loop: Promise<void> = Promise.resolve();
  #unwatch: (() => void) | undefined;

  constructor(deps: TriggerDeliveryDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#unwatch = this.#deps.jobs.watch((queue) => {
      if (queue !== triggerDeliveryQueue) return;
      this.#signalled = true;
      this.#wake?.();
    });
    this.#loop = this.#run();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#unwatch?.();
    this.#wake?.();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      try {
        this.#signalled = false;
        const claimed = await this.#deps.jobs.claim({
          queue: triggerDeliveryQueue,
          workerId: this.#deps.workerId,
          leaseMs,
        });
        if (claimed === undefined) {
          if (!this.#signalled) await this.#idle();
        } else {
          await this.#deliver(claimed);
        }
      } catch (error) {
        this.#deps.log.error({ err: error }, 'trigger delivery failed unexpectedly');
        await this.#idle();
      }
    }
  }

  async #deliver({ job, lease }: ClaimedJob): Promise<void> {
    const payload = job.payload as TriggerDeliveryPayload;
    let failure = '';
    for (const [attempt, delay] of [0, ...this.#deps.retryDelaysMs].entries()) {
      if (delay > 0) await sleep(delay);
      const result = await this.#deps.webhooks.send(payload.url, payload.body);
      if (result.ok) {
        await this.#deps.jobs.complete({
          jobId: job.id,
          leaseId: lease.leaseId,
          outcome: 'succeeded',
        });
        return;
      }
      failure = result.message;
      this.#deps.log.warn(
        { jobId: job.id, trigger: payload.triggerName, attempt: attempt + 1, reason: failure },
        'trigger delivery attempt failed',
      );
    }
    await this.#deps.jobs.complete({
      jobId: job.id,
      leaseId: lease.leaseId,
      outcome: 'failed',
      result: { error: failure },
    });
  }

  #idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, idlePollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
      if (this.#closed) done();
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
