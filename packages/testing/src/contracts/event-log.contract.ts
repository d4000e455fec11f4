import type { EventLog, JsonValue, NewEvent } from '@slipway/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import type { FakeClock } from '../fake-clock.ts';
import type { ContractFactory, ContractHarness } from './contract-harness.ts';

/**
 * The behaviour every `EventLog` shares. One log serves the whole suite: each test appends
 * events of types of its own and reads from a cursor it took first, so tests do not depend on
 * each other (tests in a file run one at a time).
 */
export function eventLogContract(name: string, factory: ContractFactory<EventLog>): void {
  describe(`EventLog contract: ${name}`, () => {
    let harness: ContractHarness<EventLog> | undefined;
    let tests = 0;

    beforeAll(async () => {
      harness = await factory();
    });
    afterAll(async () => {
      await harness?.close();
    });

    /** The suite's log and clock, and a type prefix no other test uses. */
    function open(): Opened {
      if (harness === undefined) throw new Error('the store under test did not open');
      const prefix = `t${++tests}`;
      return { log: harness.subject, clock: harness.clock, type: (name) => `${prefix}.${name}` };
    }

    describe('append', () => appendBehaviour(open));
    describe('read', () => readBehaviour(open));
    describe('watch', () => watchBehaviour(open));
  });
}

/** What each test starts from: the suite's log and clock, and event types of its own. */
interface Opened {
  readonly log: EventLog;
  readonly clock: FakeClock;
  readonly type: (name: string) => string;
}

function newEvent(type: string, data: JsonValue = {}): NewEvent {
  return { type, subject: `arn:aws:codecommit:eu-west-1:123456789012:${type}`, data };
}

/** The seq of the last event so far: reading after it sees only what comes next. */
async function head(log: EventLog): Promise<number> {
  let cursor = 0;
  for (;;) {
    const page = await log.read({ after: cursor, limit: 1_000 });
    const last = page.at(-1);
    if (last === undefined) return cursor;
    cursor = last.seq;
  }
}

function appendBehaviour(open: () => Opened): void {
  it('returns the records with increasing seq and the time of the append', async () => {
    const { log, clock, type } = open();
    clock.advance(1_000);
    const records = await log.append([
      newEvent(type('one'), { n: 1 }),
      newEvent(type('two'), { n: 2 }),
    ]);
    expect(records).toEqual([
      {
        seq: expect.any(Number) as unknown,
        type: type('one'),
        subject: newEvent(type('one')).subject,
        data: { n: 1 },
        createdAt: clock.now(),
      },
      {
        seq: expect.any(Number) as unknown,
        type: type('two'),
        subject: newEvent(type('two')).subject,
        data: { n: 2 },
        createdAt: clock.now(),
      },
    ]);
    const [first, second] = records;
    expect(second?.seq).toBeGreaterThan(first?.seq ?? Infinity);
  });

  it('gives a later append larger seq than an earlier one', async () => {
    const { log, type } = open();
    const [earlier] = await log.append([newEvent(type('a'))]);
    const [later] = await log.append([newEvent(type('b'))]);
    expect(later?.seq).toBeGreaterThan(earlier?.seq ?? Infinity);
  });

  it('returns nothing for no events', async () => {
    const { log } = open();
    expect(await log.append([])).toEqual([]);
  });
}

