import { performance } from 'node:perf_hooks';

export interface BatchOptions {
  readonly count: number;
  readonly concurrency: number;
  /** Item i; resolves on success, throws on anything else. */
  readonly call: (index: number) => Promise<void>;
  /** No item starts after this many ms from the first; the rest are not attempted. */
  readonly budgetMs?: number;
}

export interface BatchResult {
  readonly attempted: number;
  readonly succeeded: number;
  /** Failure description → count. */
  readonly errors: ReadonlyMap<string, number>;
  /** Of successful items only. */
  readonly latenciesMs: readonly number[];
  /** From the first start to the last answer. */
  readonly elapsedMs: number;
  /** True when the budget ran out before every item started. */
  readonly cutShort: boolean;
}

/** A fixed number of items, `concurrency` at a time, each starting as soon as one finishes. */
export async function runBatch(options: BatchOptions): Promise<BatchResult> {
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  const start = performance.now();
  const deadline = start + (options.budgetMs ?? Number.POSITIVE_INFINITY);
  let next = 0;
  let succeeded = 0;
  let cutShort = false;
  const worker = async () => {
    while (next < options.count) {
      if (performance.now() > deadline) {
        cutShort = true;
        return;
      }
      const index = next;
      next += 1;
      const began = performance.now();
      try {
        await options.call(index);
        latencies.push(performance.now() - began);
        succeeded += 1;
      } catch (error) {
        const description = describeError(error);
        errors.set(description, (errors.get(description) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return {
    attempted: next,
    succeeded,
    errors,
    latenciesMs: latencies,
    elapsedMs: performance.now() - start,
    cutShort,
  };
}

/** SDK errors carry the HTTP status in `$metadata`; keep it, it says which side failed. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const message = error.message.length > 160 ? `${error.message.slice(0, 160)}…` : error.message;
  return `${error.name}${status === undefined ? '' : ` (HTTP ${status})`}: ${message}`;
}

export function batchErrors(label: string, result: BatchResult): string[] {
  return [...result.errors].map(([error, count]) => `${label}: ${count} × ${error}`);
}
