/**
 * The two ways a build ends early, as one signal for the work the executor does not supervise
 * (source download, packaging, uploads): a stop (the caller's AbortSignal) or the deadline.
 */
export class BuildBudget {
  readonly #controller = new AbortController();
  readonly #stop: AbortSignal | undefined;
  readonly #deadline: number;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  readonly #onStop = () => this.#controller.abort(new Error('The build was stopped'));

  constructor(options: { signal?: AbortSignal; deadline: number; now: () => number }) {
    this.#stop = options.signal;
    this.#deadline = options.deadline;
    this.#now = options.now;
    if (this.#stop?.aborted) this.#onStop();
    else this.#stop?.addEventListener('abort', this.#onStop, { once: true });
    this.#arm();
  }

  /** Aborted once the build is stopped or past its deadline. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Why the build must end now, if it must. A stop wins over a deadline passed at once. */
  reason(): 'STOPPED' | 'TIMED_OUT' | undefined {
    if (this.#stop?.aborted) return 'STOPPED';
    if (this.#now() >= this.#deadline) return 'TIMED_OUT';
    return undefined;
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#stop?.removeEventListener('abort', this.#onStop);
  }

  #arm(): void {
    const left = this.#deadline - this.#now();
    if (left <= 0) {
      this.#controller.abort(new Error('The build timed out'));
      return;
    }
    this.#timer = setTimeout(() => this.#arm(), Math.min(left, 2 ** 31 - 1));
    this.#timer.unref();
  }
}
