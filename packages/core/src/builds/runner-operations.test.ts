import {
  aProjectInput,
  buildsHarness,
  claimNextBuild,
  expectAppError,
  fakeClockStart,
  type BuildsHarness,
} from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ParsedTestCase } from '@slipway/buildspec';
import { AppErrorKind } from '../errors/app-error.ts';
import { JobStatus } from '../jobs/job.model.ts';
import type { ClaimedBuild } from './runner-operations.ts';

let h: BuildsHarness;
beforeEach(async () => {
  h = buildsHarness({ maxLogBytesPerBuild: 1000 });
  await h.service.createProject(
    h.scope,
    aProjectInput({
      environment: {
        type: 'LINUX_CONTAINER',
        image: 'img:1',
        computeType: 'BUILD_GENERAL1_SMALL',
        environmentVariables: [
          { name: 'SECRET', value: 'prod/db:password', type: 'SECRETS_MANAGER' },
        ],
      },
      artifacts: { type: 'S3', location: 'out' },
      timeoutInMinutes: 5,
    }),
  );
});

async function startAndClaim(more: Record<string, unknown> = {}): Promise<ClaimedBuild> {
  await h.service.startBuild(h.scope, { projectName: 'app', initiator: 'codepipeline/p', ...more });
  return claimNextBuild(h);
}

const leaseOf = (c: ClaimedBuild) => ({ buildId: c.build.id, leaseId: c.lease.leaseId });

describe('claimBuild', () => {
  it('hands out the build with what the runner needs and moves it to PROVISIONING', async () => {
    h.clock.advance(1500);
    const claimed = await startAndClaim({
      environmentVariablesOverride: [{ name: 'X', value: '1' }],
      buildspecOverride: 'version: 0.2',
    });
    const now = fakeClockStart + 1500;
    expect(claimed.build).toMatchObject({
      currentPhase: 'PROVISIONING',
      run: {
        dispatch: 'running',
        workerId: 'runner-1',
        claimedAt: now,
        deadline: now + 5 * 60_000,
      },
    });
    expect(claimed.build.phases.slice(1).map((p) => [p.phaseType, p.phaseStatus])).toEqual([
      ['QUEUED', 'SUCCEEDED'],
      ['PROVISIONING', undefined],
    ]);
    expect(claimed).toMatchObject({
      deadline: now + 5 * 60_000,
      buildspec: 'version: 0.2',
      network: 'host',
      environmentVariables: {
        project: [{ name: 'SECRET', value: 'prod/db:password', type: 'SECRETS_MANAGER' }],
        override: [{ name: 'X', value: '1', type: 'PLAINTEXT' }],
      },
      builtins: {
        region: 'us-east-1',
        buildId: claimed.build.id,
        buildArn: claimed.build.arn,
        buildNumber: 1,
        projectArn: 'arn:aws:codebuild:us-east-1:123456789012:project/app',
        image: 'img:1',
        initiator: 'codepipeline/p',
        startTime: now,
        logPath: claimed.build.logs.streamName,
      },
      logs: { groupName: '/aws/codebuild/app', streamName: claimed.build.logs.streamName },
    });
    const streams = await h.service.describeLogStreams(h.scope, {
      logGroupName: '/aws/codebuild/app',
    });
    expect(streams.logStreams.map((s) => s.logStreamName)).toEqual([claimed.build.logs.streamName]);
  });

  it('finds nothing when no build is queued, and skips jobs of builds stopped meanwhile', async () => {
    expect(await h.service.claimBuild({ workerId: 'r', leaseMs: 1000 })).toBeUndefined();
    const stale = await h.service.startBuild(h.scope, { projectName: 'app', initiator: 'a' });
    // A build ended behind its job's back (here: by the store directly, as a crash might leave it).
    const ended = {
      ...stale,
      buildComplete: true,
      run: { ...stale.run, dispatch: 'ended' as const },
    };
    await h.builds.finish({ build: ended, reports: [] });
    h.clock.advance(1);
    const fresh = await h.service.startBuild(h.scope, { projectName: 'app', initiator: 'a' });
    const claimed = await claimNextBuild(h);
    expect(claimed.build.id).toBe(fresh.id);
    expect((await h.jobs.getJob(stale.run.jobId ?? '')).status).toBe(JobStatus.Failed);
  });
});

