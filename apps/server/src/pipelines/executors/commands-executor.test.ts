import { parseBuildspec } from '@slipway/buildspec';
import { claimNextBuild } from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { anActionTask, recordingControls, testScope } from '../action-task.fixture.ts';
import {
  buildActionHarness,
  buildCount,
  finishBuild,
  putObject,
  type BuildActionHarness,
} from './build-action.fixture.ts';
import { commandsBuildspec, CommandsExecutor, commandsProjectName } from './commands-executor.ts';

let h: BuildActionHarness;
let executor: CommandsExecutor;

const input = { name: 'SourceOutput', location: { bucket: 'artifacts', key: 'demo/Sour/in1' } };
const output = { name: 'Built', location: { bucket: 'artifacts', key: 'demo/Buil/out1' } };

beforeEach(async () => {
  h = await buildActionHarness();
  executor = new CommandsExecutor({ ...h.deps, recheckMs: 60_000 });
  await putObject(h, input.location, 'zip bytes');
});

function commandsTask(overrides = {}) {
  return anActionTask({
    actionTypeId: { category: 'Compute', owner: 'AWS', provider: 'Commands', version: '1' },
    commands: ['npm ci', 'echo "done: $STAGE" > out.txt', 'export VERSION=$(cat version)'],
    environmentVariables: [{ name: 'STAGE', value: 'prod' }],
    outputVariableNames: ['VERSION'],
    inputArtifacts: [input],
    outputArtifacts: [output],
    ...overrides,
  });
}

describe('CommandsExecutor', () => {
  it('runs the commands on the managed project and publishes the declared variables', async () => {
    const controls = recordingControls();
    const running = executor.execute(commandsTask(), controls);
    await controls.saved;
    const project = await h.builds.service.getProject(testScope, commandsProjectName);
    expect(project.source.type).toBe('NO_SOURCE');
    const claimed = await claimNextBuild(h.builds);
    const { build } = claimed;
    expect(build.projectName).toBe(commandsProjectName);
    expect(build.source).toMatchObject({ type: 'S3', location: 'artifacts/demo/Sour/in1' });
    expect(build.source.buildspec).toBe(commandsBuildspec(commandsTask()));
    expect(build.settings.environmentVariablesOverride).toEqual([
      { name: 'STAGE', value: 'prod', type: 'PLAINTEXT' },
    ]);
    expect(build.settings.artifacts).toMatchObject({ location: 'artifacts', name: 'out1' });
    await putObject(h, output.location, 'everything');
    await finishBuild(h, claimed, {
      buildStatus: 'SUCCEEDED',
      exportedEnvironmentVariables: [{ name: 'VERSION', value: '7' }],
    });
    expect(await running).toMatchObject({ status: 'Succeeded', outputVariables: { VERSION: '7' } });
  });

  it('creates the managed project once and reuses it', async () => {
    for (const actionExecutionId of ['first', 'second']) {
      const controls = recordingControls();
      const running = executor.execute(commandsTask({ actionExecutionId }), controls);
      await controls.saved;
      await finishBuild(h, await claimNextBuild(h.builds), { buildStatus: 'FAILED' });
      expect((await running).status).toBe('Failed');
    }
    const projects = await h.builds.service.listProjects(testScope);
    expect(projects.projects).toEqual([commandsProjectName]);
    expect(await buildCount(h)).toBe(2);
  });

  it('synthesizes a buildspec that keeps every command exactly as written', () => {
    const commands = ['echo "a: b" # not a comment', "printf '%s\\n' x", 'key: value', '- item'];
    const text = commandsBuildspec({
      commands,
      outputVariableNames: ['A_B'],
      outputArtifacts: [output],
    });
    const parsed = parseBuildspec(text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.buildspec.phases.build?.commands).toEqual(commands);
    expect(parsed.buildspec.env.exportedVariables).toEqual(['A_B']);
    expect(parsed.buildspec.artifacts?.files).toEqual(['**/*']);
  });

  it('writes no artifacts section without an output artifact', () => {
    const text = commandsBuildspec({
      commands: ['true'],
      outputVariableNames: [],
      outputArtifacts: [],
    });
    expect(text).toBe('version: 0.2\nphases:\n  build:\n    commands:\n      - "true"\n');
  });
});
