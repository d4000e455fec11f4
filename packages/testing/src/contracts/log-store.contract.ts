import {
  logStreamKeyText,
  type AppendLogChunk,
  type FilterEventsQuery,
  type LogStore,
  type LogStreamKey,
  type MessageMatch,
} from '@slipway/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../eventually.ts';
import { fakeClockStart } from '../fake-clock.ts';
import type { ContractFactory, ContractHarness } from './contract-harness.ts';
import { accountId, otherAccountId, region } from './builds-fixtures.ts';

/** A log store under test, and a way to add the accounts log groups belong to. */
export interface LogStoreSubject {
  readonly logs: LogStore;
  addAccount(accountId: string): Promise<void>;
}

const group = '/aws/codebuild/app';
const key = (logStreamName: string, logGroupName = group): LogStreamKey => ({
  accountId,
  region,
  logGroupName,
  logStreamName,
});
const matchAll: MessageMatch = { allOf: [], anyOf: [], noneOf: [] };

/** The behaviour every `LogStore` shares; each test opens a store of its own. */
export function logStoreContract(name: string, factory: ContractFactory<LogStoreSubject>): void {
  describe(`LogStore contract: ${name}`, () => {
    let harness: ContractHarness<LogStoreSubject> | undefined;

    beforeEach(async () => {
      harness = await factory();
      for (const id of [accountId, otherAccountId]) await harness.subject.addAccount(id);
    });
    afterEach(async () => {
      await harness?.close();
      harness = undefined;
    });

    const logs = (): LogStore => {
      if (harness === undefined) throw new Error('the store under test did not open');
      return harness.subject.logs;
    };

    const chunk = (
      stream: string,
      sequence: number,
      messages: readonly string[],
      firstTimestamp = fakeClockStart,
    ): AppendLogChunk => ({
      key: key(stream),
      sequence,
      events: messages.map((message, i) => ({ timestamp: firstTimestamp + i, message })),
      bytes: messages.reduce((n, m) => n + new TextEncoder().encode(m).length, 0),
      truncated: false,
      ingestionTime: fakeClockStart + 99,
    });

    it('creates a stream and its group once', async () => {
      await logs().createStream(key('s1'), 10);
      await logs().createStream(key('s1'), 20);
      await logs().createStream(key('s2'), 30);
      expect(await logs().findGroup(accountId, region, group)).toEqual({
        accountId,
        region,
        logGroupName: group,
        creationTime: 10,
        storedBytes: 0,
      });
      expect(await logs().findStream(key('s1'))).toEqual({
        ...key('s1'),
        creationTime: 10,
        firstEventTimestamp: undefined,
        lastEventTimestamp: undefined,
        lastIngestionTime: undefined,
        storedBytes: 0,
        eventCount: 0,
        lastSequence: 0,
        truncated: false,
      });
      expect(await logs().findStream(key('nope'))).toBeUndefined();
      expect(await logs().findGroup(otherAccountId, region, group)).toBeUndefined();
    });

    it('appends chunks in sequence once each, numbering events', async () => {
      await logs().createStream(key('s'), 1);
      const first = await logs().append(chunk('s', 1, ['a', 'ünï'], 500));
      expect(first).toEqual({
        kind: 'appended',
        stream: {
          ...key('s'),
          creationTime: 1,
          firstEventTimestamp: 500,
          lastEventTimestamp: 501,
          lastIngestionTime: fakeClockStart + 99,
          storedBytes: 6,
          eventCount: 2,
          lastSequence: 1,
          truncated: false,
        },
      });
      expect((await logs().append(chunk('s', 1, ['a', 'ünï']))).kind).toBe('duplicate');
      expect((await logs().append(chunk('s', 3, ['x']))).kind).toBe('out-of-order');
      const second = await logs().append({ ...chunk('s', 2, ['c']), truncated: true });
      expect(second).toMatchObject({
        kind: 'appended',
        stream: { eventCount: 3, truncated: true },
      });
      expect((await logs().append(chunk('nope', 1, ['x']))).kind).toBe('missing');
      const events = await logs().readStream({ key: key('s'), direction: 'forward', limit: 10 });
      expect(events.map((e) => [e.seq, e.message, e.logStreamName])).toEqual([
        [1, 'a', 's'],
        [2, 'ünï', 's'],
        [3, 'c', 's'],
      ]);
      expect(events[0]).toMatchObject({ timestamp: 500, ingestionTime: fakeClockStart + 99 });
      expect(new Set(events.map((e) => e.eventId)).size).toBe(3);
      expect((await logs().findGroup(accountId, region, group))?.storedBytes).toBe(7);
    });

    it('appends a large chunk whole, and an empty one', async () => {
      await logs().createStream(key('s'), 1);
      const messages = Array.from({ length: 2500 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`);
      await logs().append(chunk('s', 1, messages));
      await logs().append(chunk('s', 2, []));
      const stream = await logs().findStream(key('s'));
      expect(stream).toMatchObject({ eventCount: 2500, lastSequence: 2 });
      const tail = await logs().readStream({ key: key('s'), direction: 'backward', limit: 2 });
      expect(tail.map((e) => e.seq)).toEqual([2499, 2500]);
    });

    it('reads forward and backward from a position, within a time range', async () => {
      await logs().createStream(key('s'), 1);
      await logs().append(chunk('s', 1, ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'], 100));
      const read = (more: Partial<Parameters<LogStore['readStream']>[0]>) =>
        logs()
          .readStream({ key: key('s'), direction: 'forward', limit: 10, ...more })
          .then((events) => events.map((e) => e.message));
      expect(await read({ afterSeq: 2, limit: 2 })).toEqual(['e3', 'e4']);
      expect(await read({ direction: 'backward', beforeSeq: 5, limit: 2 })).toEqual(['e3', 'e4']);
      expect(await read({ direction: 'backward', limit: 3 })).toEqual(['e4', 'e5', 'e6']);
      expect(await read({ startTime: 101, endTime: 104 })).toEqual(['e2', 'e3', 'e4']);
      expect(await read({ direction: 'backward', startTime: 101, endTime: 104, limit: 2 })).toEqual(
        ['e3', 'e4'],
      );
      expect(await read({ key: key('other') })).toEqual([]);
    });

    describe('filterEvents', () => {
      beforeEach(async () => {
        for (const s of ['build/1', 'build/2', 'other_%']) await logs().createStream(key(s), 1);
        await logs().createStream(key('s', '/aws/codebuild/elsewhere'), 1);
        await logs().append(chunk('build/1', 1, ['ERROR one', 'ok', 'Error two'], 10));
        await logs().append(chunk('build/2', 1, ['ERROR three', 'WARN four'], 11));
        await logs().append(chunk('other_%', 1, ['ERROR five'], 20));
        await logs().append({
          ...chunk('s', 1, ['ERROR elsewhere'], 10),
          key: key('s', '/aws/codebuild/elsewhere'),
        });
      });

      const filter = (more: Partial<FilterEventsQuery>) =>
        logs()
          .filterEvents({
            accountId,
            region,
            logGroupName: group,
            logStreamNames: undefined,
            logStreamNamePrefix: undefined,
            startTime: undefined,
            endTime: undefined,
            match: matchAll,
            after: undefined,
            limit: 100,
            ...more,
          })
          .then((events) => events.map((e) => `${e.logStreamName} ${e.message}`));

      it('returns the group’s events in time order, across streams', async () => {
        // Same timestamp: in the order they were stored (eventId).
        expect(await filter({})).toEqual([
          'build/1 ERROR one',
          'build/1 ok',
          'build/2 ERROR three',
          'build/1 Error two',
          'build/2 WARN four',
          'other_% ERROR five',
        ]);
      });

      it('narrows by stream names or a literal prefix, and an inclusive time range', async () => {
        expect(await filter({ logStreamNames: ['build/2', 'nope'] })).toEqual([
          'build/2 ERROR three',
          'build/2 WARN four',
        ]);
        expect(await filter({ logStreamNamePrefix: 'other_' })).toEqual(['other_% ERROR five']);
        expect(await filter({ logStreamNamePrefix: 'b%' })).toEqual([]);
        expect(await filter({ startTime: 11, endTime: 12 })).toEqual([
          'build/1 ok',
          'build/2 ERROR three',
          'build/1 Error two',
          'build/2 WARN four',
        ]);
      });

      it('matches terms case-sensitively, all, any and none', async () => {
        expect(await filter({ match: { allOf: ['ERROR'], anyOf: [], noneOf: ['five'] } })).toEqual([
          'build/1 ERROR one',
          'build/2 ERROR three',
        ]);
        expect(await filter({ match: { allOf: [], anyOf: ['WARN', 'two'], noneOf: [] } })).toEqual([
          'build/1 Error two',
          'build/2 WARN four',
        ]);
        expect(await filter({ match: { allOf: ['%'], anyOf: [], noneOf: [] } })).toEqual([]);
      });

      it('pages after a (timestamp, eventId) position', async () => {
        const all = await logs().filterEvents({
          accountId,
          region,
          logGroupName: group,
          logStreamNames: undefined,
          logStreamNamePrefix: undefined,
          startTime: undefined,
          endTime: undefined,
          match: matchAll,
          after: undefined,
          limit: 3,
        });
        const last = all.at(-1)!;
        expect(
          await filter({ after: { timestamp: last.timestamp, eventId: Number(last.eventId) } }),
        ).toEqual(['build/1 Error two', 'build/2 WARN four', 'other_% ERROR five']);
      });
    });

    it('lists groups by name with a literal prefix and a cursor', async () => {
      for (const name of ['/b', '/a_x', '/a%', '/c']) await logs().createStream(key('s', name), 1);
      await logs().createStream({ ...key('s', '/z'), accountId: otherAccountId }, 1);
      const names = (more: { prefix?: string; after?: string; limit?: number }) =>
        logs()
          .listGroups({
            accountId,
            region,
            prefix: undefined,
            after: undefined,
            limit: 10,
            ...more,
          })
          .then((groups) => groups.map((g) => g.logGroupName));
      expect(await names({})).toEqual(['/a%', '/a_x', '/b', '/c']);
      expect(await names({ prefix: '/a_' })).toEqual(['/a_x']);
      expect(await names({ after: '/a_x', limit: 1 })).toEqual(['/b']);
    });

    it('lists streams by name or last event time, either way, with cursors', async () => {
      for (const s of ['b', 'a', 'c', 'quiet']) await logs().createStream(key(s), 1);
      await logs().append(chunk('a', 1, ['x'], 300));
      await logs().append(chunk('b', 1, ['x'], 100));
      await logs().append(chunk('c', 1, ['x'], 200));
      const names = (more: Partial<Parameters<LogStore['listStreams']>[0]>) =>
        logs()
          .listStreams({
            accountId,
            region,
            logGroupName: group,
            prefix: undefined,
            orderBy: 'LogStreamName',
            descending: false,
            after: undefined,
            limit: 10,
            ...more,
          })
          .then((streams) => streams.map((s) => s.logStreamName));
      expect(await names({})).toEqual(['a', 'b', 'c', 'quiet']);
      expect(await names({ descending: true, after: { key: 'c', id: 'c' } })).toEqual(['b', 'a']);
      expect(await names({ prefix: 'q' })).toEqual(['quiet']);
      expect(await names({ orderBy: 'LastEventTime' })).toEqual(['quiet', 'b', 'c', 'a']);
      expect(await names({ orderBy: 'LastEventTime', descending: true, limit: 2 })).toEqual([
        'a',
        'c',
      ]);
      expect(await names({ orderBy: 'LastEventTime', after: { key: 100, id: 'b' } })).toEqual([
        'c',
        'a',
      ]);
    });

    it('wakes watchers with the stream’s key after an append', async () => {
      await logs().createStream(key('s'), 1);
      const seen: string[] = [];
      const stop = logs().watch((text) => seen.push(text));
      await logs().append(chunk('s', 1, ['x']));
      await eventually(() => seen.includes(logStreamKeyText(key('s'))));
      stop();
    });
  });
}
