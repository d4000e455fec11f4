import { buildsHarness, claimNextBuild, type BuildsHarness } from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCodeBuildService } from '../codebuild/codebuild-service.ts';
import { createProjectRequest } from '../codebuild/codebuild-requests.ts';
import { operationHarness, type OperationHarness } from '../codebuild/operation-harness.ts';
import { createLogsService } from './logs-service.ts';

const start = 1735689600000;
const group = '/aws/codebuild/app';
const groupArn = `arn:aws:logs:us-east-1:123456789012:log-group:${group}`;
const f = (n: number) => `f/${String(n).padStart(56, '0')}`;
const b = (n: number) => `b/${String(n).padStart(56, '0')}`;

let h: BuildsHarness;
let logs: OperationHarness;
let codebuild: OperationHarness;

beforeEach(async () => {
  h = buildsHarness();
  logs = operationHarness(createLogsService({ builds: h.service }));
  codebuild = operationHarness(createCodeBuildService({ builds: h.service }));
  await codebuild.call('CreateProject', createProjectRequest());
});

/** A build a runner has claimed (so its stream exists) that has logged `lines`; its stream. */
async function buildThatLogged(lines: readonly string[]): Promise<string> {
  await codebuild.call('StartBuild', { projectName: 'app' });
  const claimed = await claimNextBuild(h);
  if (lines.length > 0) {
    await h.service.appendLogs({
      buildId: claimed.build.id,
      leaseId: claimed.lease.leaseId,
      sequence: 1,
      events: lines.map((message, i) => ({ timestamp: start + i * 1_000, message })),
    });
  }
  return claimed.build.logs.streamName ?? '';
}

