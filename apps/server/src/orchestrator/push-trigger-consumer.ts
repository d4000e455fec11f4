import type { EventLog, EventRecord } from '@slipway/core';
import { SourceEventType } from '@slipway/core';
import type { Logger } from 'pino';
import { WakeSignal } from './wake-signal.ts';

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
/** Tries of one event before it is passed over. */
const maxAttempts = 3;

/**
 * Reads `source.reference-updated` events from the durable log, from its own cursor, and starts
 * the pipelines they trigger. Woken by the log's signal (LISTEN/NOTIFY across servers), so a
 * push reaches the orchestrator in milliseconds; the cursor survives restarts, so a push made
 * while no server ran still starts its pipelines.
 */
export class PushTriggerConsumer {
  readonly #deps: PushTriggerConsumerDeps;
  readonly #signal = new WakeSignal();
  #loop: Promise<void> = Promise.resolve();
  #unwatch: (() => void) | undefined;

  constructor(deps: PushTriggerConsumerDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#unwatch = this.#deps.events.watch(() => this.#signal.notify());
    this.#loop = this.#run();
  }

  async close(): Promise<void> {
    this.#unwatch?.();
    this.#signal.close();
    await this.#loop;
  }

  /**
   * Starts what one event calls for, trying a few times; false when closing mid-way: an event that keeps failing (a
   * repository whose history git cannot diff, say) is logged and passed over, so it cannot hold
   * back every later push.
   */
  async #handle(event: EventRecord): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        const started = await this.#deps.handle(event);
        if (started.length > 0) {
          this.#deps.log.info({ seq: event.seq, executions: started }, 'push started pipelines');
        }
        return true;
      } catch (error) {
        // Closing: the event stays unread, for the next start.
        if (this.#signal.closed) return false;
        if (attempt >= maxAttempts) {
          this.#deps.log.error(
            { err: error, seq: event.seq, subject: event.subject },
            'push could not start its pipelines; passed over',
          );
          return true;
        }
        await this.#signal.pause(attempt * 500);
      }
    }
  }

  async #run(): Promise<void> {
    let after = await this.#deps.cursors.get(consumer).catch(() => 0);
    while (!this.#signal.closed) {
      try {
        this.#signal.take();
        const events = await this.#deps.events.read({
          after,
          limit: pageSize,
          types: [SourceEventType.ReferenceUpdated],
        });
        for (const event of events) {
          if (this.#signal.closed) return;
          if (!(await this.#handle(event))) return;
          after = event.seq;
          await this.#deps.cursors.advance(consumer, after);
        }
        if (events.length < pageSize) await this.#signal.sleep(safetyReadMs);
      } catch (error) {
        this.#deps.log.error({ err: error }, 'push trigger handling failed; retrying');
        await this.#signal.pause(1_000);
      }
    }
  }
}
