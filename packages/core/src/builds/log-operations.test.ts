import {
  aProjectInput,
  buildsHarness,
  claimNextBuild,
  expectAppError,
  fakeClockStart,
  type BuildsHarness,
} from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppErrorKind } from '../errors/app-error.ts';
import type { ClaimedBuild } from './runner-operations.ts';

const group = '/aws/codebuild/app';
let h: BuildsHarness;
beforeEach(async () => {
  h = buildsHarness();
  await h.service.createProject(h.scope, aProjectInput());
});

async function runningBuild(): Promise<ClaimedBuild> {
  await h.service.startBuild(h.scope, { projectName: 'app', initiator: 'a' });
  return claimNextBuild(h);
}

/** Appends `count` events, `line-<n>` at fakeClockStart + n seconds, one chunk each 10. */
async function writeLines(claimed: ClaimedBuild, count: number, from = 1): Promise<void> {
  const lease = { buildId: claimed.build.id, leaseId: claimed.lease.leaseId };
  const stream = await h.logs.findStream({
    ...h.scope,
    logGroupName: group,
    logStreamName: claimed.build.logs.streamName ?? '',
  });
  let sequence = stream?.lastSequence ?? 0;
  for (let n = from; n < from + count; n += 10) {
    const events = [];
    for (let i = n; i < Math.min(n + 10, from + count); i++) {
      events.push({ timestamp: fakeClockStart + i * 1000, message: `line-${i}` });
    }
    sequence += 1;
    await h.service.appendLogs({ ...lease, sequence, events });
  }
}

const streamOf = (claimed: ClaimedBuild) => claimed.build.logs.streamName ?? '';
const messages = (events: readonly { message: string }[]) => events.map((e) => e.message);

describe('GetLogEvents', () => {
  it('returns the latest events by default, and pages back and forth with f/ and b/ tokens', async () => {
    const claimed = await runningBuild();
    await writeLines(claimed, 25);
    const get = (more: object) =>
      h.service.getLogEvents(h.scope, {
        logGroupName: group,
        logStreamName: streamOf(claimed),
        limit: 10,
        ...more,
      });

    const last = await get({});
    expect(messages(last.events)).toEqual(Array.from({ length: 10 }, (_, i) => `line-${i + 16}`));
    expect(last.nextForwardToken).toBe(`f/${'25'.padStart(56, '0')}`);
    expect(last.nextBackwardToken).toBe(`b/${'16'.padStart(56, '0')}`);

    const before = await get({ nextToken: last.nextBackwardToken });
    expect(messages(before.events)).toEqual(Array.from({ length: 10 }, (_, i) => `line-${i + 6}`));
    const first = await get({ nextToken: before.nextBackwardToken });
    expect(messages(first.events)).toEqual(['line-1', 'line-2', 'line-3', 'line-4', 'line-5']);
    // At the start: the same backward token comes back.
    const none = await get({ nextToken: first.nextBackwardToken });
    expect(none.events).toEqual([]);
    expect(none.nextBackwardToken).toBe(first.nextBackwardToken);

    // At the end: the same forward token, until more arrives.
    const end = await get({ nextToken: last.nextForwardToken });
    expect(end).toMatchObject({ events: [], nextForwardToken: last.nextForwardToken });
    await writeLines(claimed, 2, 26);
    const more = await get({ nextToken: end.nextForwardToken });
    expect(messages(more.events)).toEqual(['line-26', 'line-27']);
  });

  it('reads from the head with startFromHead, within a time range (end exclusive)', async () => {
    const claimed = await runningBuild();
    await writeLines(claimed, 20);
    const page = await h.service.getLogEvents(h.scope, {
      logGroupIdentifier: `arn:aws:logs:us-east-1:123456789012:log-group:${group}:*`,
      logStreamName: streamOf(claimed),
      startFromHead: true,
      startTime: fakeClockStart + 3000,
      endTime: fakeClockStart + 6000,
    });
    expect(messages(page.events)).toEqual(['line-3', 'line-4', 'line-5']);
    expect(page.events[0]).toEqual({
      timestamp: fakeClockStart + 3000,
      message: 'line-3',
      ingestionTime: fakeClockStart,
    });
  });

  it('answers ResourceNotFound and InvalidParameter as CloudWatch does', async () => {
    const claimed = await runningBuild();
    const missingGroup = await expectAppError(
      h.service.getLogEvents(h.scope, { logGroupName: '/nope', logStreamName: 's' }),
      AppErrorKind.NotFound,
    );
    expect(missingGroup.resource).toBe('log-group');
    const missingStream = await expectAppError(
      h.service.getLogEvents(h.scope, { logGroupName: group, logStreamName: 'nope' }),
      AppErrorKind.NotFound,
    );
    expect(missingStream.resource).toBe('log-stream');
    for (const input of [
      { logGroupName: group, logGroupIdentifier: group, logStreamName: streamOf(claimed) },
      { logGroupName: group, logStreamName: streamOf(claimed), nextToken: 'x/1' },
      { logGroupName: group, logStreamName: streamOf(claimed), limit: 10_001 },
    ]) {
      const error = await expectAppError(
        h.service.getLogEvents(h.scope, input),
        AppErrorKind.InvalidInput,
      );
      expect(error.resource).toBe('log-parameter');
    }
  });
});

