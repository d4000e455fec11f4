import type {
  Clock,
  EventLog,
  EventRecord,
  JsonValue,
  NewEvent,
  ReadEventsOptions,
} from '@slipway/core';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './database.ts';
import { Channel } from './notifier.ts';
import type { Dialect, Schema } from './schema.ts';

const defaultReadLimit = 500;
// Any constant; names the advisory lock that serializes appends on PostgreSQL.
const appendLockKey = 0x5e1e_0001;

export interface AppendEventsOptions {
  readonly dialect: Dialect;
  readonly events: readonly NewEvent[];
  readonly now: number;
}

/**
 * Appends events inside the caller's transaction, so a state change and the events that announce
 * it commit together. Other components' stores call this with their own transaction, then
 * `publish` on `Channel.Events` once it has committed.
 *
 * On PostgreSQL, sequence values are handed out before commit, so two concurrent appends could
 * become visible out of order and a reader's cursor would skip one. A transaction-scoped
 * advisory lock makes appends commit in `seq` order. SQLite has a single writer already.
 */
export async function appendEvents(
  trx: Transaction<Schema>,
  { dialect, events, now }: AppendEventsOptions,
): Promise<EventRecord[]> {
  if (events.length === 0) return [];
  if (dialect === 'postgres') {
    await sql`select pg_advisory_xact_lock(${appendLockKey})`.execute(trx);
  }
  const rows = await trx
    .insertInto('events')
    .values(
      events.map((e) => ({
        type: e.type,
        subject: e.subject,
        data: JSON.stringify(e.data),
        created_at: now,
      })),
    )
    .returning(['seq', 'type', 'subject', 'data', 'created_at'])
    .execute();
  return rows.map(toEventRecord);
}

export class KyselyEventLog implements EventLog {
  readonly #database: Database;
  readonly #clock: Clock;

  constructor(database: Database, clock: Clock) {
    this.#database = database;
    this.#clock = clock;
  }

  async append(events: readonly NewEvent[]): Promise<EventRecord[]> {
    const { db, dialect, notifier } = this.#database;
    const records = await db
      .transaction()
      .execute((trx) => appendEvents(trx, { dialect, events, now: this.#clock.now() }));
    const last = records.at(-1);
    if (last !== undefined) await notifier.publish(Channel.Events, String(last.seq));
    return records;
  }

  async read(options: ReadEventsOptions): Promise<EventRecord[]> {
    let query = this.#db
      .selectFrom('events')
      .select(['seq', 'type', 'subject', 'data', 'created_at'])
      .where('seq', '>', options.after)
      .orderBy('seq')
      .limit(options.limit ?? defaultReadLimit);
    if (options.types !== undefined) {
      if (options.types.length === 0) return [];
      query = query.where('type', 'in', [...options.types]);
    }
    return (await query.execute()).map(toEventRecord);
  }

  watch(listener: () => void): () => void {
    return this.#database.notifier.subscribe(Channel.Events, () => listener());
  }

  get #db(): Kysely<Schema> {
    return this.#database.db;
  }
}

function toEventRecord(row: {
  seq: number;
  type: string;
  subject: string;
  data: string;
  created_at: number;
}): EventRecord {
  return {
    seq: Number(row.seq),
    type: row.type,
    subject: row.subject,
    data: JSON.parse(row.data) as JsonValue,
    createdAt: Number(row.created_at),
  };
}
