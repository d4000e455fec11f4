import type { Clock, EventLog, EventRecord, NewEvent, ReadEventsOptions } from '@slipway/core';
import { jsonCopy } from './json-copy.ts';
import { settle } from './settle.ts';

const defaultReadLimit = 500;

/** The event log in an array, with the semantics of `KyselyEventLog`. */
export class InMemoryEventLog implements EventLog {
  readonly #clock: Clock;
  readonly #events: EventRecord[] = [];
  readonly #listeners = new Set<() => void>();
  #lastSeq = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  append(events: readonly NewEvent[]): Promise<EventRecord[]> {
    return settle(() => {
      if (events.length === 0) return [];
      const now = this.#clock.now();
      const records = events.map((event): EventRecord => ({
        seq: ++this.#lastSeq,
        type: event.type,
        subject: event.subject,
        data: jsonCopy(event.data),
        createdAt: now,
      }));
      this.#events.push(...records);
      for (const listener of [...this.#listeners]) listener();
      return records.map(copyRecord);
    });
  }

  read(options: ReadEventsOptions): Promise<EventRecord[]> {
    return settle(() => {
      const { after, limit = defaultReadLimit, types } = options;
      if (types?.length === 0) return [];
      return this.#events
        .filter((event) => event.seq > after && (types === undefined || types.includes(event.type)))
        .slice(0, Math.max(0, limit))
        .map(copyRecord);
    });
  }

  watch(listener: () => void): () => void {
    const subscription = () => listener();
    this.#listeners.add(subscription);
    return () => this.#listeners.delete(subscription);
  }
}

/** Each read hands out its own copy of the data, as a store that parses JSON text does. */
function copyRecord(record: EventRecord): EventRecord {
  return { ...record, data: jsonCopy(record.data) };
}