function readBehaviour(open: () => Opened): void {
  it('returns the events after the cursor, in seq order', async () => {
    const { log, type } = open();
    const cursor = await head(log);
    const appended = await log.append([
      newEvent(type('a')),
      newEvent(type('b')),
      newEvent(type('c')),
    ]);
    const first = appended[0]?.seq ?? Infinity;
    expect(await log.read({ after: cursor })).toEqual(appended);
    expect(await log.read({ after: first })).toEqual(appended.slice(1));
  });

  it('reads from the start after 0', async () => {
    const { log, type } = open();
    const appended = await log.append([newEvent(type('a'))]);
    expect(await log.read({ after: 0, types: [type('a')] })).toEqual(appended);
  });

  it('returns at most limit events, the oldest first', async () => {
    const { log, type } = open();
    const cursor = await head(log);
    const appended = await log.append([
      newEvent(type('a')),
      newEvent(type('b')),
      newEvent(type('c')),
    ]);
    expect(await log.read({ after: cursor, limit: 2 })).toEqual(appended.slice(0, 2));
  });

  it('returns only events of the given types', async () => {
    const { log, type } = open();
    const cursor = await head(log);
    const [a, , c] = await log.append([
      newEvent(type('a')),
      newEvent(type('b')),
      newEvent(type('c')),
    ]);
    expect(await log.read({ after: cursor, types: [type('a'), type('c')] })).toEqual([a, c]);
  });

  it('applies the limit after the types filter', async () => {
    const { log, type } = open();
    const cursor = await head(log);
    const [, b] = await log.append([newEvent(type('a')), newEvent(type('b')), newEvent(type('b'))]);
    expect(await log.read({ after: cursor, types: [type('b')], limit: 1 })).toEqual([b]);
  });

  it('returns nothing for an empty types list', async () => {
    const { log, type } = open();
    const cursor = await head(log);
    await log.append([newEvent(type('a'))]);
    expect(await log.read({ after: cursor, types: [] })).toEqual([]);
  });

  it('returns nothing after the last event', async () => {
    const { log, type } = open();
    await log.append([newEvent(type('a'))]);
    expect(await log.read({ after: await head(log) })).toEqual([]);
  });

  it('round-trips the data as JSON', async () => {
    const { log, type } = open();
    const data: JsonValue = {
      text: 'Grüße, 世界 ✓ "quoted" \\ \n',
      empty: '',
      integer: 42,
      negative: -7,
      fraction: 0.125,
      large: 9_007_199_254_740_991,
      yes: true,
      no: false,
      nothing: null,
      list: [1, 'two', [3], { four: 4 }, null],
      nested: { deeper: { deepest: [] } },
    };
    const [record] = await log.append([newEvent(type('a'), data)]);
    expect(record?.data).toEqual(data);
    const [read] = await log.read({ after: (record?.seq ?? 1) - 1, types: [type('a')] });
    expect(read?.data).toEqual(data);
  });

  it('round-trips a bare JSON value as data', async () => {
    const { log, type } = open();
    const cursor = await head(log);
    await log.append([newEvent(type('a'), 'just a string'), newEvent(type('b'), null)]);
    const read = await log.read({ after: cursor });
    expect(read.map((event) => event.data)).toEqual(['just a string', null]);
  });
}

function watchBehaviour(open: () => Opened): void {
  it('calls the listener after an append', async () => {
    const { log, type } = open();
    let calls = 0;
    const unsubscribe = log.watch(() => calls++);
    try {
      await log.append([newEvent(type('a'))]);
      await eventually(() => calls > 0, { message: 'a wake-up after append' });
    } finally {
      unsubscribe();
    }
  });

  it('finds the appended events when woken', async () => {
    const { log, type } = open();
    const cursor = await head(log);
    const seen: number[] = [];
    const unsubscribe = log.watch(() => {
      void log.read({ after: cursor }).then((events) => seen.push(events.length));
    });
    try {
      await log.append([newEvent(type('a'))]);
      await eventually(() => seen.includes(1), { message: 'the event, read when woken' });
    } finally {
      unsubscribe();
    }
  });

  it('stops calling the listener once unsubscribed', async () => {
    const { log, type } = open();
    let stopped = 0;
    let still = 0;
    log.watch(() => stopped++)();
    const unsubscribe = log.watch(() => still++);
    try {
      await log.append([newEvent(type('a'))]);
      // Both listeners hear the same signal, so once one has it the other would have too.
      await eventually(() => still > 0, { message: 'a wake-up after append' });
      expect(stopped).toBe(0);
    } finally {
      unsubscribe();
    }
  });
}
