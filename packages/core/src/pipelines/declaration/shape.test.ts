import { describe, expect, it } from 'vitest';
import { primarySubject } from './declaration-problems.ts';
import { context, v1Pipeline } from './declaration.fixtures.ts';
import { problemsOf } from './test-helpers.ts';
import { validatePipelineDeclaration } from './validate-pipeline-declaration.ts';

const V = 'declaration-shape';

describe('declaration shape', () => {
  it('refuses a body that is not an object', () => {
    expect(problemsOf('pipeline')).toEqual([[V, 'pipeline', 'must be an object']]);
  });

  it('reports names, patterns, lengths and ranges', () => {
    const p = JSON.parse(JSON.stringify(v1Pipeline())) as Record<string, unknown> & {
      stages: { name: string; actions: Record<string, unknown>[] }[];
    };
    p.name = 'my pipeline';
    p.roleArn = 'role';
    const build = p.stages[1];
    if (!build?.actions[0]) throw new Error('fixture');
    build.name = 'x'.repeat(101);
    build.actions[0].runOrder = 0;
    build.actions[0].namespace = 'has.dot';
    build.actions[0].outputArtifacts = [{ name: 'bad name' }];
    expect(problemsOf(p)).toEqual([
      [V, 'name', 'must match [A-Za-z0-9.@\\-_]+'],
      [V, 'roleArn', 'must match arn:aws(-[\\w]+)*:iam::[0-9]{12}:role\\/.*'],
      [V, 'stages[1].name', 'must be 1 to 100 characters'],
      [V, 'stages[1].actions[0].runOrder', 'must be from 1 to 999'],
      [V, 'stages[1].actions[0].outputArtifacts[0].name', 'must match [a-zA-Z0-9_-]+'],
      [V, 'stages[1].actions[0].namespace', 'must match [A-Za-z0-9@\\-_]+'],
      // An artifact with a bad name is left out, so its consumer is reported too.
      [
        'invalid-structure',
        'stages[2].actions[1].inputArtifacts[0].name',
        "input artifact 'BuildArtifact' is not the output of any action",
      ],
    ]);
  });

  it('reports a missing actionTypeId without cascading into provider checks', () => {
    const p = JSON.parse(JSON.stringify(v1Pipeline())) as {
      stages: { actions: Record<string, unknown>[] }[];
    };
    const action = p.stages[1]?.actions[0];
    if (!action) throw new Error('fixture');
    action.actionTypeId = { category: 'Bake', owner: 'AWS', provider: 'CodeBuild' };
    expect(problemsOf(p)).toEqual([
      [
        V,
        'stages[1].actions[0].actionTypeId.category',
        'must be one of Source, Build, Deploy, Test, Invoke, Approval, Compute',
      ],
      [V, 'stages[1].actions[0].actionTypeId.version', 'is required'],
    ]);
  });
});

describe('a pipeline with many problems', () => {
  it('reports all of them at once, each with its subject', () => {
    const input = {
      name: 'Broken',
      roleArn: 'arn:aws:iam::111122223333:role/R',
      pipelineType: 'V1',
      executionMode: 'QUEUED',
      stages: [
        {
          name: 'Source',
          actions: [
            {
              name: 'Source',
              actionTypeId: {
                category: 'Source',
                owner: 'AWS',
                provider: 'CodeCommit',
                version: '1',
              },
              configuration: { RepositoryName: 'r' },
              outputArtifacts: [{ name: 'Src' }],
            },
          ],
        },
        {
          name: 'Build',
          actions: [
            {
              name: 'Build',
              actionTypeId: {
                category: 'Build',
                owner: 'AWS',
                provider: 'CodeBuild',
                version: '1',
              },
              runOrder: 1000,
              configuration: { ProjectName: '#{Missing.X}' },
              inputArtifacts: [{ name: 'Nothing' }],
            },
            {
              name: 'Deploy',
              actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'Lambda', version: '1' },
            },
          ],
        },
      ],
    };
    const result = validatePipelineDeclaration(input, context);
    expect(result.ok ? [] : result.problems.map((p) => [p.subject, p.path, p.message])).toEqual([
      [V, 'stages[1].actions[0].runOrder', 'must be from 1 to 999'],
      [V, 'executionMode', 'execution mode QUEUED: only available in V2 pipelines'],
      [
        'invalid-structure',
        'stages[1].actions[0].inputArtifacts[0].name',
        "input artifact 'Nothing' is not the output of any action",
      ],
      ['invalid-structure', 'artifactStore', 'is required (or artifactStores)'],
      [
        'invalid-action-declaration',
        'stages[0].actions[0].configuration.BranchName',
        'is required',
      ],
      [
        'invalid-action-declaration',
        'stages[1].actions[1].actionTypeId',
        "ActionType (Category: 'Deploy', Provider: 'Lambda', Owner: 'AWS', Version: '1') in action 'Deploy' is not available",
      ],
      [
        'invalid-action-declaration',
        'stages[1].actions[0].configuration.ProjectName',
        "#{Missing.X}: no action has the namespace 'Missing'",
      ],
    ]);
    expect(result.ok ? undefined : primarySubject(result.problems)).toBe(V);
  });
});
