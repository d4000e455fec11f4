import { describe, expect, it } from 'vitest';
import {
  approvalAction,
  buildAction,
  deployAction,
  sourceAction,
  stage,
  v1Pipeline,
} from './declaration.fixtures.ts';
import { problemsOf } from './test-helpers.ts';

const S = 'invalid-structure';

describe('pipeline structure', () => {
  it('needs at least two stages', () => {
    expect(
      problemsOf(
        v1Pipeline({ stages: [stage('Source', [sourceAction({ namespace: undefined })])] }),
      ),
    ).toEqual([
      [
        S,
        'stages',
        'Pipeline has only 1 stage(s). There should be a minimum of 2 stages in a pipeline',
      ],
    ]);
  });

  it('refuses duplicate stage and action names', () => {
    const p = v1Pipeline({
      stages: [
        stage('Source', [sourceAction()]),
        stage('Build', [buildAction(), approvalAction({ name: 'Build' })]),
        stage('Build', [deployAction({ runOrder: 1 })]),
      ],
    });
    expect(problemsOf(p)).toEqual([
      [
        S,
        'stages[1].actions[1].name',
        "action name 'Build' is used more than once in stage 'Build'",
      ],
      [S, 'stages[2].name', "stage name 'Build' is used more than once"],
    ]);
  });

  it('keeps source actions in the first stage, and only them', () => {
    const p = v1Pipeline({
      stages: [
        stage('Source', [sourceAction(), approvalAction({ configuration: {} })]),
        stage('Build', [
          buildAction(),
          sourceAction({
            name: 'Other',
            namespace: undefined,
            outputArtifacts: [{ name: 'Other' }],
          }),
        ]),
        stage('Deploy', [deployAction()]),
      ],
    });
    expect(problemsOf(p)).toEqual([
      [
        S,
        'stages[0].actions[1].actionTypeId.category',
        'the first stage must contain only source actions',
      ],
      [
        S,
        'stages[1].actions[1].actionTypeId.category',
        'source actions are allowed only in the first stage',
      ],
    ]);
  });

  it('refuses a stage without actions', () => {
    const p = v1Pipeline({ stages: [stage('Source', [sourceAction()]), stage('Empty', [])] });
    expect(problemsOf(p)).toEqual([
      ['invalid-stage-declaration', 'stages[1].actions', 'a stage needs an action'],
    ]);
  });

  it('needs every input to be produced by an earlier action', () => {
    const p = v1Pipeline({
      stages: [
        stage('Source', [sourceAction()]),
        stage('Build', [
          buildAction({ inputArtifacts: [{ name: 'Tests' }] }),
          buildAction({ name: 'Test', namespace: undefined, outputArtifacts: [{ name: 'Tests' }] }),
        ]),
        stage('Deploy', [deployAction({ inputArtifacts: [{ name: 'Missing' }] })]),
      ],
    });
    expect(problemsOf(p)).toEqual([
      [
        S,
        'stages[1].actions[0].inputArtifacts[0].name',
        "input artifact 'Tests' is produced by action 'Test' of stage 'Build', which does not run before this action",
      ],
      [
        S,
        'stages[2].actions[0].inputArtifacts[0].name',
        "input artifact 'Missing' is not the output of any action",
      ],
    ]);
  });

  it('accepts an input from a lower runOrder in the same stage', () => {
    const p = v1Pipeline({
      stages: [
        stage('Source', [sourceAction()]),
        stage('Build', [buildAction(), deployAction({ runOrder: 2 })]),
      ],
    });
    expect(problemsOf(p)).toEqual([]);
  });

  it('refuses duplicate output artifact names across the pipeline and duplicate inputs', () => {
    const p = v1Pipeline({
      stages: [
        stage('Source', [sourceAction()]),
        stage('Build', [
          buildAction({
            inputArtifacts: [{ name: 'SourceArtifact' }, { name: 'SourceArtifact' }],
            configuration: { ProjectName: 'P', PrimarySource: 'SourceArtifact' },
            outputArtifacts: [{ name: 'SourceArtifact' }],
          }),
        ]),
      ],
    });
    expect(problemsOf(p)).toEqual([
      [
        S,
        'stages[1].actions[0].outputArtifacts[0].name',
        "output artifact 'SourceArtifact' is already produced by action 'Source' of stage 'Source'",
      ],
      [
        S,
        'stages[1].actions[0].inputArtifacts[1].name',
        "input artifact 'SourceArtifact' is listed more than once",
      ],
    ]);
  });

  it('needs exactly one of artifactStore and artifactStores', () => {
    const store = { type: 'S3' as const, location: 'bucket-one' };
    expect(problemsOf(v1Pipeline({ artifactStore: undefined }))).toEqual([
      [S, 'artifactStore', 'is required (or artifactStores)'],
    ]);
    expect(problemsOf(v1Pipeline({ artifactStores: { 'us-east-1': store } }))).toEqual([
      [S, 'artifactStores', 'give either artifactStore or artifactStores, not both'],
    ]);
  });

  it('needs an artifact store for a cross-region action', () => {
    const p = v1Pipeline({
      artifactStore: undefined,
      artifactStores: { 'us-east-1': { type: 'S3', location: 'b-one' } },
    });
    const build = p.stages[1];
    if (!build) throw new Error('fixture');
    const q = {
      ...p,
      stages: [
        p.stages[0],
        { ...build, actions: [buildAction({ region: 'eu-west-1' })] },
        p.stages[2],
      ],
    };
    expect(problemsOf(q)).toEqual([
      [S, 'stages[1].actions[0].region', "artifactStores has no store for region 'eu-west-1'"],
    ]);
  });

  it('limits parallel actions to 50 per runOrder', () => {
    const approvals = Array.from({ length: 51 }, (_, i) =>
      approvalAction({ name: `A${i}`, configuration: {} }),
    );
    const p = v1Pipeline({
      stages: [stage('Source', [sourceAction()]), stage('Approve', approvals)],
    });
    expect(problemsOf(p)).toEqual([
      [S, 'stages[1].actions', 'at most 50 actions in a stage'],
      [S, 'stages[1].actions', 'at most 50 parallel actions (runOrder 1 has 51)'],
    ]);
  });
});
