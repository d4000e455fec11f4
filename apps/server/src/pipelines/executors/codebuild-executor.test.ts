import { claimNextBuild } from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { ActionAborted, ActionAbortKind } from '../action-abort.ts';
import { anActionTask, recordingControls, testScope } from '../action-task.fixture.ts';
import {
  aPipelineProject,
  buildActionHarness,
  buildCount,
  finishBuild,
  putObject,
  type BuildActionHarness,
} from './build-action.fixture.ts';
import { cloneRefMetadata } from './clone-ref.ts';
import { CodeBuildExecutor } from './codebuild-executor.ts';

let h: BuildActionHarness;
let executor: CodeBuildExecutor;

const sourceOutput = {
  name: 'SourceOutput',
  location: { bucket: 'artifacts', key: 'demo/Sour/in1' },
};
const buildOutput = {
  name: 'BuildOutput',
  location: { bucket: 'artifacts', key: 'demo/Buil/out1' },
};

beforeEach(async () => {
  h = await buildActionHarness();
  executor = new CodeBuildExecutor({ ...h.deps, recheckMs: 60_000 });
  await h.builds.service.createProject(testScope, aPipelineProject('app'));
  await putObject(h, sourceOutput.location, 'zip bytes');
});

function buildTask(overrides = {}) {
  return anActionTask({
    configuration: {
      ProjectName: 'app',
      EnvironmentVariables: JSON.stringify([{ name: 'STAGE', value: 'prod', type: 'PLAINTEXT' }]),
    },
    inputArtifacts: [sourceOutput],
    outputArtifacts: [buildOutput],
    ...overrides,
  });
}

