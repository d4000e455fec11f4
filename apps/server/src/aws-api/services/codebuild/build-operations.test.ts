import { buildsHarness, claimNextBuild, type BuildsHarness } from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCodeBuildService } from './codebuild-service.ts';
import { buildspec, createProjectRequest } from './codebuild-requests.ts';
import { operationHarness, type OperationHarness } from './operation-harness.ts';

interface WireBuild {
  id: string;
  arn: string;
  buildNumber: number;
  buildStatus: string;
  currentPhase: string;
  phases: { phaseType: string; phaseStatus?: string }[];
  [member: string]: unknown;
}

const arnPrefix = 'arn:aws:codebuild:us-east-1:123456789012:build/';

let h: BuildsHarness;
let door: OperationHarness;

beforeEach(async () => {
  h = buildsHarness();
  door = operationHarness(createCodeBuildService({ builds: h.service }));
  await door.call('CreateProject', createProjectRequest());
});

async function startBuild(request: Record<string, unknown> = {}): Promise<WireBuild> {
  const output = await door.call('StartBuild', { projectName: 'app', ...request });
  return output.build as WireBuild;
}

/** Claims the next build and takes it to the end, as a runner would. */
async function runNextBuild(outcome: { buildStatus: string; [member: string]: unknown }) {
  const claimed = await claimNextBuild(h);
  const lease = { buildId: claimed.build.id, leaseId: claimed.lease.leaseId };
  h.clock.advance(2_000);
  await h.service.recordPhase({ ...lease, phaseType: 'PROVISIONING', phaseStatus: 'SUCCEEDED' });
  await h.service.recordPhase({ ...lease, phaseType: 'DOWNLOAD_SOURCE' });
  h.clock.advance(3_000);
  await h.service.recordPhase({
    ...lease,
    phaseType: 'DOWNLOAD_SOURCE',
    phaseStatus: 'FAILED',
    contexts: [{ statusCode: 'CLIENT_ERROR', message: 'no source' }],
  });
  return h.service.completeBuild({ ...lease, outcome });
}

