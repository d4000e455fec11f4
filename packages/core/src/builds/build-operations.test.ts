import {
  aProjectInput,
  buildsHarness,
  claimNextBuild,
  expectAppError,
  fakeClockStart,
  runClaimedBuild,
  type BuildsHarness,
} from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppErrorKind } from '../errors/app-error.ts';
import { JobStatus } from '../jobs/job.model.ts';
import { buildJobQueue } from './build.model.ts';

let h: BuildsHarness;
beforeEach(async () => {
  h = buildsHarness();
  await h.service.createProject(
    h.scope,
    aProjectInput({
      environment: {
        type: 'LINUX_CONTAINER',
        image: 'aws/codebuild/standard:7.0',
        computeType: 'BUILD_GENERAL1_SMALL',
        environmentVariables: [
          { name: 'STAGE', value: 'dev' },
          { name: 'TOKEN', value: '/ssm/token', type: 'PARAMETER_STORE' },
        ],
      },
      tags: [{ key: 'slipway:network', value: 'none' }],
    }),
  );
});

const start = (more: Record<string, unknown> = {}) =>
  h.service.startBuild(h.scope, { projectName: 'app', initiator: 'alice', ...more });

describe('StartBuild', () => {
  it('creates build 1: SUBMITTED done, QUEUED in progress, its job enqueued', async () => {
    const build = await start();
    expect(build).toMatchObject({
      id: expect.stringMatching(/^app:[0-9a-f-]{36}$/) as unknown,
      buildNumber: 1,
      projectName: 'app',
      buildStatus: 'IN_PROGRESS',
      currentPhase: 'QUEUED',
      buildComplete: false,
      initiator: 'alice',
      startTime: fakeClockStart,
      timeoutInMinutes: 60,
      queuedTimeoutInMinutes: 480,
      phases: [
        {
          phaseType: 'SUBMITTED',
          phaseStatus: 'SUCCEEDED',
          startTime: fakeClockStart,
          endTime: fakeClockStart,
          durationInSeconds: 0,
        },
        { phaseType: 'QUEUED', startTime: fakeClockStart },
      ],
      settings: { network: 'none' },
      run: { dispatch: 'queued', queuedDeadline: fakeClockStart + 480 * 60_000 },
    });
    expect(build.arn).toBe(`arn:aws:codebuild:us-east-1:123456789012:build/${build.id}`);
    const uuid = build.id.slice('app:'.length);
    expect(build.logs).toMatchObject({
      groupName: '/aws/codebuild/app',
      streamName: uuid,
      deepLink: `https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#logEvent:group=/aws/codebuild/app;stream=${uuid}`,
    });
    const job = await h.jobs.getJob(build.run.jobId ?? '');
    expect(job).toMatchObject({
      queue: buildJobQueue,
      payload: { buildId: build.id },
      maxAttempts: 1,
    });
  });

  it('numbers each project’s builds 1, 2, 3…', async () => {
    await h.service.createProject(h.scope, aProjectInput({ name: 'other' }));
    const numbers = [];
    for (const projectName of ['app', 'app', 'other', 'app']) {
      numbers.push(
        (await h.service.startBuild(h.scope, { projectName, initiator: 'a' })).buildNumber,
      );
    }
    expect(numbers).toEqual([1, 2, 1, 3]);
  });

  it('applies every override for this build only', async () => {
    const build = await start({
      sourceVersion: 'refs/heads/feature',
      sourceTypeOverride: 'S3',
      sourceLocationOverride: 'bucket/src.zip',
      buildspecOverride: 'version: 0.2\nphases: {build: {commands: [make]}}',
      environmentVariablesOverride: [
        { name: 'STAGE', value: 'prod' },
        { name: 'EXTRA', value: '1' },
      ],
      imageOverride: 'custom:1',
      computeTypeOverride: 'BUILD_GENERAL1_LARGE',
      privilegedModeOverride: true,
      timeoutInMinutesOverride: 10,
      queuedTimeoutInMinutesOverride: 5,
      artifactsOverride: {
        type: 'S3',
        location: 'out',
        path: 'p',
        namespaceType: 'BUILD_ID',
        name: 'a.zip',
      },
    });
    const uuid = build.id.slice('app:'.length);
    expect(build).toMatchObject({
      sourceVersion: 'refs/heads/feature',
      source: {
        type: 'S3',
        location: 'bucket/src.zip',
        buildspec: 'version: 0.2\nphases: {build: {commands: [make]}}',
      },
      environment: {
        image: 'custom:1',
        computeType: 'BUILD_GENERAL1_LARGE',
        privilegedMode: true,
        environmentVariables: [
          { name: 'STAGE', value: 'prod', type: 'PLAINTEXT' },
          { name: 'TOKEN', value: '/ssm/token', type: 'PARAMETER_STORE' },
          { name: 'EXTRA', value: '1', type: 'PLAINTEXT' },
        ],
      },
      timeoutInMinutes: 10,
      queuedTimeoutInMinutes: 5,
      artifacts: { location: `arn:aws:s3:::out/p/${uuid}/a.zip` },
      settings: {
        artifacts: { type: 'S3', location: 'out', name: 'a.zip' },
        environmentVariablesOverride: [
          { name: 'STAGE', value: 'prod', type: 'PLAINTEXT' },
          { name: 'EXTRA', value: '1', type: 'PLAINTEXT' },
        ],
      },
    });
    const project = await h.service.getProject(h.scope, 'app');
    expect(project.source.type).toBe('NO_SOURCE');
    expect(project.timeoutInMinutes).toBe(60);
  });

  it('checks overrides as CreateProject checks fields', async () => {
    for (const [more, path] of [
      [{ timeoutInMinutesOverride: 2161 }, 'timeoutInMinutesOverride'],
      [{ queuedTimeoutInMinutesOverride: 4 }, 'queuedTimeoutInMinutesOverride'],
      [{ sourceTypeOverride: 'CODECOMMIT' }, 'source.location'],
      [
        { environmentVariablesOverride: [{ name: 'CODEBUILD_X', value: '' }] },
        'environmentVariablesOverride[0].name',
      ],
      [
        { secondarySourcesVersionOverride: [{ sourceIdentifier: 'nope', sourceVersion: 'v' }] },
        'secondarySourcesVersionOverride[0].sourceIdentifier',
      ],
    ] as const) {
      const error = await expectAppError(start(more), AppErrorKind.InvalidInput);
      expect(error.resource).toBe('build-input');
      expect(error.problems.map((p) => p.path)).toContain(path);
    }
    const unsupported = await expectAppError(
      start({ sourceTypeOverride: 'BITBUCKET', sourceLocationOverride: 'x' }),
      AppErrorKind.InvalidInput,
    );
    expect(unsupported.resource).toBe('unsupported');
  });

  it('answers NotFound for an unknown project', async () => {
    const error = await expectAppError(
      h.service.startBuild(h.scope, { projectName: 'nope', initiator: 'a' }),
      AppErrorKind.NotFound,
    );
    expect(error.resource).toBe('project');
  });

  describe('idempotency token', () => {
    it('returns the same build for the same request within 5 minutes', async () => {
      const first = await start({ idempotencyToken: 't-1', sourceVersion: 'main' });
      h.clock.advance(4 * 60_000);
      const again = await start({ idempotencyToken: 't-1', sourceVersion: 'main' });
      expect(again.id).toBe(first.id);
      expect((await h.service.listBuilds(h.scope)).ids).toEqual([first.id]);
    });

    it('refuses the same token with another request (a parameter mismatch)', async () => {
      await start({ idempotencyToken: 't-1', sourceVersion: 'main' });
      const error = await expectAppError(
        start({ idempotencyToken: 't-1', sourceVersion: 'dev' }),
        AppErrorKind.InvalidInput,
      );
      expect(error.resource).toBe('idempotency-token');
    });

    it('starts a new build once the token is older than 5 minutes', async () => {
      const first = await start({ idempotencyToken: 't-1' });
      h.clock.advance(5 * 60_000 + 1);
      const second = await start({ idempotencyToken: 't-1', sourceVersion: 'other' });
      expect(second.id).not.toBe(first.id);
      expect(second.buildNumber).toBe(2);
    });
  });
});

