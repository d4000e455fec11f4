import {
  LogStreamOrder,
  logStreamKeyText,
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
import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import type { Database } from './database.ts';
import { chunks, contains, inTransaction, startsWith } from './kysely-builds-support.ts';
import { Channel } from './notifier.ts';
import type { Schema } from './schema.ts';

type StreamRow = Selectable<Schema['log_streams']>;

/**
 * Log groups, streams and events on either dialect. An append locks its stream row (`FOR
 * UPDATE` on PostgreSQL), so the chunk-sequence check and the event numbers it hands out are
 * exact; watchers are woken on `Channel.Logs` once it has committed.
 */
export class KyselyLogStore implements LogStore {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  async createStream(key: LogStreamKey, now: number): Promise<void> {
    await inTransaction(this.#database, async (trx) => {
      await trx
        .insertInto('log_groups')
        .values({
          account_id: key.accountId,
          region: key.region,
          name: key.logGroupName,
          creation_time: now,
        })
        .onConflict((oc) => oc.columns(['account_id', 'region', 'name']).doNothing())
        .execute();
      await trx
        .insertInto('log_streams')
        .values({
          account_id: key.accountId,
          region: key.region,
          group_name: key.logGroupName,
          name: key.logStreamName,
          creation_time: now,
          first_event_timestamp: null,
          last_event_timestamp: null,
          last_ingestion_time: null,
          stored_bytes: 0,
          event_count: 0,
          last_sequence: 0,
          truncated: 0,
        })
        .onConflict((oc) => oc.columns(['account_id', 'region', 'group_name', 'name']).doNothing())
        .execute();
    });
  }

  async findGroup(accountId: string, region: string, name: string) {
    const [group] = await this.#groups(accountId, region).where('g.name', '=', name).execute();
    return group === undefined ? undefined : toGroup(group);
  }

  async findStream(key: LogStreamKey): Promise<LogStream | undefined> {
    const row = await this.#stream(this.#db, key).executeTakeFirst();
    return row === undefined ? undefined : toStream(row);
  }

  async append(chunk: AppendLogChunk): Promise<AppendLogResult> {
    const result = await inTransaction(this.#database, async (trx): Promise<AppendLogResult> => {
      const stream = await this.#stream(trx, chunk.key)
        .$if(this.#database.dialect === 'postgres', (qb) => qb.forUpdate())
        .executeTakeFirst();
      if (stream === undefined) return { kind: 'missing' };
      const last = Number(stream.last_sequence);
      if (chunk.sequence <= last) return { kind: 'duplicate', stream: toStream(stream) };
      if (chunk.sequence !== last + 1) return { kind: 'out-of-order', stream: toStream(stream) };
      const first = Number(stream.event_count) + 1;
      const rows = chunk.events.map((event, i) => ({
        stream_id: stream.id,
        seq: first + i,
        timestamp: event.timestamp,
        ingestion_time: chunk.ingestionTime,
        message: event.message,
      }));
      for (const batch of chunks(rows)) await trx.insertInto('log_events').values(batch).execute();
      const timestamps = chunk.events.map((e) => e.timestamp);
      const updated = await trx
        .updateTable('log_streams')
        .set({
          first_event_timestamp: stream.first_event_timestamp ?? timestamps[0] ?? null,
          last_event_timestamp:
            timestamps.length === 0
              ? stream.last_event_timestamp
              : Math.max(Number(stream.last_event_timestamp ?? 0), ...timestamps),
          last_ingestion_time:
            chunk.events.length === 0 ? stream.last_ingestion_time : chunk.ingestionTime,
          stored_bytes: Number(stream.stored_bytes) + chunk.bytes,
          event_count: first - 1 + chunk.events.length,
          last_sequence: chunk.sequence,
          truncated: stream.truncated === 1 || chunk.truncated ? 1 : 0,
        })
        .where('id', '=', stream.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { kind: 'appended', stream: toStream(updated) };
    });
    if (result.kind === 'appended') {
      await this.#database.notifier.publish(Channel.Logs, logStreamKeyText(chunk.key));
    }
    return result;
  }

  async readStream(query: ReadStreamQuery): Promise<LogEvent[]> {
    const forward = query.direction === 'forward';
    const { afterSeq, beforeSeq, startTime, endTime } = query;
    const rows = await this.#db
      .selectFrom('log_events as e')
      .innerJoin('log_streams as s', 's.id', 'e.stream_id')
      .select(['e.id', 'e.seq', 'e.timestamp', 'e.ingestion_time', 'e.message', 's.name'])
      .where((eb) => streamIs(eb, query.key))
      .$if(afterSeq !== undefined, (qb) => qb.where('e.seq', '>', afterSeq ?? 0))
      .$if(beforeSeq !== undefined, (qb) => qb.where('e.seq', '<', beforeSeq ?? 0))
      .$if(startTime !== undefined, (qb) => qb.where('e.timestamp', '>=', startTime ?? 0))
      .$if(endTime !== undefined, (qb) => qb.where('e.timestamp', '<', endTime ?? 0))
      .orderBy('e.seq', forward ? 'asc' : 'desc')
      .limit(query.limit)
      .execute();
    const events = rows.map(toEvent);
    return forward ? events : events.reverse();
  }

  async filterEvents(query: FilterEventsQuery): Promise<LogEvent[]> {
    const { dialect } = this.#database;
    const { after, logStreamNames, logStreamNamePrefix, startTime, endTime, match } = query;
    const rows = await this.#db
      .selectFrom('log_events as e')
      .innerJoin('log_streams as s', 's.id', 'e.stream_id')
      .select(['e.id', 'e.seq', 'e.timestamp', 'e.ingestion_time', 'e.message', 's.name'])
      .where('s.account_id', '=', query.accountId)
      .where('s.region', '=', query.region)
      .where('s.group_name', '=', query.logGroupName)
      .$if(logStreamNames !== undefined, (qb) =>
        qb.where('s.name', 'in', [...(logStreamNames ?? [])]),
      )
      .$if(logStreamNamePrefix !== undefined, (qb) =>
        qb.where(startsWith('s.name', logStreamNamePrefix ?? '')),
      )
      .$if(startTime !== undefined, (qb) => qb.where('e.timestamp', '>=', startTime ?? 0))
      .$if(endTime !== undefined, (qb) => qb.where('e.timestamp', '<=', endTime ?? 0))
      .$if(after !== undefined, (qb) =>
        qb.where((eb) =>
          eb.or([
            eb('e.timestamp', '>', after?.timestamp ?? 0),
            eb.and([
              eb('e.timestamp', '=', after?.timestamp ?? 0),
              eb('e.id', '>', after?.eventId ?? 0),
            ]),
          ]),
        ),
      )
      .$if(match.allOf.length > 0, (qb) =>
        qb.where((eb) => eb.and(match.allOf.map((t) => contains(dialect, 'e.message', t)))),
      )
      .$if(match.anyOf.length > 0, (qb) =>
        qb.where((eb) => eb.or(match.anyOf.map((t) => contains(dialect, 'e.message', t)))),
      )
      .$if(match.noneOf.length > 0, (qb) =>
        qb.where((eb) => eb.not(eb.or(match.noneOf.map((t) => contains(dialect, 'e.message', t))))),
      )
      .orderBy('e.timestamp')
      .orderBy('e.id')
      .limit(query.limit)
      .execute();
    return rows.map(toEvent);
  }

  async listGroups(query: ListLogGroupsQuery): Promise<LogGroup[]> {
    const { after, prefix } = query;
    const rows = await this.#groups(query.accountId, query.region)
      .$if(prefix !== undefined, (qb) => qb.where(startsWith('g.name', prefix ?? '')))
      .$if(after !== undefined, (qb) => qb.where('g.name', '>', after ?? ''))
      .orderBy('g.name')
      .limit(query.limit)
      .execute();
    return rows.map(toGroup);
  }

  async listStreams(query: ListLogStreamsQuery): Promise<LogStream[]> {
    const byTime = query.orderBy === LogStreamOrder.LastEventTime;
    const direction = query.descending ? 'desc' : 'asc';
    const past = query.descending ? '<' : '>';
    const lastEvent = sql<number>`coalesce(last_event_timestamp, -1)`;
    const { after, prefix } = query;
    const rows = await this.#db
      .selectFrom('log_streams')
      .selectAll()
      .where('account_id', '=', query.accountId)
      .where('region', '=', query.region)
      .where('group_name', '=', query.logGroupName)
      .$if(prefix !== undefined, (qb) => qb.where(startsWith('name', prefix ?? '')))
      .$if(after !== undefined, (qb) =>
        qb.where((eb) => {
          const key = byTime ? lastEvent : eb.ref('name');
          return eb.or([
            eb(key, past, after?.key as never),
            eb.and([eb(key, '=', after?.key as never), eb('name', past, after?.id ?? '')]),
          ]);
        }),
      )
      .$if(byTime, (qb) => qb.orderBy(lastEvent, direction))
      .orderBy('name', direction)
      .limit(query.limit)
      .execute();
    return rows.map(toStream);
  }

  watch(listener: (streamKey: string) => void): () => void {
    return this.#database.notifier.subscribe(Channel.Logs, listener);
  }

  #stream(db: Kysely<Schema>, key: LogStreamKey) {
    return db
      .selectFrom('log_streams')
      .selectAll()
      .where('account_id', '=', key.accountId)
      .where('region', '=', key.region)
      .where('group_name', '=', key.logGroupName)
      .where('name', '=', key.logStreamName);
  }

  /** Groups with the bytes of their streams. */
  #groups(accountId: string, region: string) {
    return this.#db
      .selectFrom('log_groups as g')
      .select((eb) => [
        'g.account_id',
        'g.region',
        'g.name',
        'g.creation_time',
        eb
          .selectFrom('log_streams as s')
          .select((e) => e.fn.coalesce(e.fn.sum<number>('s.stored_bytes'), e.lit(0)).as('bytes'))
          .whereRef('s.account_id', '=', 'g.account_id')
          .whereRef('s.region', '=', 'g.region')
          .whereRef('s.group_name', '=', 'g.name')
          .as('stored_bytes'),
      ])
      .where('g.account_id', '=', accountId)
      .where('g.region', '=', region);
  }

  get #db() {
    return this.#database.db;
  }
}

