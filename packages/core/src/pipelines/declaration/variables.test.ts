import { describe, expect, it } from 'vitest';
import {
  approvalAction,
  buildAction,
  deployAction,
  sourceAction,
  stage,
  v1Pipeline,
  v2Pipeline,
  withAction,
} from './declaration.fixtures.ts';
import { problemsOf } from './test-helpers.ts';

const A = 'invalid-action-declaration';

describe('namespaces and variable references', () => {
  it('refuses a reference to a namespace no action has', () => {
    const p = withAction(
      v1Pipeline(),
      2,
      1,
      deployAction({ configuration: { BucketName: '#{Nobody.Bucket}', Extract: 'true' } }),
    );
    expect(problemsOf(p)).toEqual([
      [
        A,
        'stages[2].actions[1].configuration.BucketName',
        "#{Nobody.Bucket}: no action has the namespace 'Nobody'",
      ],
    ]);
  });

  it('refuses a reference to a namespace produced later or in the same runOrder', () => {
    let p = withAction(
      v1Pipeline(),
      2,
      0,
      approvalAction({ namespace: 'Approval', configuration: { CustomData: '#{DeployVars.X}' } }),
    );
    p = withAction(
      p,
      2,
      1,
      deployAction({
        runOrder: 1,
        namespace: 'DeployVars',
        configuration: { BucketName: '#{Approval.Y}', Extract: 'true' },
      }),
    );
    expect(problemsOf(p)).toEqual([
      [
        A,
        'stages[2].actions[0].configuration.CustomData',
        "#{DeployVars.X}: the namespace 'DeployVars' belongs to action 'Deploy' of stage 'Deploy', which does not run before this action",
      ],
      [
        A,
        'stages[2].actions[1].configuration.BucketName',
        "#{Approval.Y}: the namespace 'Approval' belongs to action 'Approve' of stage 'Deploy', which does not run before this action",
      ],
    ]);
  });

  it('accepts a reference to a lower runOrder in the same stage', () => {
    let p = withAction(v1Pipeline(), 2, 0, approvalAction({ namespace: 'Approval' }));
    p = withAction(
      p,
      2,
      1,
      deployAction({ configuration: { BucketName: 'b-#{Approval.X}', Extract: 'true' } }),
    );
    expect(problemsOf(p)).toEqual([]);
  });

  it('knows the codepipeline namespace', () => {
    const p = withAction(
      v1Pipeline(),
      2,
      1,
      deployAction({
        configuration: {
          BucketName: 'b',
          Extract: 'false',
          ObjectKey: '#{codepipeline.PipelineExecutionId}/#{codepipeline.Nope}',
        },
      }),
    );
    expect(problemsOf(p)).toEqual([
      [
        A,
        'stages[2].actions[1].configuration.ObjectKey',
        "#{codepipeline.Nope}: the codepipeline namespace has no variable 'Nope'",
      ],
    ]);
  });

  it('resolves #{variables.x} only to declared V2 variables', () => {
    const ref = (value: string) =>
      withAction(
        v2Pipeline(),
        2,
        1,
        deployAction({ configuration: { BucketName: value, Extract: 'true' } }),
      );
    expect(problemsOf(ref('#{variables.Environment}'))).toEqual([]);
    expect(problemsOf(ref('#{variables.Region}'))).toEqual([
      [
        A,
        'stages[2].actions[1].configuration.BucketName',
        "#{variables.Region}: the pipeline declares no variable 'Region'",
      ],
    ]);
    const v1 = withAction(
      v1Pipeline(),
      2,
      1,
      deployAction({ configuration: { BucketName: '#{variables.X}', Extract: 'true' } }),
    );
    expect(problemsOf(v1)).toEqual([
      [
        A,
        'stages[2].actions[1].configuration.BucketName',
        '#{variables.X}: pipeline-level variables are only available in V2 pipelines',
      ],
    ]);
  });

  it('refuses duplicate, reserved and artifact-colliding namespaces', () => {
    const p = v1Pipeline({
      stages: [
        stage('Source', [sourceAction()]),
        stage('Build', [
          buildAction({ namespace: 'SourceVariables' }),
          buildAction({ name: 'Test', namespace: 'codepipeline', outputArtifacts: [] }),
        ]),
        stage('Deploy', [approvalAction({ namespace: 'BuildArtifact' })]),
      ],
    });
    expect(problemsOf(p)).toEqual([
      [
        A,
        'stages[1].actions[0].namespace',
        "namespace 'SourceVariables' is already used by action 'Source' of stage 'Source'",
      ],
      [A, 'stages[1].actions[1].namespace', "namespace 'codepipeline' is reserved by CodePipeline"],
      [
        A,
        'stages[2].actions[0].namespace',
        "namespace 'BuildArtifact' is also the name of an output artifact",
      ],
    ]);
  });
});
