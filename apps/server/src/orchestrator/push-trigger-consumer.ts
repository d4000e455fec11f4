import type { EventLog, EventRecord } from '@slipway/core';
import { SourceEventType } from '@slipway/core';
import type { Logger } from 'pino';

export interface PushTriggerConsumerDeps {
  readonly events: EventLog;
  readonly cursors: {
    get(consumer: string): Promise<number>;
    advance(consumer: string, seq: number): Promise<void>;
  };
  /** Starts the pipelines an event calls for; idempotent per event. */
  readonly handle: (event: EventRecord) => Promise<string[]>;
  readonly log: Pick<Logger, 'info' | 'warn' | 'error'>;
}

const consumer = 'pipelines-push';
const pageSize = 100;
/** A read even without a wake-up, in case a signal was lost; wake-ups do the real work. */
const safetyReadMs = 30_000;

/**
 * Reads `source.reference-updated` events from the durable log, from its own cursor, and starts
 * the pipelines they trigger. Woken by the log's signal (LISTEN/NOTIFY across servers), so a
 * push reaches the orchestrator in milliseconds; the cursor survives restarts, so a push made
 * while no server ran still starts its pipelines.
 */
export class PushTriggerConsumer {
  readonly #deps: PushTriggerConsumerDeps;
  #closed = false;
  #signalled = false;
  #wake: (() => void) | undefined;
  #loop: Promise<void> = Promise.resolve();
  #unwatch: (() => void) | undefined;

  constructor(deps: PushTriggerConsumerDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#unwatch = this.#deps.events.watch(() => {
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
    let after = await this.#deps.cursors.get(consumer).catch(() => 0);
    while (!this.#closed) {
      try {
        this.#signalled = false;
        const events = await this.#deps.events.read({
          after,
          limit: pageSize,
          types: [SourceEventType.ReferenceUpdated],
        });
        for (const event of events) {
          if (this.#closed) return;
          const started = await this.#deps.handle(event);
          if (started.length > 0) {
            this.#deps.log.info({ seq: event.seq, executions: started }, 'push started pipelines');
          }
          after = event.seq;
          await this.#deps.cursors.advance(consumer, after);
        }
        if (events.length < pageSize && !this.#signalled) await this.#idle();
      } catch (error) {
        this.#deps.log.error({ err: error }, 'push trigger handling failed; retrying');
        await this.#idle(1_000);
      }
    }
  }

  #idle(ms = safetyReadMs): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
      if (this.#closed) done();
    });
  }
}
