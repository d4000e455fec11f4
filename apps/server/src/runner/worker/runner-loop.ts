import { JobErrorCode, JobProtocolError } from '@slipway/protocol';
import { runBuildJob, type BuildJobDeps } from './run-build-job.ts';

export interface RunnerLoopOptions extends BuildJobDeps {
  /** Names this runner in leases and logs. */
  readonly workerId: string;
  /** Builds run at once. */
  readonly concurrency: number;
  /** Long-poll time per claim. */
  readonly waitMs?: number;
}

/**
 * A runner: `concurrency` slots, each claiming a build (long-poll), running it, and claiming
 * the next. The same loop serves `slipway runner` against a remote server and the embedded
 * server's own runner against itself.
 */
export class RunnerLoop {
  readonly #options: RunnerLoopOptions;
  readonly #claims = new AbortController();
  readonly #builds = new AbortController();
  #slots: Promise<void>[] = [];

  constructor(options: RunnerLoopOptions) {
    this.#options = options;
  }

  start(): void {
    const count = Math.max(1, this.#options.concurrency);
    this.#slots = Array.from({ length: count }, (_, slot) => this.#slot(slot));
  }

  /**
   * Claims nothing more; running builds get `graceMs` to finish, then are stopped (the server
   * records them as stopped, or fails them when their lease lapses).
   */
  async stop(graceMs = 0): Promise<void> {
    this.#claims.abort();
    const finished = Promise.all(this.#slots);
    const timer = setTimeout(() => this.#builds.abort(), graceMs);
    await finished;
    clearTimeout(timer);
  }

  async #slot(slot: number): Promise<void> {
    const { client, log } = this.#options;
    let failures = 0;
    while (!this.#claims.signal.aborted) {
      try {
        const claim = await client.claimBuild(
          { workerId: `${this.#options.workerId}/${slot}`, waitMs: this.#options.waitMs ?? 25_000 },
          this.#claims.signal,
        );
        failures = 0;
        if (claim !== undefined) await runBuildJob(claim, this.#options, this.#builds.signal);
      } catch (error) {
        if (this.#claims.signal.aborted) break;
        failures += 1;
        if (error instanceof JobProtocolError && error.code === JobErrorCode.Unauthorized) {
          log.error('the server refused the runner token; check --token');
        } else {
          log.warn({ err: error }, 'could not claim a build; retrying');
        }
        await pause(Math.min(500 * 2 ** Math.min(failures, 4), 10_000), this.#claims.signal);
      }
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
