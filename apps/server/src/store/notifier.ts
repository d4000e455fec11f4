import { EventEmitter } from 'node:events';

/** Channels a store publishes on; payloads are short strings (a queue name, an event seq). */
export const Channel = {
  Events: 'slipway_events',
  Jobs: 'slipway_jobs',
  /** A build changed; the payload is its id. */
  Builds: 'slipway_builds',
  /** Log events were appended; the payload is the stream's `logStreamKeyText`. */
  Logs: 'slipway_logs',
  /** Pipeline executions became due (woken, or given a deadline); waiters re-read `listDue`. */
  Pipelines: 'slipway_pipelines',
} as const;
export type Channel = (typeof Channel)[keyof typeof Channel];

/**
 * Wake-up signals between the writers and the waiters of the store, across every server on the
 * same database. Delivery is best effort: listeners must re-read state, never trust a signal.
 */
export interface Notifier {
  subscribe(channel: Channel, listener: (payload: string) => void): () => void;
  /**
   * Signals every subscriber on every server. Call it after the transaction that made the change
   * has committed, so a woken reader finds the change.
   */
  publish(channel: Channel, payload: string): Promise<void>;
  close(): Promise<void>;
}

export class LocalNotifier implements Notifier {
  readonly #emitter = new EventEmitter().setMaxListeners(0);

  subscribe(channel: Channel, listener: (payload: string) => void): () => void {
    this.#emitter.on(channel, listener);
    return () => this.#emitter.off(channel, listener);
  }

  publish(channel: Channel, payload: string): Promise<void> {
    this.#emitter.emit(channel, payload);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#emitter.removeAllListeners();
    return Promise.resolve();
  }
}
