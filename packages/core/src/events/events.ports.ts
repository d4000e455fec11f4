import type { EventRecord, NewEvent } from './event.model.ts';

export interface ReadEventsOptions {
  /** Return events with `seq` greater than this; 0 reads from the start. */
  readonly after: number;
  readonly limit?: number;
  readonly types?: readonly string[];
}

/**
 * The durable event bus: an append-only log plus a wake-up signal. Readers keep their own cursor
 * (`after`); `watch` only says "there may be more", so a missed signal never loses an event.
 * Sequence numbers become visible in order: a reader that has seen `seq = n` never later finds
 * a new event with a smaller `seq`.
 */
export interface EventLog {
  append(events: readonly NewEvent[]): Promise<EventRecord[]>;
  read(options: ReadEventsOptions): Promise<EventRecord[]>;
  /** Calls `listener` after events are appended, here or on another server. Returns unsubscribe. */
  watch(listener: () => void): () => void;
}