describe('FilterLogEvents', () => {
  it('matches terms across the group’s streams, in time order, with a nextToken', async () => {
    const one = await runningBuild();
    const two = await runningBuild();
    const lease = (c: ClaimedBuild) => ({ buildId: c.build.id, leaseId: c.lease.leaseId });
    await h.service.appendLogs({
      ...lease(one),
      sequence: 1,
      events: [
        { timestamp: 10, message: 'ERROR disk full' },
        { timestamp: 30, message: 'ERROR retrying' },
        { timestamp: 50, message: 'ok' },
      ],
    });
    await h.service.appendLogs({
      ...lease(two),
      sequence: 1,
      events: [
        { timestamp: 20, message: 'WARN slow' },
        { timestamp: 40, message: 'ERROR "Exit code 1"' },
      ],
    });
    const filter = (more: object) =>
      h.service.filterLogEvents(h.scope, { logGroupName: group, ...more });

    const errors = await filter({ filterPattern: 'ERROR -retrying' });
    expect(messages(errors.events)).toEqual(['ERROR disk full', 'ERROR "Exit code 1"']);
    expect(errors.events[0]).toMatchObject({ logStreamName: streamOf(one), timestamp: 10 });
    expect(errors.nextToken).toBeUndefined();

    expect(messages((await filter({ filterPattern: '?WARN ?full' })).events)).toEqual([
      'ERROR disk full',
      'WARN slow',
    ]);
    expect(messages((await filter({ filterPattern: '"Exit code"' })).events)).toEqual([
      'ERROR "Exit code 1"',
    ]);
    expect(messages((await filter({ startTime: 20, endTime: 40 })).events)).toEqual([
      'WARN slow',
      'ERROR retrying',
      'ERROR "Exit code 1"',
    ]);
    expect(messages((await filter({ logStreamNames: [streamOf(two)] })).events)).toEqual([
      'WARN slow',
      'ERROR "Exit code 1"',
    ]);

    const page = await filter({ limit: 2 });
    expect(messages(page.events)).toEqual(['ERROR disk full', 'WARN slow']);
    const rest = await filter({ limit: 2, nextToken: page.nextToken });
    expect(messages(rest.events)).toEqual(['ERROR retrying', 'ERROR "Exit code 1"']);
    const end = await filter({ limit: 2, nextToken: rest.nextToken });
    expect(messages(end.events)).toEqual(['ok']);
    expect(end.nextToken).toBeUndefined();
    expect(new Set([...page.events, ...rest.events].map((e) => e.eventId)).size).toBe(4);
  });

  it('refuses patterns it does not implement, and both stream selectors', async () => {
    await runningBuild();
    for (const input of [
      { filterPattern: '{ $.level = "error" }' },
      { filterPattern: '[ip, user]' },
      { filterPattern: '"unterminated' },
      { logStreamNames: ['a'], logStreamNamePrefix: 'a' },
    ]) {
      const error = await expectAppError(
        h.service.filterLogEvents(h.scope, { logGroupName: group, ...input }),
        AppErrorKind.InvalidInput,
      );
      expect(error.resource).toBe('log-parameter');
    }
  });
});