function streamIs(
  eb: ExpressionBuilder<Schema & { s: Schema['log_streams'] }, 's'>,
  key: LogStreamKey,
) {
  return eb.and([
    eb('s.account_id', '=', key.accountId),
    eb('s.region', '=', key.region),
    eb('s.group_name', '=', key.logGroupName),
    eb('s.name', '=', key.logStreamName),
  ]);
}

function toGroup(row: {
  account_id: string;
  region: string;
  name: string;
  creation_time: number;
  stored_bytes: number | null;
}): LogGroup {
  return {
    accountId: row.account_id,
    region: row.region,
    logGroupName: row.name,
    creationTime: Number(row.creation_time),
    storedBytes: Number(row.stored_bytes ?? 0),
  };
}

function toStream(row: StreamRow): LogStream {
  const optional = (value: number | null) => (value === null ? undefined : Number(value));
  return {
    accountId: row.account_id,
    region: row.region,
    logGroupName: row.group_name,
    logStreamName: row.name,
    creationTime: Number(row.creation_time),
    firstEventTimestamp: optional(row.first_event_timestamp),
    lastEventTimestamp: optional(row.last_event_timestamp),
    lastIngestionTime: optional(row.last_ingestion_time),
    storedBytes: Number(row.stored_bytes),
    eventCount: Number(row.event_count),
    lastSequence: Number(row.last_sequence),
    truncated: row.truncated === 1,
  };
}

function toEvent(row: {
  id: number;
  seq: number;
  timestamp: number;
  ingestion_time: number;
  message: string;
  name: string;
}): LogEvent {
  return {
    logStreamName: row.name,
    seq: Number(row.seq),
    timestamp: Number(row.timestamp),
    message: row.message,
    ingestionTime: Number(row.ingestion_time),
    eventId: String(row.id),
  };
}
