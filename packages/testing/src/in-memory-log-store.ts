import {
  LogStreamOrder,
  logStreamKeyText,
  messageMatches,
  type AppendLogChunk,
  type AppendLogResult,
  type FilterEventsQuery,
  type ListLogGroupsQuery,
  type ListLogStreamsQuery,
  type LogEvent,
  type LogGroup,
  type LogStore,
  type LogStream,
  type LogStreamKey,
  type ReadStreamQuery,
} from '@slipway/core';
import { compareKeys, copyOf } from './in-memory-builds-support.ts';
import { settle } from './settle.ts';

interface StoredEvent extends LogEvent {
  readonly key: string;
  readonly id: number;
}

/** Log groups, streams and events in Maps, with the semantics of `KyselyLogStore`. */
export class InMemoryLogStore implements LogStore {
  readonly #groups = new Map<string, Omit<LogGroup, 'storedBytes'>>();
  readonly #streams = new Map<string, LogStream>();
  readonly #events: StoredEvent[] = [];
  readonly #listeners = new Set<(key: string) => void>();
  #lastEventId = 0;

  createStream(key: LogStreamKey, now: number): Promise<void> {
    return settle(() => {
      const groupKey = groupKeyOf(key.accountId, key.region, key.logGroupName);
      if (!this.#groups.has(groupKey)) {
        this.#groups.set(groupKey, {
          accountId: key.accountId,
          region: key.region,
          logGroupName: key.logGroupName,
          creationTime: now,
        });
      }
      const text = logStreamKeyText(key);
      if (this.#streams.has(text)) return;
      this.#streams.set(text, {
        ...key,
        creationTime: now,
        firstEventTimestamp: undefined,
        lastEventTimestamp: undefined,
        lastIngestionTime: undefined,
        storedBytes: 0,
        eventCount: 0,
        lastSequence: 0,
        truncated: false,
      });
    });
  }

  findGroup(accountId: string, region: string, name: string): Promise<LogGroup | undefined> {
    return settle(() => {
      const group = this.#groups.get(groupKeyOf(accountId, region, name));
      return group === undefined ? undefined : this.#withBytes(group);
    });
  }

  findStream(key: LogStreamKey): Promise<LogStream | undefined> {
    return settle(() => {
      const stream = this.#streams.get(logStreamKeyText(key));
      return stream === undefined ? undefined : copyOf(stream);
    });
  }

  append(chunk: AppendLogChunk): Promise<AppendLogResult> {
    return settle((): AppendLogResult => {
      const text = logStreamKeyText(chunk.key);
      const stream = this.#streams.get(text);
      if (stream === undefined) return { kind: 'missing' };
      if (chunk.sequence <= stream.lastSequence)
        return { kind: 'duplicate', stream: copyOf(stream) };
      if (chunk.sequence !== stream.lastSequence + 1) {
        return { kind: 'out-of-order', stream: copyOf(stream) };
      }
      let seq = stream.eventCount;
      for (const event of chunk.events) {
        seq += 1;
        this.#lastEventId += 1;
        this.#events.push({
          key: text,
          id: this.#lastEventId,
          logStreamName: stream.logStreamName,
          seq,
          timestamp: event.timestamp,
          message: event.message,
          ingestionTime: chunk.ingestionTime,
          eventId: String(this.#lastEventId),
        });
      }
      const timestamps = chunk.events.map((e) => e.timestamp);
      const updated: LogStream = {
        ...stream,
        firstEventTimestamp: stream.firstEventTimestamp ?? timestamps[0],
        lastEventTimestamp:
          timestamps.length === 0
            ? stream.lastEventTimestamp
            : Math.max(stream.lastEventTimestamp ?? 0, ...timestamps),
        lastIngestionTime:
          chunk.events.length === 0 ? stream.lastIngestionTime : chunk.ingestionTime,
        storedBytes: stream.storedBytes + chunk.bytes,
        eventCount: seq,
        lastSequence: chunk.sequence,
        truncated: stream.truncated || chunk.truncated,
      };
      this.#streams.set(text, updated);
      for (const listener of [...this.#listeners]) listener(text);
      return { kind: 'appended', stream: copyOf(updated) };
    });
  }

  readStream(query: ReadStreamQuery): Promise<LogEvent[]> {
    return settle(() => {
      const text = logStreamKeyText(query.key);
      const matching = this.#events.filter(
        (e) =>
          e.key === text &&
          (query.afterSeq === undefined || e.seq > query.afterSeq) &&
          (query.beforeSeq === undefined || e.seq < query.beforeSeq) &&
          (query.startTime === undefined || e.timestamp >= query.startTime) &&
          (query.endTime === undefined || e.timestamp < query.endTime),
      );
      const limit = Math.max(0, query.limit);
      const page =
        query.direction === 'forward'
          ? matching.slice(0, limit)
          : matching.slice(Math.max(0, matching.length - limit));
      return page.map(outputOf);
    });
  }

  filterEvents(query: FilterEventsQuery): Promise<LogEvent[]> {
    return settle(() => {
      const prefix = `${groupKeyOf(query.accountId, query.region, query.logGroupName)}:`;
      const { after } = query;
      return this.#events
        .filter((e) => e.key.startsWith(prefix))
        .filter(
          (e) =>
            (query.logStreamNames === undefined ||
              query.logStreamNames.includes(e.logStreamName)) &&
            (query.logStreamNamePrefix === undefined ||
              e.logStreamName.startsWith(query.logStreamNamePrefix)) &&
            (query.startTime === undefined || e.timestamp >= query.startTime) &&
            (query.endTime === undefined || e.timestamp <= query.endTime) &&
            messageMatches(e.message, query.match),
        )
        .filter(
          (e) =>
            after === undefined ||
            e.timestamp > after.timestamp ||
            (e.timestamp === after.timestamp && e.id > after.eventId),
        )
        .sort((a, b) => a.timestamp - b.timestamp || a.id - b.id)
        .slice(0, Math.max(0, query.limit))
        .map(outputOf);
    });
  }

  listGroups(query: ListLogGroupsQuery): Promise<LogGroup[]> {
    return settle(() =>
      [...this.#groups.values()]
        .filter(
          (g) =>
            g.accountId === query.accountId &&
            g.region === query.region &&
            (query.prefix === undefined || g.logGroupName.startsWith(query.prefix)) &&
            (query.after === undefined || compareKeys(g.logGroupName, query.after) > 0),
        )
        .sort((a, b) => compareKeys(a.logGroupName, b.logGroupName))
        .slice(0, Math.max(0, query.limit))
        .map((g) => this.#withBytes(g)),
    );
  }

  listStreams(query: ListLogStreamsQuery): Promise<LogStream[]> {
    return settle(() => {
      const byTime = query.orderBy === LogStreamOrder.LastEventTime;
      const keyOf = (s: LogStream): string | number =>
        byTime ? (s.lastEventTimestamp ?? -1) : s.logStreamName;
      const sign = query.descending ? -1 : 1;
      const order = (a: { key: string | number; id: string }, b: typeof a) =>
        sign * (compareKeys(a.key, b.key) || compareKeys(a.id, b.id));
      const { after } = query;
      return [...this.#streams.values()]
        .filter(
          (s) =>
            s.accountId === query.accountId &&
            s.region === query.region &&
            s.logGroupName === query.logGroupName &&
            (query.prefix === undefined || s.logStreamName.startsWith(query.prefix)),
        )
        .map((s) => ({ s, entry: { key: keyOf(s), id: s.logStreamName } }))
        .filter(({ entry }) => after === undefined || order(entry, after) > 0)
        .sort((a, b) => order(a.entry, b.entry))
        .slice(0, Math.max(0, query.limit))
        .map(({ s }) => copyOf(s));
    });
  }

  watch(listener: (streamKey: string) => void): () => void {
    const subscription = (key: string) => listener(key);
    this.#listeners.add(subscription);
    return () => this.#listeners.delete(subscription);
  }

  #withBytes(group: Omit<LogGroup, 'storedBytes'>): LogGroup {
    let storedBytes = 0;
    for (const stream of this.#streams.values()) {
      if (
        stream.accountId === group.accountId &&
        stream.region === group.region &&
        stream.logGroupName === group.logGroupName
      ) {
        storedBytes += stream.storedBytes;
      }
    }
    return { ...group, storedBytes };
  }
}

function groupKeyOf(accountId: string, region: string, name: string): string {
  // The same prefix as logStreamKeyText, so a group's events are found by prefix.
  return `${accountId}:${region}:${name}`;
}

function outputOf(event: StoredEvent): LogEvent {
  return {
    logStreamName: event.logStreamName,
    seq: event.seq,
    timestamp: event.timestamp,
    message: event.message,
    ingestionTime: event.ingestionTime,
    eventId: event.eventId,
  };
}