describe('Logs door: GetLogEvents', () => {
  it('reads a stream from the head, times in epoch milliseconds', async () => {
    h.clock.advance(5_000);
    const stream = await buildThatLogged(['one\n', 'two\n']);
    const output = await logs.call('GetLogEvents', {
      logGroupName: group,
      logStreamName: stream,
      startFromHead: true,
    });
    expect(output).toEqual({
      events: [
        { timestamp: start, message: 'one\n', ingestionTime: start + 5_000 },
        { timestamp: start + 1_000, message: 'two\n', ingestionTime: start + 5_000 },
      ],
      nextForwardToken: f(2),
      nextBackwardToken: b(1),
    });
  });

  it('reads the latest events first by default and pages both ways with its tokens', async () => {
    const stream = await buildThatLogged(['1', '2', '3', '4', '5']);
    const request = { logGroupName: group, logStreamName: stream, limit: 2 };
    const messages = (output: Record<string, unknown>) =>
      (output.events as { message: string }[]).map((e) => e.message);
    const last = await logs.call('GetLogEvents', request);
    expect(messages(last)).toEqual(['4', '5']);
    const earlier = await logs.call('GetLogEvents', {
      ...request,
      nextToken: last.nextBackwardToken,
    });
    expect(messages(earlier)).toEqual(['2', '3']);
    const later = await logs.call('GetLogEvents', {
      ...request,
      nextToken: earlier.nextForwardToken,
    });
    expect(messages(later)).toEqual(['4', '5']);
    // At the end, the token passed in comes back: that is how the CLI knows to stop.
    const end = await logs.call('GetLogEvents', { ...request, nextToken: later.nextForwardToken });
    expect(end).toEqual({
      events: [],
      nextForwardToken: later.nextForwardToken,
      nextBackwardToken: b(6),
    });
  });

  it('answers an empty stream with no events and tokens', async () => {
    const stream = await buildThatLogged([]);
    expect(
      await logs.call('GetLogEvents', {
        logGroupIdentifier: groupArn,
        logStreamName: stream,
        startFromHead: true,
      }),
    ).toEqual({ events: [], nextForwardToken: f(0), nextBackwardToken: b(1) });
  });

  it('answers ResourceNotFoundException for a missing group or stream', async () => {
    await codebuild.call('StartBuild', { projectName: 'app' }); // queued: no group or stream yet
    expect(await logs.fail('GetLogEvents', { logGroupName: group, logStreamName: 's' })).toEqual({
      code: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
    await buildThatLogged([]);
    expect(await logs.fail('GetLogEvents', { logGroupName: group, logStreamName: 's' })).toEqual({
      code: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
  });

  it('answers InvalidParameterException for missing or bad parameters', async () => {
    const stream = await buildThatLogged(['x']);
    const request = { logGroupName: group, logStreamName: stream };
    expect(await logs.fail('GetLogEvents', { logGroupName: group })).toEqual({
      code: 'InvalidParameterException',
      message: 'logStreamName is required',
    });
    for (const bad of [
      { logStreamName: stream },
      { ...request, logGroupIdentifier: group },
      { ...request, limit: 0 },
      { ...request, limit: 10_001 },
      { ...request, nextToken: 'f/abc' },
      { ...request, startTime: -1 },
      { logGroupName: 'bad:name', logStreamName: stream },
      {
        logGroupIdentifier: 'arn:aws:logs:us-east-1:999999999999:log-group:x',
        logStreamName: stream,
      },
    ]) {
      expect((await logs.fail('GetLogEvents', bad)).code).toBe('InvalidParameterException');
    }
    expect(await logs.fail('GetLogEvents', { ...request, startFromHead: 'yes' })).toEqual({
      code: 'SerializationException',
      message: 'startFromHead must be a boolean',
    });
  });
});

describe('Logs door: FilterLogEvents', () => {
  it('finds matching events across streams, with event ids, and pages', async () => {
    const first = await buildThatLogged(['error: one', 'fine', 'error: two']);
    const output = await logs.call('FilterLogEvents', {
      logGroupName: group,
      filterPattern: 'error',
      limit: 1,
    });
    expect(output).toMatchObject({
      events: [
        {
          logStreamName: first,
          timestamp: start,
          message: 'error: one',
          ingestionTime: start,
          eventId: expect.any(String) as unknown,
        },
      ],
      searchedLogStreams: [],
    });
    expect(typeof output.nextToken).toBe('string');
    const next = await logs.call('FilterLogEvents', {
      logGroupName: group,
      filterPattern: 'error',
      nextToken: output.nextToken,
    });
    expect(next).toMatchObject({ events: [{ message: 'error: two' }], searchedLogStreams: [] });
    expect(next.nextToken).toBeUndefined();
  });

  it('refuses streams named both ways, a forged token and a missing group', async () => {
    const stream = await buildThatLogged(['x']);
    expect(
      (
        await logs.fail('FilterLogEvents', {
          logGroupName: group,
          logStreamNames: [stream],
          logStreamNamePrefix: 'a',
        })
      ).code,
    ).toBe('InvalidParameterException');
    expect(
      (await logs.fail('FilterLogEvents', { logGroupName: group, nextToken: 'bm9wZQ' })).code,
    ).toBe('InvalidParameterException');
    expect((await logs.fail('FilterLogEvents', { logGroupName: '/none' })).code).toBe(
      'ResourceNotFoundException',
    );
  });
});

describe('Logs door: DescribeLogGroups and DescribeLogStreams', () => {
  it('describes groups in CloudWatch wire shape, by prefix, with paging', async () => {
    h.clock.advance(3_000);
    await buildThatLogged(['abc']);
    await codebuild.call(
      'CreateProject',
      createProjectRequest({
        name: 'web',
        logsConfig: { cloudWatchLogs: { status: 'ENABLED', groupName: '/ci/web' } },
      }),
    );
    await codebuild.call('StartBuild', { projectName: 'web' });
    await claimNextBuild(h);

    const first = await logs.call('DescribeLogGroups', { limit: 1 });
    expect(first.logGroups).toEqual([
      {
        logGroupName: group,
        creationTime: start + 3_000,
        metricFilterCount: 0,
        arn: `${groupArn}:*`,
        storedBytes: 3,
        logGroupClass: 'STANDARD',
        logGroupArn: groupArn,
      },
    ]);
    const second = await logs.call('DescribeLogGroups', { limit: 1, nextToken: first.nextToken });
    expect(second).toMatchObject({ logGroups: [{ logGroupName: '/ci/web' }] });
    expect(second.nextToken).toBeUndefined();
    const prefixed = await logs.call('DescribeLogGroups', { logGroupNamePrefix: '/ci/' });
    expect((prefixed.logGroups as { logGroupName: string }[]).map((g) => g.logGroupName)).toEqual([
      '/ci/web',
    ]);
    expect(await logs.call('DescribeLogGroups', { logGroupClass: 'DELIVERY' })).toEqual({
      logGroups: [],
    });
  });

  it('refuses what it cannot do with InvalidParameterException', async () => {
    for (const bad of [
      { logGroupNamePattern: 'codebuild' },
      { includeLinkedAccounts: true },
      { logGroupIdentifiers: [group] },
      { logGroupClass: 'COLD' },
      { limit: 51 },
      { logGroupNamePrefix: 'bad:prefix' },
    ]) {
      expect((await logs.fail('DescribeLogGroups', bad)).code).toBe('InvalidParameterException');
    }
  });

  it('describes streams in CloudWatch wire shape', async () => {
    h.clock.advance(1_000);
    const stream = await buildThatLogged(['one', 'two']);
    const output = await logs.call('DescribeLogStreams', { logGroupName: group });
    expect(output).toEqual({
      logStreams: [
        {
          logStreamName: stream,
          creationTime: start + 1_000,
          firstEventTimestamp: start,
          lastEventTimestamp: start + 1_000,
          lastIngestionTime: start + 1_000,
          arn: `${groupArn}:log-stream:${stream}`,
          storedBytes: 0,
        },
      ],
    });
  });

  it('omits the event times of a stream without events, and pages streams', async () => {
    const one = await buildThatLogged([]);
    const two = await buildThatLogged([]);
    const [firstName, secondName] = [one, two].sort();
    const first = await logs.call('DescribeLogStreams', { logGroupName: group, limit: 1 });
    expect(first.logStreams).toEqual([
      {
        logStreamName: firstName,
        creationTime: start,
        arn: `${groupArn}:log-stream:${firstName}`,
        storedBytes: 0,
      },
    ]);
    const second = await logs.call('DescribeLogStreams', {
      logGroupName: group,
      limit: 1,
      nextToken: first.nextToken,
    });
    expect((second.logStreams as { logStreamName: string }[])[0]?.logStreamName).toBe(secondName);
  });

  it('answers ResourceNotFoundException or InvalidParameterException for DescribeLogStreams', async () => {
    expect(await logs.fail('DescribeLogStreams', { logGroupName: group })).toEqual({
      code: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
    await buildThatLogged([]);
    for (const bad of [
      {},
      { logGroupName: group, orderBy: 'Size' },
      { logGroupName: group, orderBy: 'LastEventTime', logStreamNamePrefix: 'a' },
    ]) {
      expect((await logs.fail('DescribeLogStreams', bad)).code).toBe('InvalidParameterException');
    }
  });
});

describe('Logs door: operations it does not have', () => {
  it('leaves writes, queries and subscriptions out of its table', () => {
    const { operations } = createLogsService({ builds: h.service });
    expect(Object.keys(operations).sort()).toEqual([
      'DescribeLogGroups',
      'DescribeLogStreams',
      'FilterLogEvents',
      'GetLogEvents',
    ]);
  });
});
