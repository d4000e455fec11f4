import type { PipelinesService } from '@slipway/core';
import type { Logger } from 'pino';
import { WakeSignal } from './wake-signal.ts';

export interface PipelineReconcilerDeps {
  readonly pipelines: Pick<
    PipelinesService,
    'reconcileDue' | 'nextDue' | 'resumeUnfinished' | 'watchDue'
  >;
  readonly now: () => number;
  readonly log: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** The longest it sleeps without a wake-up: a safety net for a lost signal, not the mechanism. */
const maxSleepMs = 30_000;

/**
 * The pipelines' timer and wake-up loop. Most transitions happen inline (an action result moves
 * its execution on in the same transaction); this loop handles what no request carries: approval
 * and action deadlines, executions woken because a stage was freed or a transition enabled, and
 * after a restart every unfinished execution once. It sleeps until the earliest deadline or a
 * wake-up signal, never polling on a short interval.
 */
export class PipelineReconciler {
  readonly #deps: PipelineReconcilerDeps;
  readonly #signal = new WakeSignal();
  #loop: Promise<void> = Promise.resolve();
  #unwatch: (() => void) | undefined;

  constructor(deps: PipelineReconcilerDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#unwatch = this.#deps.pipelines.watchDue(() => this.#signal.notify());
    this.#loop = this.#run();
  }

  async close(): Promise<void> {
    this.#unwatch?.();
    this.#signal.close();
    await this.#loop;
  }

  async #run(): Promise<void> {
    try {
      const resumed = await this.#deps.pipelines.resumeUnfinished();
      if (resumed > 0)
        this.#deps.log.info({ executions: resumed }, 'resumed unfinished executions');
    } catch (error) {
      this.#deps.log.error({ err: error }, 'resuming executions failed');
    }
    while (!this.#signal.closed) {
      try {
        this.#signal.take();
        await this.#deps.pipelines.reconcileDue();
        const next = await this.#deps.pipelines.nextDue();
        if (this.#signal.pending) continue;
        const wait = next === undefined ? maxSleepMs : next - this.#deps.now();
        if (wait > 0) await this.#signal.sleep(Math.min(wait, maxSleepMs));
      } catch (error) {
        this.#deps.log.error({ err: error }, 'pipeline reconcile failed; retrying');
        await this.#signal.pause(1_000);
      }
    }
  }
}