describe('CodeBuild door: StartBuild', () => {
  it('answers the queued build in CodeBuild wire shape', async () => {
    h.clock.advance(250);
    const build = await startBuild();
    const uuid = build.id.slice('app:'.length);
    expect(build).toEqual({
      id: `app:${uuid}`,
      arn: `${arnPrefix}app:${uuid}`,
      buildNumber: 1,
      startTime: 1735689600.25,
      currentPhase: 'QUEUED',
      buildStatus: 'IN_PROGRESS',
      projectName: 'app',
      phases: [
        {
          phaseType: 'SUBMITTED',
          phaseStatus: 'SUCCEEDED',
          startTime: 1735689600.25,
          endTime: 1735689600.25,
          durationInSeconds: 0,
        },
        { phaseType: 'QUEUED', startTime: 1735689600.25 },
      ],
      source: { type: 'NO_SOURCE', buildspec, insecureSsl: false },
      secondarySources: [],
      secondarySourceVersions: [],
      artifacts: { overrideArtifactName: false, encryptionDisabled: false },
      secondaryArtifacts: [],
      cache: { type: 'NO_CACHE' },
      environment: {
        type: 'LINUX_CONTAINER',
        image: 'aws/codebuild/standard:7.0',
        computeType: 'BUILD_GENERAL1_SMALL',
        environmentVariables: [],
        privilegedMode: false,
        imagePullCredentialsType: 'CODEBUILD',
      },
      serviceRole: 'arn:aws:iam::123456789012:role/codebuild',
      logs: {
        groupName: '/aws/codebuild/app',
        streamName: uuid,
        deepLink:
          'https://console.aws.amazon.com/cloudwatch/home?region=us-east-1' +
          `#logEvent:group=/aws/codebuild/app;stream=${uuid}`,
        cloudWatchLogsArn:
          'arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/app' +
          `:log-stream:${uuid}`,
        cloudWatchLogs: { status: 'ENABLED' },
        s3Logs: { status: 'DISABLED' },
      },
      timeoutInMinutes: 60,
      queuedTimeoutInMinutes: 480,
      buildComplete: false,
      initiator: 'admin',
      exportedEnvironmentVariables: [],
      reportArns: [],
    });
  });

  it('applies the overrides it was given', async () => {
    const build = await startBuild({
      buildspecOverride: 'version: 0.2\nphases: {}\n',
      imageOverride: 'aws/codebuild/standard:8.0',
      environmentVariablesOverride: [{ name: 'STAGE', value: 'beta' }],
      timeoutInMinutesOverride: 10,
      sourceVersion: 'v1',
      reportBuildStatusOverride: true,
    });
    expect(build).toMatchObject({
      source: { buildspec: 'version: 0.2\nphases: {}\n' },
      sourceVersion: 'v1',
      environment: {
        image: 'aws/codebuild/standard:8.0',
        environmentVariables: [{ name: 'STAGE', value: 'beta', type: 'PLAINTEXT' }],
      },
      timeoutInMinutes: 10,
    });
  });

  it('answers ResourceNotFoundException for an unknown project', async () => {
    expect(await door.fail('StartBuild', { projectName: 'nope' })).toEqual({
      code: 'ResourceNotFoundException',
      message: 'Project cannot be found: nope',
    });
  });

  it('answers InvalidInputException for a missing projectName, a bad or unsupported override', async () => {
    expect(await door.fail('StartBuild', {})).toEqual({
      code: 'InvalidInputException',
      message: 'projectName: is required',
    });
    const bad = await door.fail('StartBuild', {
      projectName: 'app',
      timeoutInMinutesOverride: 1,
    });
    expect(bad.code).toBe('InvalidInputException');
    expect(bad.message).toContain('timeoutInMinutesOverride');
    expect(
      await door.fail('StartBuild', {
        projectName: 'app',
        sourceAuthOverride: { type: 'OAUTH' },
        debugSessionEnabled: true,
      }),
    ).toEqual({
      code: 'InvalidInputException',
      message:
        'sourceAuthOverride: is not supported by Slipway; ' +
        'debugSessionEnabled: is not supported by Slipway',
    });
    expect(
      await door.fail('StartBuild', { projectName: 'app', environmentVariablesOverride: {} }),
    ).toEqual({
      code: 'SerializationException',
      message: 'environmentVariablesOverride must be a list',
    });
  });

  it('returns the same build for a repeated idempotency token, and refuses it for another request', async () => {
    const first = await startBuild({ idempotencyToken: 't-1' });
    const again = await startBuild({ idempotencyToken: 't-1' });
    expect(again.id).toBe(first.id);
    expect(
      (
        await door.fail('StartBuild', {
          projectName: 'app',
          idempotencyToken: 't-1',
          sourceVersion: 'x',
        })
      ).code,
    ).toBe('InvalidInputException');
  });

  it('answers AccountLimitExceededException once the project queue is full', async () => {
    await door.call('UpdateProject', { name: 'app', concurrentBuildLimit: 1 });
    for (let i = 0; i < 6; i++) await startBuild();
    expect((await door.fail('StartBuild', { projectName: 'app' })).code).toBe(
      'AccountLimitExceededException',
    );
  });
});