describe('recordPhase', () => {
  it('follows CodeBuild’s order and ignores a repeated report', async () => {
    const claimed = await startAndClaim();
    const lease = leaseOf(claimed);
    h.clock.advance(1000);
    await h.service.recordPhase({ ...lease, phaseType: 'PROVISIONING', phaseStatus: 'SUCCEEDED' });
    await h.service.recordPhase({ ...lease, phaseType: 'DOWNLOAD_SOURCE' });
    await h.service.recordPhase({ ...lease, phaseType: 'DOWNLOAD_SOURCE' });
    h.clock.advance(2500);
    const build = await h.service.recordPhase({
      ...lease,
      phaseType: 'DOWNLOAD_SOURCE',
      phaseStatus: 'SUCCEEDED',
    });
    expect(build.currentPhase).toBe('DOWNLOAD_SOURCE');
    expect(build.phases.at(-1)).toEqual({
      phaseType: 'DOWNLOAD_SOURCE',
      phaseStatus: 'SUCCEEDED',
      startTime: fakeClockStart + 1000,
      endTime: fakeClockStart + 3500,
      durationInSeconds: 2,
    });
    const again = await h.service.recordPhase({
      ...lease,
      phaseType: 'DOWNLOAD_SOURCE',
      phaseStatus: 'SUCCEEDED',
    });
    expect(again.version).toBe(build.version);
  });

  it('records a phase reported once, with its start and end', async () => {
    const lease = leaseOf(await startAndClaim());
    await h.service.recordPhase({ ...lease, phaseType: 'PROVISIONING', phaseStatus: 'SUCCEEDED' });
    h.clock.advance(10_000);
    const build = await h.service.recordPhase({
      ...lease,
      phaseType: 'INSTALL',
      phaseStatus: 'FAILED',
      startTime: fakeClockStart + 2000,
      endTime: fakeClockStart + 9000,
      contexts: [
        { statusCode: 'COMMAND_EXECUTION_ERROR', message: 'Error while executing command: x' },
      ],
    });
    expect(build.phases.at(-1)).toMatchObject({
      phaseType: 'INSTALL',
      phaseStatus: 'FAILED',
      startTime: fakeClockStart + 2000,
      endTime: fakeClockStart + 9000,
      durationInSeconds: 7,
      contexts: [{ statusCode: 'COMMAND_EXECUTION_ERROR' }],
    });
  });

  it('refuses reports out of order', async () => {
    const lease = leaseOf(await startAndClaim());
    const refused = async (report: Record<string, unknown>) => {
      const error = await expectAppError(
        h.service.recordPhase({ ...lease, phaseType: 'BUILD', ...report }),
        AppErrorKind.Conflict,
      );
      expect(error.resource).toBe('phase-order');
    };
    await refused({ phaseType: 'BUILD' }); // PROVISIONING still in progress
    await refused({ phaseType: 'QUEUED', phaseStatus: 'SUCCEEDED' }); // the server's phase
    await refused({ phaseType: 'COMPLETED' });
    await h.service.recordPhase({ ...lease, phaseType: 'PROVISIONING', phaseStatus: 'SUCCEEDED' });
    await h.service.recordPhase({ ...lease, phaseType: 'BUILD', phaseStatus: 'SUCCEEDED' });
    await refused({ phaseType: 'INSTALL' }); // backwards
    await refused({ phaseType: 'BUILD', phaseStatus: 'FAILED' }); // already ended otherwise
  });

  it('allows only FINALIZING after a failed DOWNLOAD_SOURCE, but POST_BUILD after a failed BUILD', async () => {
    const first = leaseOf(await startAndClaim());
    await h.service.recordPhase({ ...first, phaseType: 'PROVISIONING', phaseStatus: 'SUCCEEDED' });
    await h.service.recordPhase({ ...first, phaseType: 'DOWNLOAD_SOURCE', phaseStatus: 'FAILED' });
    await expectAppError(
      h.service.recordPhase({ ...first, phaseType: 'INSTALL' }),
      AppErrorKind.Conflict,
    );
    await h.service.recordPhase({ ...first, phaseType: 'FINALIZING', phaseStatus: 'SUCCEEDED' });

    const second = leaseOf(await startAndClaim());
    await h.service.recordPhase({ ...second, phaseType: 'PROVISIONING', phaseStatus: 'SUCCEEDED' });
    await h.service.recordPhase({ ...second, phaseType: 'BUILD', phaseStatus: 'FAILED' });
    const build = await h.service.recordPhase({ ...second, phaseType: 'POST_BUILD' });
    expect(build.currentPhase).toBe('POST_BUILD');
  });

  it('refuses a stale lease, and a lease that lapsed', async () => {
    const claimed = await startAndClaim();
    const stale = { buildId: claimed.build.id, leaseId: 'not-the-lease' };
    const error = await expectAppError(
      h.service.recordPhase({ ...stale, phaseType: 'PROVISIONING', phaseStatus: 'SUCCEEDED' }),
      AppErrorKind.Conflict,
    );
    expect(error.resource).toBe('build-lease');
    h.clock.advance(30_000);
    await expectAppError(
      h.service.recordPhase({
        ...leaseOf(claimed),
        phaseType: 'PROVISIONING',
        phaseStatus: 'SUCCEEDED',
      }),
      AppErrorKind.Conflict,
    );
  });

  it('keeps a lease alive through heartbeats', async () => {
    const claimed = await startAndClaim();
    h.clock.advance(20_000);
    const beat = await h.service.heartbeat({ ...leaseOf(claimed), leaseMs: 30_000 });
    expect(beat).toEqual({
      expiresAt: fakeClockStart + 50_000,
      cancelRequested: false,
      deadline: claimed.deadline,
    });
    h.clock.advance(20_000);
    await h.service.recordPhase({
      ...leaseOf(claimed),
      phaseType: 'PROVISIONING',
      phaseStatus: 'SUCCEEDED',
    });
  });

  it('refuses a report that is not CodeBuild’s shape', async () => {
    const lease = leaseOf(await startAndClaim());
    const error = await expectAppError(
      h.service.recordPhase({ ...lease, phaseType: 'TESTING', phaseStatus: 'OK' }),
      AppErrorKind.InvalidInput,
    );
    expect(error.problems.map((p) => p.path)).toEqual(['phaseType', 'phaseStatus']);
  });
});

