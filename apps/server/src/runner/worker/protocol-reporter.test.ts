import type { BuildCompleteRequest, LogAppendRequest, PhaseUpdateRequest } from '@slipway/protocol';
import { describe, expect, it } from 'vitest';
import type { LogLine } from '../engine/build-reporter.ts';
import { ProtocolReporter } from './protocol-reporter.ts';

type Call =
  | { kind: 'logs'; request: LogAppendRequest }
  | { kind: 'phase'; request: PhaseUpdateRequest }
  | { kind: 'complete'; request: BuildCompleteRequest };

function fakeClient(options: { failLogs?: boolean } = {}) {
  const calls: Call[] = [];
  return {
    calls,
    client: {
      appendLogs: async (_: string, request: LogAppendRequest) => {
        await Promise.resolve();
        if (options.failLogs === true) throw new Error('LeaseLost');
        calls.push({ kind: 'logs', request });
      },
      updatePhase: async (_: string, request: PhaseUpdateRequest) => {
        await Promise.resolve();
        calls.push({ kind: 'phase', request });
      },
      completeBuild: async (_: string, request: BuildCompleteRequest) => {
        await Promise.resolve();
        calls.push({ kind: 'complete', request });
      },
    },
  };
}

const line = (text: string): LogLine => ({ time: 1000, source: 'stdout', text, phase: 'BUILD' });

describe('ProtocolReporter', () => {
  it('sends the lines of a phase before the next phase begins, under rising sequences', async () => {
    const { client, calls } = fakeClient();
    const reporter = new ProtocolReporter({ client, jobId: 'j', leaseId: 'l', flushMs: 60_000 });
    await reporter.phaseStarted({ phaseType: 'BUILD', startTime: 1 });
    await reporter.log([line('a'), line('b')]);
    await reporter.log([line('c')]);
    await reporter.phaseEnded({
      phaseType: 'BUILD',
      phaseStatus: 'SUCCEEDED',
      startTime: 1,
      endTime: 2,
      durationInSeconds: 0,
      contexts: [],
    });
    expect(
      calls.map((call) => [call.kind, 'sequence' in call.request ? call.request.sequence : 0]),
    ).toEqual([
      ['phase', 1],
      ['logs', 1],
      ['phase', 2],
    ]);
    const logs = calls[1]?.request as LogAppendRequest;
    expect(logs.events.map((event) => event.message)).toEqual(['a', 'b', 'c']);
  });

  it('splits at 1,000 events and makes the engine wait while a full batch uploads', async () => {
    const { client, calls } = fakeClient();
    const reporter = new ProtocolReporter({ client, jobId: 'j', leaseId: 'l', flushMs: 60_000 });
    const lines = Array.from({ length: 2_500 }, (_, i) => line(`line ${i}`));
    for (let i = 0; i < lines.length; i += 500) await reporter.log(lines.slice(i, i + 500));
    await reporter.phaseStarted({ phaseType: 'POST_BUILD', startTime: 3 });
    const batches = calls.filter((call) => call.kind === 'logs').map((call) => call.request);
    expect(batches.map((batch) => batch.events.length)).toEqual([1000, 1000, 500]);
    expect(batches.map((batch) => batch.sequence)).toEqual([1, 2, 3]);
  });

  it('sends lines on a timer while a build prints slowly', async () => {
    const { client, calls } = fakeClient();
    const reporter = new ProtocolReporter({ client, jobId: 'j', leaseId: 'l', flushMs: 10 });
    await reporter.log([line('slow')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toHaveLength(1);
  });

  it('fails the build on its next report once an upload has failed', async () => {
    const { client } = fakeClient({ failLogs: true });
    const reporter = new ProtocolReporter({ client, jobId: 'j', leaseId: 'l', flushMs: 60_000 });
    await reporter.log([line('x')]);
    await expect(reporter.phaseStarted({ phaseType: 'POST_BUILD', startTime: 3 })).rejects.toThrow(
      'LeaseLost',
    );
  });

  it('completes with the outcome in the protocol shape, after the last lines', async () => {
    const { client, calls } = fakeClient();
    const reporter = new ProtocolReporter({ client, jobId: 'j', leaseId: 'l', flushMs: 60_000 });
    await reporter.log([line('last')]);
    await reporter.buildCompleted({
      buildStatus: 'FAILED',
      phases: [],
      startTime: 1,
      endTime: 9,
      resolvedSourceVersion: 'abc',
      exportedVariables: [{ name: 'V', value: '1' }],
      artifacts: [],
      reports: [],
    });
    expect(calls.map((call) => call.kind)).toEqual(['logs', 'complete']);
    expect(calls[1]?.request).toEqual({
      leaseId: 'l',
      buildStatus: 'FAILED',
      endTime: 9,
      resolvedSourceVersion: 'abc',
      exportedEnvironmentVariables: [{ name: 'V', value: '1' }],
      artifacts: [],
      reports: [],
    });
  });
});
