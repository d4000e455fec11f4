import type { Readable } from 'node:stream';
import type { OutputStream, RunOptions } from './executor.ts';

interface Pending {
  readonly name: OutputStream;
  readonly chunk: Buffer;
}

/**
 * Hands output chunks to the sink as they come, one call at a time and in arrival order. While
 * an asynchronous sink is busy, arriving chunks wait in a short queue and their stream is
 * paused, so the kernel's pipe buffer (and then the build) waits instead of memory filling.
 * Pausing alone is not enough: Node resumes a child's stdio by itself when the child exits.
 */
export class OutputPump {
  readonly #sink: RunOptions['onOutput'];
  readonly #fail: (error: unknown) => void;
  readonly #queue: Pending[] = [];
  readonly #paused = new Set<Readable>();
  readonly #idleWaiters: (() => void)[] = [];
  #busy = false;
  #failed = false;
  #lastActivity = performance.now();

  constructor(sink: RunOptions['onOutput'], fail: (error: unknown) => void) {
    this.#sink = sink;
    this.#fail = (error) => {
      this.#failed = true;
      this.#queue.length = 0;
      fail(error);
    };
  }

  pump(stream: Readable | null, name: OutputStream): void {
    if (stream === null) return;
    stream.on('data', (chunk: Buffer) => {
      this.#lastActivity = performance.now();
      if (this.#sink === undefined || this.#failed) return;
      if (!this.#busy) return this.#deliver({ name, chunk });
      this.#queue.push({ name, chunk });
      stream.pause();
      this.#paused.add(stream);
    });
  }

  /** Waits until the output has closed, or (with `idleMs`) has gone quiet after the exit. */
  async drained(
    closed: Promise<void>,
    idleMs: number | undefined,
    streams: readonly (Readable | null)[],
  ): Promise<void> {
    if (idleMs === undefined) {
      await closed;
    } else {
      this.#lastActivity = performance.now();
      let watchdog: NodeJS.Timeout | undefined;
      const quiet = new Promise<void>((resolve) => {
        watchdog = setInterval(() => {
          if (this.#busy || performance.now() - this.#lastActivity < idleMs) return;
          for (const stream of streams) stream?.destroy();
          resolve();
        }, idleMs / 4);
      });
      try {
        await Promise.race([closed, quiet]);
      } finally {
        clearInterval(watchdog);
      }
    }
    // The last chunks may still be on their way to the sink.
    if (this.#busy) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  #deliver(item: Pending): void {
    let pending: void | Promise<void>;
    try {
      pending = this.#sink?.(item.name, item.chunk);
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (!(pending instanceof Promise)) return;
    this.#busy = true;
    pending.then(
      () => this.#next(),
      (error: unknown) => {
        this.#fail(error);
        this.#next();
      },
    );
  }

  #next(): void {
    this.#busy = false;
    this.#lastActivity = performance.now();
    for (let item = this.#queue.shift(); item !== undefined; item = this.#queue.shift()) {
      this.#deliver(item);
      if (this.#busy) return;
    }
    for (const stream of this.#paused) stream.resume();
    this.#paused.clear();
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