describe('appendLogs', () => {
  const events = (...messages: string[]) =>
    messages.map((message, i) => ({ timestamp: fakeClockStart + i, message }));

  it('stores each chunk once, whatever the retries', async () => {
    const claimed = await startAndClaim();
    const lease = leaseOf(claimed);
    expect(await h.service.appendLogs({ ...lease, sequence: 1, events: events('a', 'b') })).toEqual(
      {
        sequence: 1,
        duplicate: false,
        truncated: false,
      },
    );
    expect(
      (await h.service.appendLogs({ ...lease, sequence: 1, events: events('a', 'b') })).duplicate,
    ).toBe(true);
    await h.service.appendLogs({ ...lease, sequence: 2, events: events('c') });
    const error = await expectAppError(
      h.service.appendLogs({ ...lease, sequence: 4, events: events('e') }),
      AppErrorKind.Conflict,
    );
    expect(error.resource).toBe('log-sequence');
    const page = await h.service.getLogEvents(h.scope, {
      logGroupName: '/aws/codebuild/app',
      logStreamName: claimed.build.logs.streamName ?? '',
      startFromHead: true,
    });
    expect(page.events.map((e) => e.message)).toEqual(['a', 'b', 'c']);
  });

  it('cuts the build’s log at its limit with one notice, then drops the rest', async () => {
    const claimed = await startAndClaim();
    const lease = leaseOf(claimed);
    await h.service.appendLogs({ ...lease, sequence: 1, events: events('x'.repeat(900)) });
    const cut = await h.service.appendLogs({
      ...lease,
      sequence: 2,
      events: events('y'.repeat(50), 'z'.repeat(100), 'w'),
    });
    expect(cut.truncated).toBe(true);
    await h.service.appendLogs({ ...lease, sequence: 3, events: events('later') });
    const page = await h.service.getLogEvents(h.scope, {
      logGroupName: '/aws/codebuild/app',
      logStreamName: claimed.build.logs.streamName ?? '',
      startFromHead: true,
    });
    expect(page.events.map((e) => e.message.slice(0, 20))).toEqual([
      'x'.repeat(20),
      'y'.repeat(20),
      '[Slipway: this build',
    ]);
  });

  it('refuses appends once the build has ended', async () => {
    const claimed = await startAndClaim();
    await h.service.completeBuild({ ...leaseOf(claimed), outcome: { buildStatus: 'FAILED' } });
    await expectAppError(
      h.service.appendLogs({ ...leaseOf(claimed), sequence: 1, events: events('late') }),
      AppErrorKind.Conflict,
    );
  });
});

