import { describe, expect, it } from 'vitest';
import { ActionProviderRegistry } from './action-providers.ts';
import { codeDeploy, defaultActionProviders } from './builtin-providers.ts';
import {
  approvalAction,
  buildAction,
  context,
  deployAction,
  sourceAction,
  v1Pipeline,
  withAction,
} from './declaration.fixtures.ts';
import { problemsOf } from './test-helpers.ts';

const A = 'invalid-action-declaration';

describe('action declarations', () => {
  it('refuses a provider unknown for its category and owner', () => {
    const p = withAction(
      v1Pipeline(),
      1,
      0,
      buildAction({
        actionTypeId: { category: 'Build', owner: 'AWS', provider: 'Jenkins', version: '1' },
      }),
    );
    expect(problemsOf(p)).toEqual([
      [
        A,
        'stages[1].actions[0].actionTypeId',
        "ActionType (Category: 'Build', Provider: 'Jenkins', Owner: 'AWS', Version: '1') in action 'Build' is not available",
      ],
    ]);
  });

  it('refuses an unknown version of a known provider', () => {
    const p = withAction(
      v1Pipeline(),
      1,
      0,
      buildAction({
        actionTypeId: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '2' },
      }),
    );
    expect(problemsOf(p).map((x) => x[1])).toEqual(['stages[1].actions[0].actionTypeId']);
  });

  it('reports missing and unknown configuration keys', () => {
    const p = withAction(
      v1Pipeline(),
      0,
      0,
      sourceAction({ configuration: { RepositoryName: 'r', Branch: 'main' } }),
    );
    expect(problemsOf(p)).toEqual([
      [A, 'stages[0].actions[0].configuration.BranchName', 'is required'],
      [
        A,
        'stages[0].actions[0].configuration.Branch',
        'is not a configuration key of the CodeCommit action',
      ],
    ]);
  });

  it('checks configuration values', () => {
    let p = withAction(
      v1Pipeline(),
      0,
      0,
      sourceAction({
        configuration: {
          RepositoryName: 'r',
          BranchName: 'main',
          PollForSourceChanges: 'yes',
          OutputArtifactFormat: 'ZIP',
        },
      }),
    );
    p = withAction(
      p,
      1,
      0,
      buildAction({
        configuration: {
          ProjectName: 'p',
          EnvironmentVariables: '{"name":"x"}',
          BatchEnabled: 'maybe',
          PrimarySource: 'Nope',
        },
      }),
    );
    p = withAction(
      p,
      2,
      1,
      deployAction({ configuration: { BucketName: 'b', Extract: 'false', CannedACL: 'open' } }),
    );
    expect(problemsOf(p)).toEqual([
      [A, 'stages[0].actions[0].configuration.PollForSourceChanges', 'must be one of true, false'],
      [
        A,
        'stages[0].actions[0].configuration.OutputArtifactFormat',
        'must be one of CODE_ZIP, CODEBUILD_CLONE_REF',
      ],
      [
        A,
        'stages[1].actions[0].configuration.EnvironmentVariables',
        'must be a JSON array of {name, value, type}, type PLAINTEXT, PARAMETER_STORE or SECRETS_MANAGER',
      ],
      [A, 'stages[1].actions[0].configuration.BatchEnabled', 'must be one of true, false'],
      [
        A,
        'stages[1].actions[0].configuration.PrimarySource',
        'must name one of the action input artifacts',
      ],
      [
        A,
        'stages[2].actions[1].configuration.CannedACL',
        `must be one of private, public-read, public-read-write, aws-exec-read, authenticated-read, bucket-owner-read, bucket-owner-full-control, log-delivery-write`,
      ],
      [A, 'stages[2].actions[1].configuration.ObjectKey', 'is required when Extract is false'],
    ]);
  });

  it('checks input and output artifact counts per action type', () => {
    let p = withAction(
      v1Pipeline(),
      2,
      0,
      approvalAction({ inputArtifacts: [{ name: 'SourceArtifact' }] }),
    );
    p = withAction(
      p,
      2,
      1,
      deployAction({ inputArtifacts: [], outputArtifacts: [{ name: 'Out' }] }),
    );
    expect(problemsOf(p)).toEqual([
      [
        A,
        'stages[2].actions[0].inputArtifacts',
        'this action type takes exactly 0 artifacts, not 1',
      ],
      [
        A,
        'stages[2].actions[1].inputArtifacts',
        'this action type takes exactly 1 artifacts, not 0',
      ],
      [
        A,
        'stages[2].actions[1].outputArtifacts',
        'this action type takes exactly 0 artifacts, not 1',
      ],
    ]);
  });

  it('keeps commands, outputVariables and timeouts to the actions that take them', () => {
    let p = withAction(
      v1Pipeline(),
      1,
      0,
      buildAction({ commands: ['make'], outputVariables: ['X'] }),
    );
    p = withAction(p, 2, 0, approvalAction({ timeoutInMinutes: 60 }));
    p = withAction(p, 2, 1, deployAction({ timeoutInMinutes: 60 }));
    expect(problemsOf({ ...p, pipelineType: 'V2' })).toEqual([
      [A, 'stages[1].actions[0].commands', 'is only accepted on Commands actions'],
      [A, 'stages[1].actions[0].outputVariables', 'is only accepted on Commands actions'],
      [A, 'stages[2].actions[1].timeoutInMinutes', 'is only accepted on manual approval actions'],
    ]);
  });

  it('accepts a Commands action in V2 and refuses it in V1', () => {
    const commands = buildAction({
      actionTypeId: { category: 'Compute', owner: 'AWS', provider: 'Commands', version: '1' },
      configuration: undefined,
      commands: ['npm ci', 'echo #{codepipeline.PipelineExecutionId}'],
      outputVariables: ['BUILD_OUTPUT'],
    });
    const p = withAction(v1Pipeline(), 1, 0, commands);
    expect(problemsOf({ ...p, pipelineType: 'V2' })).toEqual([]);
    expect(problemsOf(p)).toEqual([]); // no pipelineType: a Commands action makes it V2
    expect(problemsOf({ ...p, pipelineType: 'V1' })).toEqual([
      [
        A,
        'stages[1].actions[0].actionTypeId',
        'the Commands action is only available in V2 pipelines',
      ],
    ]);
    expect(problemsOf(withAction(p, 1, 0, { ...commands, commands: undefined }))).toEqual([
      [A, 'stages[1].actions[0].commands', 'is required for the Commands action'],
    ]);
  });

  it('accepts custom actions with any configuration unless the hook objects', () => {
    const custom = buildAction({
      actionTypeId: { category: 'Build', owner: 'Custom', provider: 'Jenkins', version: '1' },
      configuration: { ProjectName: 'x', Anything: 'y' },
    });
    const p = withAction(v1Pipeline(), 1, 0, custom);
    expect(problemsOf(p)).toEqual([]);
    const strict = {
      ...context,
      checkCustomAction: () => [{ path: 'actionTypeId', message: 'no such custom action type' }],
    };
    expect(problemsOf(p, strict)).toEqual([
      [A, 'stages[1].actions[0].actionTypeId', 'no such custom action type'],
    ]);
  });

  it('lets another component register a provider', () => {
    const providers = defaultActionProviders();
    providers.register({ ...codeDeploy, optionalKeys: ['Slipway'] });
    const p = withAction(
      v1Pipeline(),
      2,
      1,
      deployAction({
        actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'CodeDeploy', version: '1' },
        configuration: { ApplicationName: 'a', DeploymentGroupName: 'g', Slipway: 'x' },
      }),
    );
    expect(problemsOf(p, { providers })).toEqual([]);
    expect(problemsOf(p, { providers: new ActionProviderRegistry() }).map((x) => x[0])).toEqual([
      A,
      A,
      A,
      A,
    ]);
  });
});
