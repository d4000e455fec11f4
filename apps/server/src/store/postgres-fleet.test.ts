import type { Clock, EventLog, EventRecord } from '@slipway/core';
import { eventually, FakeClock, SeededRandom } from '@slipway/testing';
import { sql } from 'kysely';
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { freshPostgresUrl } from '../../../../test/support/fresh-postgres.ts';
import { openDatabase, type Database } from './database.ts';
import { appendEvents, KyselyEventLog } from './kysely-event-log.ts';
import { KyselyJobQueue } from './kysely-job-queue.ts';
import { Channel } from './notifier.ts';

/** Fleet mode: several servers on one PostgreSQL database, each with its own pool. */
const silent = pino({ level: 'silent' });
const opened: Database[] = [];

async function openServer(url: string, logger: Logger = silent): Promise<Database> {
  const database = await openDatabase(
    { databaseUrl: url, dataDir: '', sqliteBusyTimeoutMs: 0, postgresPoolSize: 8 },
    logger,
  );
  opened.push(database);
  return database;
}

afterEach(async () => {
  for (const database of opened.splice(0)) await database.close();
});

describe('migrations', () => {
  it('let two servers start at once on a fresh database and apply each migration once', async () => {
    const url = await freshPostgresUrl();
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });

    const [one, other] = await Promise.all([openServer(url, logger), openServer(url, logger)]);

    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(one.db);
    const names = rows.map((row) => row.name);
    expect(names).toEqual([...new Set(names)].sort());
    expect(names[0]).toBe('0001-foundation');
    const applied = lines.map((line) => JSON.parse(line) as { msg?: string });
    expect(applied.filter((entry) => entry.msg === 'migrated')).toHaveLength(names.length);
    // Both are usable: a job written through one is read through the other.
    const clock = new FakeClock();
    const written = await new KyselyJobQueue({
      database: one,
      clock,
      random: new SeededRandom(),
    }).enqueue({ queue: 'q', payload: {} });
    const read = await new KyselyJobQueue({
      database: other,
      clock,
      random: new SeededRandom(),
    }).getJob(written.id);
    expect(read).toEqual(written);
  });
});

describe('wake-ups across servers', () => {
  it('wake an event watcher on another server when an event is appended', async () => {
    const url = await freshPostgresUrl();
    const [writer, watcher] = [await openServer(url), await openServer(url)];
    const clock = new FakeClock();
    let woken = 0;
    const unsubscribe = new KyselyEventLog(watcher, clock).watch(() => woken++);
    try {
      await new KyselyEventLog(writer, clock).append([
        { type: 'source.push', subject: 'repo', data: { commit: 'abc' } },
      ]);
      await eventually(() => woken > 0, { message: 'a wake-up on the other server' });
    } finally {
      unsubscribe();
    }
  });

  it('wake a job watcher on another server with the queue name', async () => {
    const url = await freshPostgresUrl();
    const [writer, watcher] = [await openServer(url), await openServer(url)];
    const deps = { clock: new FakeClock(), random: new SeededRandom() };
    const woken: string[] = [];
    const unsubscribe = new KyselyJobQueue({ ...deps, database: watcher }).watch((queue) =>
      woken.push(queue),
    );
    try {
      await new KyselyJobQueue({ ...deps, database: writer }).enqueue({
        queue: 'build:default',
        payload: {},
      });
      await eventually(() => woken.includes('build:default'), {
        message: 'a wake-up on the other server',
      });
    } finally {
      unsubscribe();
    }
  });
});

describe('concurrent appends', () => {
  /**
   * Appends as another component's store makes them: events and a state change in one
   * transaction, so the transaction stays open a little after its `seq` values are handed out.
   */
  async function appendWithStateChange(
    database: Database,
    clock: Clock,
    events: Parameters<EventLog['append']>[0],
  ): Promise<EventRecord[]> {
    const records = await database.db.transaction().execute(async (trx) => {
      const appended = await appendEvents(trx, {
        dialect: database.dialect,
        events,
        now: clock.now(),
      });
      await trx
        .insertInto('installation')
        .values({ key: `last-append-${appended[0]?.seq ?? 0}`, value: 'x' })
        .execute();
      return appended;
    });
    await database.notifier.publish(Channel.Events, String(records.at(-1)?.seq ?? 0));
    return records;
  }

  it('never let a reader’s cursor skip an event committed by another server', async () => {
    const url = await freshPostgresUrl();
    const servers = [await openServer(url), await openServer(url)];
    const reader = await openServer(url);
    const clock = new FakeClock();
    const appended: number[] = [];

    const appender = async (database: Database, id: number): Promise<void> => {
      const log = new KyselyEventLog(database, clock);
      for (let i = 0; i < 40; i++) {
        const events = Array.from({ length: 1 + (i % 3) }, (_, n) => ({
          type: 'test.appended',
          subject: `appender-${id}`,
          data: { i, n },
        }));
        const records =
          i % 2 === 0
            ? await log.append(events)
            : await appendWithStateChange(database, clock, events);
        appended.push(...records.map((record) => record.seq));
      }
    };

    const log = new KyselyEventLog(reader, clock);
    const seen: number[] = [];
    let cursor = 0;
    const readMore = async (): Promise<number> => {
      const page = await log.read({ after: cursor });
      seen.push(...page.map((event) => event.seq));
      cursor = page.at(-1)?.seq ?? cursor;
      return page.length;
    };

    let appending = true;
    const reading = (async () => {
      while (appending) await readMore();
    })();
    await Promise.all(
      [0, 1, 2, 3, 4, 5].map((id) => appender(servers[id % servers.length] ?? reader, id)),
    ).finally(() => (appending = false));
    await reading;
    while ((await readMore()) > 0);

    // The reader saw every appended event exactly once, in seq order.
    expect(seen).toEqual([...appended].sort((a, b) => a - b));
  });
});