describe('StopBuild', () => {
  it('stops a queued build at once, cancelling its job', async () => {
    const build = await start();
    h.clock.advance(2000);
    const stopped = await h.service.stopBuild(h.scope, build.id);
    expect(stopped).toMatchObject({
      buildStatus: 'STOPPED',
      buildComplete: true,
      currentPhase: 'COMPLETED',
      endTime: fakeClockStart + 2000,
      run: { dispatch: 'ended', endedBy: 'server' },
    });
    expect(stopped.phases.map((p) => [p.phaseType, p.phaseStatus])).toEqual([
      ['SUBMITTED', 'SUCCEEDED'],
      ['QUEUED', 'STOPPED'],
      ['COMPLETED', undefined],
    ]);
    expect((await h.jobs.getJob(build.run.jobId ?? '')).status).toBe(JobStatus.Cancelled);
    expect(await h.service.claimBuild({ workerId: 'r', leaseMs: 1000 })).toBeUndefined();
  });

  it('asks a running build to stop; the runner hears it on its heartbeat and reports', async () => {
    await start();
    const claimed = await claimNextBuild(h);
    const lease = { buildId: claimed.build.id, leaseId: claimed.lease.leaseId };
    const asked = await h.service.stopBuild(h.scope, claimed.build.id);
    expect(asked).toMatchObject({ buildStatus: 'IN_PROGRESS', run: { stopRequested: true } });
    expect(await h.service.heartbeat({ ...lease, leaseMs: 30_000 })).toMatchObject({
      cancelRequested: true,
    });
    const ended = await h.service.completeBuild({ ...lease, outcome: { buildStatus: 'STOPPED' } });
    expect(ended.buildStatus).toBe('STOPPED');
    expect(ended.phases.map((p) => [p.phaseType, p.phaseStatus])).toEqual([
      ['SUBMITTED', 'SUCCEEDED'],
      ['QUEUED', 'SUCCEEDED'],
      ['PROVISIONING', 'STOPPED'],
      ['COMPLETED', undefined],
    ]);
  });

  it('returns a finished build unchanged', async () => {
    await start();
    const done = await runClaimedBuild(h, await claimNextBuild(h));
    expect(await h.service.stopBuild(h.scope, done.id)).toEqual(done);
  });

  it('answers NotFound for a build of another account', async () => {
    const build = await start();
    await expectAppError(
      h.service.stopBuild({ accountId: '210987654321', region: 'us-east-1' }, build.id),
      AppErrorKind.NotFound,
    );
  });
});