describe('CodeBuild door: StopBuild and RetryBuild', () => {
  it('stops a queued build at once: QUEUED STOPPED, then COMPLETED', async () => {
    const build = await startBuild();
    h.clock.advance(2_000);
    const { build: stopped } = (await door.call('StopBuild', { id: build.id })) as {
      build: WireBuild;
    };
    expect(stopped).toMatchObject({
      buildStatus: 'STOPPED',
      currentPhase: 'COMPLETED',
      buildComplete: true,
      endTime: 1735689602,
      phases: [
        { phaseType: 'SUBMITTED', phaseStatus: 'SUCCEEDED' },
        { phaseType: 'QUEUED', phaseStatus: 'STOPPED', durationInSeconds: 2 },
        { phaseType: 'COMPLETED', startTime: 1735689602 },
      ],
    });
  });

  it('asks a running build to stop and answers it still in progress', async () => {
    const build = await startBuild();
    await claimNextBuild(h);
    const { build: stopping } = (await door.call('StopBuild', { id: build.arn })) as {
      build: WireBuild;
    };
    expect(stopping).toMatchObject({ buildStatus: 'IN_PROGRESS', currentPhase: 'PROVISIONING' });
  });

  it('answers ResourceNotFoundException or InvalidInputException for StopBuild', async () => {
    expect(await door.fail('StopBuild', { id: 'app:nope' })).toEqual({
      code: 'ResourceNotFoundException',
      message: 'Build cannot be found: app:nope',
    });
    expect(await door.fail('StopBuild', {})).toEqual({
      code: 'InvalidInputException',
      message: 'id: is required',
    });
  });

  it('retries a build as a new one with the next number', async () => {
    const build = await startBuild({ imageOverride: 'aws/codebuild/standard:8.0' });
    const { build: retried } = (await door.call('RetryBuild', { id: build.id })) as {
      build: WireBuild;
    };
    expect(retried.id).not.toBe(build.id);
    expect(retried).toMatchObject({
      buildNumber: 2,
      environment: { image: 'aws/codebuild/standard:8.0' },
    });
    expect((await door.fail('RetryBuild', { id: 'app:nope' })).code).toBe(
      'ResourceNotFoundException',
    );
    expect((await door.fail('RetryBuild', {})).code).toBe('InvalidInputException');
  });
});

describe('CodeBuild door: BatchGetBuilds', () => {
  it('answers a finished build with its phases, durations, contexts and outputs', async () => {
    h.clock.advance(250);
    const build = await startBuild();
    await runNextBuild({
      buildStatus: 'FAILED',
      exportedEnvironmentVariables: [{ name: 'VERSION', value: '1.2.3' }],
      reports: [
        {
          reportGroup: 'unit',
          testCases: [
            {
              testRawDataPath: 'reports/unit.xml',
              prefix: 'app.Test',
              name: 'adds',
              status: 'SUCCEEDED',
              durationInNanoSeconds: 1_000,
              message: undefined,
              testSuiteName: 'app',
            },
          ],
        },
      ],
    });
    const output = await door.call('BatchGetBuilds', { ids: [build.id] });
    expect(output.buildsNotFound).toEqual([]);
    const [done] = output.builds as WireBuild[];
    expect(done).toMatchObject({
      buildStatus: 'FAILED',
      currentPhase: 'COMPLETED',
      buildComplete: true,
      startTime: 1735689600.25,
      endTime: 1735689605.25,
      exportedEnvironmentVariables: [{ name: 'VERSION', value: '1.2.3' }],
      reportArns: [
        expect.stringMatching(/^arn:aws:codebuild:us-east-1:123456789012:report\/app-unit:/),
      ],
    });
    expect(done?.phases).toEqual([
      {
        phaseType: 'SUBMITTED',
        phaseStatus: 'SUCCEEDED',
        startTime: 1735689600.25,
        endTime: 1735689600.25,
        durationInSeconds: 0,
      },
      {
        phaseType: 'QUEUED',
        phaseStatus: 'SUCCEEDED',
        startTime: 1735689600.25,
        endTime: 1735689600.25,
        durationInSeconds: 0,
      },
      {
        phaseType: 'PROVISIONING',
        phaseStatus: 'SUCCEEDED',
        startTime: 1735689600.25,
        endTime: 1735689602.25,
        durationInSeconds: 2,
      },
      {
        phaseType: 'DOWNLOAD_SOURCE',
        phaseStatus: 'FAILED',
        startTime: 1735689602.25,
        endTime: 1735689605.25,
        durationInSeconds: 3,
        contexts: [{ statusCode: 'CLIENT_ERROR', message: 'no source' }],
      },
      { phaseType: 'COMPLETED', startTime: 1735689605.25 },
    ]);
  });

  it('takes ids or ARNs and gives back the ones not found as asked', async () => {
    const one = await startBuild();
    const two = await startBuild();
    const output = await door.call('BatchGetBuilds', { ids: [two.arn, 'app:nope', one.id] });
    expect((output.builds as WireBuild[]).map((b) => b.id)).toEqual([two.id, one.id]);
    expect(output.buildsNotFound).toEqual(['app:nope']);
  });

  it('refuses a missing, empty or oversized ids list with InvalidInputException', async () => {
    expect(await door.fail('BatchGetBuilds', {})).toEqual({
      code: 'InvalidInputException',
      message: 'ids: is required',
    });
    expect((await door.fail('BatchGetBuilds', { ids: [] })).code).toBe('InvalidInputException');
    const many = Array.from({ length: 101 }, (_, i) => `app:${i}`);
    expect((await door.fail('BatchGetBuilds', { ids: many })).code).toBe('InvalidInputException');
  });
});