describe('CodeBuildExecutor', () => {
  it('runs one build from the input artifact into the output key, with its variables', async () => {
    const controls = recordingControls();
    const running = executor.execute(buildTask(), controls);
    await controls.saved;
    const claimed = await claimNextBuild(h.builds);
    const { build } = claimed;
    expect(build.initiator).toBe('codepipeline/demo');
    expect(build.source).toMatchObject({ type: 'S3', location: 'artifacts/demo/Sour/in1' });
    expect(build.settings.artifacts).toMatchObject({
      type: 'S3',
      location: 'artifacts',
      path: 'demo/Buil',
      name: 'out1',
      packaging: 'ZIP',
      namespaceType: 'NONE',
    });
    expect(build.settings.environmentVariablesOverride).toEqual([
      { name: 'STAGE', value: 'prod', type: 'PLAINTEXT' },
    ]);
    expect(controls.saves).toEqual([
      {
        checkpoint: { buildId: build.id },
        external: {
          externalExecutionId: build.id,
          externalExecutionUrl: `http://console.test/builds/${build.id}`,
        },
      },
    ]);
    await putObject(h, buildOutput.location, 'output zip');
    await finishBuild(h, claimed, {
      buildStatus: 'SUCCEEDED',
      exportedEnvironmentVariables: [{ name: 'VERSION', value: '1.2.3' }],
    });
    expect(await running).toEqual({
      status: 'Succeeded',
      external: {
        externalExecutionId: build.id,
        externalExecutionUrl: `http://console.test/builds/${build.id}`,
      },
      outputVariables: { VERSION: '1.2.3' },
    });
  });

  it('resumes waiting on the saved build instead of starting another', async () => {
    const first = recordingControls();
    const lost = executor.execute(buildTask(), first);
    const checkpoint = await first.saved;
    first.abort(new ActionAborted(ActionAbortKind.LeaseLost, 'lease lost'));
    await expect(lost).rejects.toThrow('lease lost');
    const claimed = await claimNextBuild(h.builds);
    expect(claimed.build.run.stopRequested).toBe(false);

    const second = recordingControls();
    const resumed = executor.execute(buildTask({ checkpoint }), second);
    await putObject(h, buildOutput.location, 'output zip');
    await finishBuild(h, claimed, { buildStatus: 'SUCCEEDED' });
    expect((await resumed).status).toBe('Succeeded');
    expect(second.saves).toEqual([]);
    expect(await buildCount(h)).toBe(1);
  });

  it('gets the same build back when it crashed before saving', async () => {
    await expect(
      executor.execute(buildTask(), recordingControls({ failSave: true })),
    ).rejects.toThrow('crashed');
    const again = recordingControls();
    const running = executor.execute(buildTask(), again);
    const checkpoint = await again.saved;
    expect(await buildCount(h)).toBe(1);
    const claimed = await claimNextBuild(h.builds);
    expect(checkpoint).toEqual({ buildId: claimed.build.id });
    await finishBuild(h, claimed, { buildStatus: 'FAILED' });
    expect(await running).toMatchObject({
      status: 'Failed',
      summary: 'Build terminated with state: FAILED',
      errorDetails: { code: 'JobFailed' },
    });
  });

  it('stops its build when the action is abandoned', async () => {
    const controls = recordingControls();
    const running = executor.execute(buildTask(), controls);
    const checkpoint = (await controls.saved) as { buildId: string };
    controls.abort(new ActionAborted(ActionAbortKind.Cancelled, 'abandoned'));
    await expect(running).rejects.toThrow('abandoned');
    const build = await h.builds.service.getBuild(testScope, checkpoint.buildId);
    expect(build.buildStatus).toBe('STOPPED');
  });

  it('says why a build lost between two phases failed (its runner was lost)', async () => {
    const controls = recordingControls();
    const running = executor.execute(buildTask(), controls);
    await controls.saved;
    const claimed = await claimNextBuild(h.builds, 'runner-1', 1_000);
    const lease = { buildId: claimed.build.id, leaseId: claimed.lease.leaseId };
    await h.builds.service.recordPhase({
      ...lease,
      phaseType: 'PROVISIONING',
      phaseStatus: 'SUCCEEDED',
    });
    h.builds.clock.advance(2_000);
    await h.builds.jobs.expireLeases();
    await h.builds.service.failLostBuild(claimed.lease.jobId);
    const result = await running;
    expect(result.status).toBe('Failed');
    expect(result.errorDetails?.message).toContain('RUNNER_LOST');
  });

  it('fails naming a project that does not exist, starting nothing', async () => {
    const result = await executor.execute(
      buildTask({ configuration: { ProjectName: 'nope' } }),
      recordingControls(),
    );
    expect(result).toMatchObject({
      status: 'Failed',
      summary: 'Project cannot be found: nope',
    });
    expect(await buildCount(h)).toBe(0);
  });

  it('refuses batch builds', async () => {
    const result = await executor.execute(
      buildTask({ configuration: { ProjectName: 'app', BatchEnabled: 'true' } }),
      recordingControls(),
    );
    expect(result).toMatchObject({
      status: 'Failed',
      summary: 'Batch builds are not supported by Slipway',
    });
  });

  it('fails when a successful build left an output artifact out', async () => {
    const controls = recordingControls();
    const running = executor.execute(buildTask(), controls);
    await controls.saved;
    await finishBuild(h, await claimNextBuild(h.builds), { buildStatus: 'SUCCEEDED' });
    const result = await running;
    expect(result.status).toBe('Failed');
    expect(result.summary).toContain('did not produce the output artifact BuildOutput');
  });

  it('clones a CodeCommit clone reference at its commit, and maps several inputs and outputs', async () => {
    const commitId = 'a'.repeat(40);
    const cloneRef = { name: 'Code', location: { bucket: 'artifacts', key: 'demo/Code/c1' } };
    await putObject(
      h,
      cloneRef.location,
      'ref zip',
      cloneRefMetadata({
        accountId: testScope.accountId,
        region: testScope.region,
        repositoryName: 'demo-repo',
        branchName: 'main',
        commitId,
      }),
    );
    const other = { name: 'Other-Out', location: { bucket: 'artifacts', key: 'demo/Othe/o2' } };
    const controls = recordingControls();
    const running = executor.execute(
      buildTask({
        configuration: { ProjectName: 'app', PrimarySource: 'Code' },
        inputArtifacts: [sourceOutput, cloneRef],
        outputArtifacts: [buildOutput, other],
      }),
      controls,
    );
    await controls.saved;
    const { build } = await claimNextBuild(h.builds);
    controls.abort(new ActionAborted(ActionAbortKind.Released, 'closing'));
    await expect(running).rejects.toThrow('closing');
    expect(build.source).toMatchObject({
      type: 'CODECOMMIT',
      location: 'https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo-repo',
    });
    expect(build.sourceVersion).toBe(commitId);
    expect(build.secondarySources).toMatchObject([
      { type: 'S3', location: 'artifacts/demo/Sour/in1', sourceIdentifier: 'SourceOutput' },
    ]);
    expect(build.settings.artifacts.type).toBe('NO_ARTIFACTS');
    expect(build.settings.secondaryArtifacts).toMatchObject([
      { artifactIdentifier: 'BuildOutput', path: 'demo/Buil', name: 'out1', packaging: 'ZIP' },
      { artifactIdentifier: 'Other_Out', path: 'demo/Othe', name: 'o2', packaging: 'ZIP' },
    ]);
  });
});