describe('completeBuild', () => {
  const testCase = (name: string, status: ParsedTestCase['status']): ParsedTestCase => ({
    testRawDataPath: 'reports/junit.xml',
    prefix: 'suite',
    name,
    status,
    durationInNanoSeconds: 1_000_000,
    message: status === 'FAILED' ? 'expected 1 to be 2' : undefined,
    testSuiteName: 'unit',
  });

  it('ends the build with its results and completes the job', async () => {
    const claimed = await startAndClaim();
    const lease = leaseOf(claimed);
    await h.service.recordPhase({ ...lease, phaseType: 'PROVISIONING', phaseStatus: 'SUCCEEDED' });
    await h.service.recordPhase({ ...lease, phaseType: 'BUILD', phaseStatus: 'SUCCEEDED' });
    h.clock.advance(5000);
    const done = await h.service.completeBuild({
      ...lease,
      outcome: {
        buildStatus: 'SUCCEEDED',
        resolvedSourceVersion: 'a'.repeat(40),
        exportedEnvironmentVariables: [{ name: 'VERSION', value: '1.2.3' }],
        artifacts: { location: 'arn:aws:s3:::out/app', md5sum: 'm', sha256sum: 's' },
      },
    });
    expect(done).toMatchObject({
      buildStatus: 'SUCCEEDED',
      buildComplete: true,
      currentPhase: 'COMPLETED',
      endTime: fakeClockStart + 5000,
      resolvedSourceVersion: 'a'.repeat(40),
      exportedEnvironmentVariables: [{ name: 'VERSION', value: '1.2.3' }],
      artifacts: { location: 'arn:aws:s3:::out/app', md5sum: 'm', sha256sum: 's' },
      run: { dispatch: 'ended', endedBy: 'runner' },
    });
    expect(done.phases.at(-1)).toEqual({
      phaseType: 'COMPLETED',
      startTime: fakeClockStart + 5000,
    });
    expect((await h.jobs.getJob(done.run.jobId ?? '')).status).toBe(JobStatus.Succeeded);
  });

  it('is idempotent for the same lease, and refuses another', async () => {
    const claimed = await startAndClaim();
    const first = await h.service.completeBuild({
      ...leaseOf(claimed),
      outcome: { buildStatus: 'FAILED' },
    });
    const again = await h.service.completeBuild({
      ...leaseOf(claimed),
      outcome: { buildStatus: 'FAILED' },
    });
    expect(again).toEqual(first);
    await expectAppError(
      h.service.completeBuild({
        buildId: claimed.build.id,
        leaseId: 'other',
        outcome: { buildStatus: 'SUCCEEDED' },
      }),
      AppErrorKind.Conflict,
    );
  });

  it('fails a build reported SUCCEEDED when a phase failed', async () => {
    const lease = leaseOf(await startAndClaim());
    await h.service.recordPhase({ ...lease, phaseType: 'PROVISIONING', phaseStatus: 'SUCCEEDED' });
    await h.service.recordPhase({ ...lease, phaseType: 'BUILD', phaseStatus: 'FAILED' });
    const done = await h.service.completeBuild({ ...lease, outcome: { buildStatus: 'SUCCEEDED' } });
    expect(done.buildStatus).toBe('FAILED');
    expect((await h.jobs.getJob(done.run.jobId ?? '')).status).toBe(JobStatus.Failed);
  });

  it('closes the phase in progress with the outcome, e.g. TIMED_OUT', async () => {
    const lease = leaseOf(await startAndClaim());
    await h.service.recordPhase({ ...lease, phaseType: 'PROVISIONING', phaseStatus: 'SUCCEEDED' });
    await h.service.recordPhase({ ...lease, phaseType: 'BUILD' });
    const done = await h.service.completeBuild({
      ...lease,
      outcome: {
        buildStatus: 'TIMED_OUT',
        contexts: [{ statusCode: 'BUILD_TIMED_OUT', message: 'Build has timed out. ' }],
      },
    });
    expect(done.phases.at(-2)).toMatchObject({
      phaseType: 'BUILD',
      phaseStatus: 'TIMED_OUT',
      contexts: [{ statusCode: 'BUILD_TIMED_OUT' }],
    });
  });

  it('records reports, creating `<project>-<name>` report groups on first use', async () => {
    const claimed = await startAndClaim();
    const cases = [
      ...Array.from({ length: 520 }, (_, i) => testCase(`ok-${i}`, 'SUCCEEDED')),
      testCase('broken', 'FAILED'),
    ];
    const done = await h.service.completeBuild({
      ...leaseOf(claimed),
      outcome: { buildStatus: 'FAILED', reports: [{ reportGroup: 'unit', testCases: cases }] },
    });
    expect(done.reportArns).toHaveLength(1);
    const [arn = ''] = done.reportArns;
    expect(arn).toMatch(
      /^arn:aws:codebuild:us-east-1:123456789012:report\/app-unit:[0-9a-f-]{36}$/,
    );
    const { reports } = await h.service.batchGetReports(h.scope, [arn]);
    expect(reports[0]).toMatchObject({
      name: 'app-unit',
      type: 'TEST',
      status: 'FAILED',
      executionId: done.arn,
      truncated: true,
      reportGroupArn: 'arn:aws:codebuild:us-east-1:123456789012:report-group/app-unit',
      expired: fakeClockStart + 30 * 24 * 60 * 60 * 1000,
      testSummary: {
        total: 521,
        statusCounts: { SUCCEEDED: 520, FAILED: 1, ERROR: 0, SKIPPED: 0, UNKNOWN: 0 },
        durationInNanoSeconds: 521_000_000,
      },
    });
    const failed = await h.service.describeTestCases(h.scope, {
      reportArn: arn,
      filter: { status: 'FAILED' },
    });
    expect(failed.testCases.map((c) => c.name)).toEqual(['broken']);
    const groups = await h.service.listReportGroups(h.scope);
    expect(groups.arns).toEqual(['arn:aws:codebuild:us-east-1:123456789012:report-group/app-unit']);

    // The next build's report joins the same group.
    const next = await startAndClaim();
    await h.service.completeBuild({
      ...leaseOf(next),
      outcome: {
        buildStatus: 'SUCCEEDED',
        reports: [{ reportGroup: 'unit', testCases: [testCase('a', 'SUCCEEDED')] }],
      },
    });
    const listed = await h.service.listReportsForReportGroup(h.scope, groups.arns[0] ?? '');
    expect(listed.arns).toHaveLength(2);
  });

  it('refuses an outcome that is not CodeBuild’s shape', async () => {
    const lease = leaseOf(await startAndClaim());
    const error = await expectAppError(
      h.service.completeBuild({
        ...lease,
        outcome: {
          buildStatus: 'IN_PROGRESS',
          reports: [
            {
              reportGroup: 'u',
              testCases: [{ ...testCase('x', 'SUCCEEDED'), status: 'OK' as 'FAILED' }],
            },
          ],
        },
      }),
      AppErrorKind.InvalidInput,
    );
    expect(error.problems.map((p) => p.path)).toEqual([
      'outcome.buildStatus',
      'outcome.reports[0].testCases[0]',
    ]);
  });
});