describe('RetryBuild', () => {
  it('starts a new build with the old one’s settings, overrides included', async () => {
    const old = await start({
      sourceVersion: 'v1',
      environmentVariablesOverride: [{ name: 'X', value: '1' }],
      timeoutInMinutesOverride: 7,
    });
    await h.service.updateProject(h.scope, { name: 'app', timeoutInMinutes: 99 });
    const retried = await h.service.retryBuild(h.scope, { id: old.arn, initiator: 'bob' });
    expect(retried.id).not.toBe(old.id);
    expect(retried).toMatchObject({
      buildNumber: 2,
      initiator: 'bob',
      sourceVersion: 'v1',
      timeoutInMinutes: 7,
      environment: old.environment,
      settings: old.settings,
    });
  });

  it('honours its own idempotency token', async () => {
    const old = await start();
    const first = await h.service.retryBuild(h.scope, {
      id: old.id,
      idempotencyToken: 'r',
      initiator: 'a',
    });
    const again = await h.service.retryBuild(h.scope, {
      id: old.id,
      idempotencyToken: 'r',
      initiator: 'a',
    });
    expect(again.id).toBe(first.id);
  });
});

describe('BatchGetBuilds, ListBuilds, BatchDeleteBuilds', () => {
  it('answers found and not-found ids in the order asked, ARNs too', async () => {
    const a = await start();
    const b = await start();
    const result = await h.service.batchGetBuilds(h.scope, [b.id, 'app:missing', a.arn]);
    expect(result.builds.map((x) => x.id)).toEqual([b.id, a.id]);
    expect(result.buildsNotFound).toEqual(['app:missing']);
    await expectAppError(
      h.service.batchGetBuilds(
        h.scope,
        Array.from({ length: 101 }, (_, i) => `x:${i}`),
      ),
      AppErrorKind.InvalidInput,
    );
  });

  it('lists newest first by default, 100 a page, per project or all', async () => {
    await h.service.createProject(h.scope, aProjectInput({ name: 'other' }));
    const ids: string[] = [];
    for (let i = 0; i < 150; i++) ids.push((await start()).id);
    const otherBuild = await h.service.startBuild(h.scope, {
      projectName: 'other',
      initiator: 'a',
    });
    const first = await h.service.listBuildsForProject(h.scope, 'app');
    expect(first.ids).toEqual([...ids].reverse().slice(0, 100));
    const second = await h.service.listBuildsForProject(h.scope, 'app', {
      nextToken: first.nextToken,
    });
    expect(second.ids).toEqual([...ids].reverse().slice(100));
    expect(second.nextToken).toBeUndefined();
    const ascending = await h.service.listBuilds(h.scope, { sortOrder: 'ASCENDING' });
    expect(ascending.ids.slice(0, 2)).toEqual(ids.slice(0, 2));
    const all = await h.service.listBuilds(h.scope);
    expect(all.ids[0]).toBe(otherBuild.id);
    await expectAppError(h.service.listBuildsForProject(h.scope, 'nope'), AppErrorKind.NotFound);
  });

  it('deletes finished builds only', async () => {
    await start();
    const done = await runClaimedBuild(h, await claimNextBuild(h));
    const running = await start();
    const result = await h.service.batchDeleteBuilds(h.scope, [done.id, running.id, 'app:nope']);
    expect(result).toEqual({
      buildsDeleted: [done.arn],
      buildsNotDeleted: [
        { id: 'app:nope', statusCode: 'BUILD_NOT_FOUND' },
        { id: running.arn, statusCode: 'BUILD_IN_PROGRESS' },
      ],
    });
    expect(await h.service.findBuild(h.scope, done.id)).toBeUndefined();
    // A deleted build's number is never reused.
    expect((await start()).buildNumber).toBe(3);
  });
});
