import type { DeploymentsService } from '@slipway/core';
import type { Logger } from 'pino';

export interface DeploymentReconcilerDeps {
  readonly deployments: Pick<DeploymentsService, 'reconcile'>;
  readonly intervalMs: number;
  readonly log: Pick<Logger, 'error'>;
}

/**
 * Every few seconds, settles what no agent reports: host commands whose jobs ended unseen and
 * commands no agent picked up in time (DeploymentsService.reconcile). Lost leases are reported
 * at once by the lease reaper; this is for hosts whose agent never came.
 */
export class DeploymentReconciler {
  readonly #deps: DeploymentReconcilerDeps;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(deps: DeploymentReconcilerDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#schedule();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#running = this.#deps.deployments
        .reconcile()
        .catch((error: unknown) =>
          this.#deps.log.error({ err: error }, 'deployment reconcile failed'),
        )
        .finally(() => this.#schedule());
    }, this.#deps.intervalMs);
    this.#timer.unref();
  }
}