describe('CodeBuild door: ListBuilds and ListBuildsForProject', () => {
  it('lists newest first and pages with a nextToken that round-trips', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 101; i++) ids.push((await startBuild()).id);
    const first = await door.call('ListBuilds');
    expect(first.ids).toEqual(ids.slice(1).reverse());
    expect(typeof first.nextToken).toBe('string');
    expect(await door.call('ListBuilds', { nextToken: first.nextToken })).toEqual({
      ids: [ids[0]],
    });
    const ascending = await door.call('ListBuildsForProject', {
      projectName: 'app',
      sortOrder: 'ASCENDING',
    });
    expect((ascending.ids as string[]).slice(0, 2)).toEqual(ids.slice(0, 2));
  });

  it("lists only the project's builds", async () => {
    await door.call('CreateProject', createProjectRequest({ name: 'other' }));
    const mine = await startBuild();
    await startBuild({ projectName: 'other' });
    expect(await door.call('ListBuildsForProject', { projectName: 'app' })).toEqual({
      ids: [mine.id],
    });
  });

  it('answers ResourceNotFoundException for an unknown project', async () => {
    expect(await door.fail('ListBuildsForProject', { projectName: 'nope' })).toEqual({
      code: 'ResourceNotFoundException',
      message: 'Project cannot be found: nope',
    });
    expect((await door.fail('ListBuildsForProject', {})).code).toBe('InvalidInputException');
  });

  it('refuses a bad sortOrder or a forged nextToken with InvalidInputException', async () => {
    expect((await door.fail('ListBuilds', { sortOrder: 'NEWEST' })).code).toBe(
      'InvalidInputException',
    );
    expect((await door.fail('ListBuilds', { nextToken: 'eyJ4IjoxfQ' })).code).toBe(
      'InvalidInputException',
    );
    expect((await door.fail('ListBuilds', { nextToken: 7 })).code).toBe('SerializationException');
  });
});

describe('CodeBuild door: BatchDeleteBuilds', () => {
  it('deletes finished builds (by ARN) and keeps the others', async () => {
    const stopped = await startBuild();
    await door.call('StopBuild', { id: stopped.id });
    const queued = await startBuild();
    const output = await door.call('BatchDeleteBuilds', { ids: [stopped.id, queued.id] });
    expect(output).toEqual({
      buildsDeleted: [stopped.arn],
      buildsNotDeleted: [{ id: queued.arn, statusCode: 'BUILD_IN_PROGRESS' }],
    });
    expect((await door.call('BatchGetBuilds', { ids: [stopped.id] })).buildsNotFound).toEqual([
      stopped.id,
    ]);
    expect((await door.fail('BatchDeleteBuilds', {})).code).toBe('InvalidInputException');
  });
});

describe('CodeBuild door: operations it does not have', () => {
  it('leaves webhooks, batch builds, fleets and the like out of its table', () => {
    const { operations } = createCodeBuildService({ builds: h.service });
    for (const name of ['CreateWebhook', 'StartBuildBatch', 'CreateFleet', 'StartSandbox']) {
      expect(Object.hasOwn(operations, name)).toBe(false);
    }
  });
});
