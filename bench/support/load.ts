import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** One request; resolves on success, throws on anything else. */
export type Call = () => Promise<void>;

export interface LoadResult {
  readonly sent: number;
  readonly succeeded: number;
  /** Failure description → count. */
  readonly errors: ReadonlyMap<string, number>;
  /** Of successful requests only. */
  readonly latenciesMs: readonly number[];
  /** From the first send to the last answer. */
  readonly elapsedMs: number;
}

export interface OpenLoopOptions {
  readonly ratePerSecond: number;
  readonly durationMs: number;
  readonly call: Call;
  /** How long to wait for answers after the last send before counting them as lost. */
  readonly drainTimeoutMs: number;
}

/**
 * Open loop: request i is due at start + i/rate whether or not earlier ones have answered, and
 * its latency runs from that due time, so a stall shows up in the tail instead of silently
 * lowering the rate (no coordinated omission).
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<LoadResult> {
  const recorder = new Recorder();
  const intervalMs = 1000 / options.ratePerSecond;
  const total = Math.round((options.ratePerSecond * options.durationMs) / 1000);
  const pending = new Set<Promise<void>>();
  const start = performance.now();
  let sent = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      while (sent < total && start + sent * intervalMs <= performance.now()) {
        const due = start + sent * intervalMs;
        sent += 1;
        const request = recorder.track(options.call, due);
        pending.add(request);
        void request.finally(() => pending.delete(request));
      }
      if (sent >= total) done();
      else setTimeout(tick, Math.max(0, start + sent * intervalMs - performance.now()));
    };
    tick();
  });
  await Promise.race([Promise.all(pending), sleep(options.drainTimeoutMs)]);
  if (pending.size > 0) {
    recorder.fail(`no answer within ${options.drainTimeoutMs} ms of the last send`, pending.size);
  }
  return recorder.result(sent, start);
}

export interface ClosedLoopOptions {
  readonly concurrency: number;
  readonly durationMs: number;
  readonly call: Call;
}

/** Closed loop: `concurrency` callers, each sending its next request as soon as one answers. */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<LoadResult> {
  const recorder = new Recorder();
  const start = performance.now();
  const deadline = start + options.durationMs;
  let sent = 0;
  const caller = async () => {
    while (performance.now() < deadline) {
      sent += 1;
      await recorder.track(options.call, performance.now());
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, caller));
  return recorder.result(sent, start);
}

class Recorder {
  readonly #latencies: number[] = [];
  readonly #errors = new Map<string, number>();
  #succeeded = 0;
  #lastAnswer = 0;

  async track(call: Call, from: number): Promise<void> {
    try {
      await call();
      this.#succeeded += 1;
      this.#latencies.push(performance.now() - from);
    } catch (error) {
      this.fail(describeError(error));
    }
    this.#lastAnswer = performance.now();
  }

  fail(description: string, count = 1): void {
    this.#errors.set(description, (this.#errors.get(description) ?? 0) + count);
  }

  result(sent: number, start: number): LoadResult {
    return {
      sent,
      succeeded: this.#succeeded,
      errors: this.#errors,
      latenciesMs: this.#latencies,
      elapsedMs: Math.max(this.#lastAnswer, start) - start,
    };
  }
}

/** SDK errors carry the HTTP status in `$metadata`; keep it, it says which side failed. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const message = error.message.length > 160 ? `${error.message.slice(0, 160)}…` : error.message;
  return `${error.name}${status === undefined ? '' : ` (HTTP ${status})`}: ${message}`;
}

export function errorCount(result: LoadResult): number {
  let count = 0;
  for (const n of result.errors.values()) count += n;
  return count;
}