describe('DescribeLogGroups, DescribeLogStreams', () => {
  it('lists groups by name with a prefix and pages', async () => {
    for (const name of ['b', 'a', 'c']) {
      await h.service.createProject(h.scope, aProjectInput({ name: `p${name}` }));
      await h.service.startBuild(h.scope, { projectName: `p${name}`, initiator: 'x' });
      await claimNextBuild(h);
    }
    const first = await h.service.describeLogGroups(h.scope, { limit: 2 });
    expect(first.logGroups.map((g) => g.logGroupName)).toEqual([
      '/aws/codebuild/pa',
      '/aws/codebuild/pb',
    ]);
    const second = await h.service.describeLogGroups(h.scope, {
      limit: 2,
      nextToken: first.nextToken,
    });
    expect(second.logGroups.map((g) => g.logGroupName)).toEqual(['/aws/codebuild/pc']);
    expect(second.nextToken).toBeUndefined();
    const prefixed = await h.service.describeLogGroups(h.scope, {
      logGroupNamePrefix: '/aws/codebuild/pb',
    });
    expect(prefixed.logGroups).toHaveLength(1);
  });

  it('lists streams by name or last event time, either way round', async () => {
    const a = await runningBuild();
    const b = await runningBuild();
    await writeLines(b, 1, 1);
    await writeLines(a, 1, 5);
    const names = async (more: object) =>
      (
        await h.service.describeLogStreams(h.scope, { logGroupName: group, ...more })
      ).logStreams.map((s) => s.logStreamName);
    const sorted = [streamOf(a), streamOf(b)].sort();
    expect(await names({})).toEqual(sorted);
    expect(await names({ descending: true })).toEqual([...sorted].reverse());
    expect(await names({ orderBy: 'LastEventTime' })).toEqual([streamOf(b), streamOf(a)]);
    expect(await names({ orderBy: 'LastEventTime', descending: true })).toEqual([
      streamOf(a),
      streamOf(b),
    ]);
    const stream = (
      await h.service.describeLogStreams(h.scope, {
        logGroupName: group,
        logStreamNamePrefix: streamOf(a),
      })
    ).logStreams[0];
    expect(stream).toMatchObject({
      firstEventTimestamp: fakeClockStart + 5000,
      lastEventTimestamp: fakeClockStart + 5000,
      storedBytes: 6,
      eventCount: 1,
      lastSequence: 1,
    });
    await expectAppError(
      h.service.describeLogStreams(h.scope, {
        logGroupName: group,
        orderBy: 'LastEventTime',
        logStreamNamePrefix: 'x',
      }),
      AppErrorKind.InvalidInput,
    );
  });
});

describe('watchLogs', () => {
  it('delivers what is there, then what arrives, and ends when the build ends', async () => {
    const claimed = await runningBuild();
    await writeLines(claimed, 3);
    const batches: string[][] = [];
    const watching = (async () => {
      for await (const batch of h.service.watchLogs(h.scope, claimed.build.id, { after: 1 })) {
        batches.push(messages(batch));
        if (batches.length === 1) await writeLines(claimed, 2, 4);
        if (batches.length === 2) {
          await h.service.completeBuild({
            buildId: claimed.build.id,
            leaseId: claimed.lease.leaseId,
            outcome: { buildStatus: 'SUCCEEDED' },
          });
        }
      }
    })();
    await watching;
    expect(batches).toEqual([
      ['line-2', 'line-3'],
      ['line-4', 'line-5'],
    ]);
  });

  it('waits for appends made after it started, and stops when aborted', async () => {
    const claimed = await runningBuild();
    const controller = new AbortController();
    const seen: string[] = [];
    const watching = (async () => {
      for await (const batch of h.service.watchLogs(h.scope, claimed.build.id, {
        after: 0,
        signal: controller.signal,
      })) {
        seen.push(...messages(batch));
      }
    })();
    await new Promise((resolve) => setImmediate(resolve));
    await writeLines(claimed, 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['line-1']);
    controller.abort();
    await watching;
  });

  it('ends at once for a build that has ended without logs', async () => {
    const build = await h.service.startBuild(h.scope, { projectName: 'app', initiator: 'a' });
    await h.service.stopBuild(h.scope, build.id);
    const batches = [];
    for await (const batch of h.service.watchLogs(h.scope, build.id, { after: 0 }))
      batches.push(batch);
    expect(batches).toEqual([]);
  });
});
