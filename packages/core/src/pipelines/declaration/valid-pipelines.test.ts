import { describe, expect, it } from 'vitest';
import { context, v1Pipeline, v2Pipeline } from './declaration.fixtures.ts';
import { validatePipelineDeclaration } from './validate-pipeline-declaration.ts';

describe('valid pipelines', () => {
  it('accepts the V1 tutorial pipeline and fills the defaults', () => {
    const result = validatePipelineDeclaration(v1Pipeline(), context);
    expect(result.ok ? [] : result.problems).toEqual([]);
    if (!result.ok) return;
    expect(result.pipeline.pipelineType).toBe('V1');
    expect(result.pipeline.executionMode).toBe('SUPERSEDED');
    expect(result.pipeline.stages.map((s) => [s.name, s.runOrders])).toEqual([
      ['Source', [1]],
      ['Build', [1]],
      ['Deploy', [1, 2]],
    ]);
    const build = result.pipeline.stages[1]?.actions[0];
    expect(build?.inputArtifacts).toEqual(['SourceArtifact']);
    expect(build?.references).toEqual([
      {
        field: 'configuration.EnvironmentVariables',
        namespace: 'SourceVariables',
        variable: 'CommitId',
      },
    ]);
  });

  it('accepts the V2 tutorial pipeline with its trigger, variable and conditions', () => {
    const result = validatePipelineDeclaration(v2Pipeline(), context);
    expect(result.ok ? [] : result.problems).toEqual([]);
    if (!result.ok) return;
    expect(result.pipeline.pipelineType).toBe('V2');
    expect(result.pipeline.executionMode).toBe('QUEUED');
    expect(result.pipeline.triggers).toMatchObject([
      { sourceActionName: 'Source', sourceProvider: 'CodeCommit' },
    ]);
  });

  it('reads a JSON body as the AWS CLI sends it', () => {
    const body: unknown = JSON.parse(JSON.stringify(v2Pipeline()));
    expect(validatePipelineDeclaration(body, context).ok).toBe(true);
  });

  it('makes a pipeline V2 when it uses a V2 feature without a pipelineType', () => {
    const result = validatePipelineDeclaration(v1Pipeline({ executionMode: 'PARALLEL' }), context);
    expect(result.ok && result.pipeline.pipelineType).toBe('V2');
  });

  it('sorts a stage by runOrder and allows gaps between runOrders', () => {
    const pipeline = v1Pipeline();
    const deploy = pipeline.stages[2];
    if (!deploy) throw new Error('fixture');
    const [approval, s3] = deploy.actions;
    const result = validatePipelineDeclaration(
      {
        ...pipeline,
        stages: [
          pipeline.stages[0],
          pipeline.stages[1],
          {
            ...deploy,
            actions: [
              { ...s3, runOrder: 10 },
              { ...approval, runOrder: 3 },
            ],
          },
        ],
      },
      context,
    );
    expect(result.ok ? [] : result.problems).toEqual([]);
    if (!result.ok) return;
    expect(result.pipeline.stages[2]?.actions.map((a) => [a.name, a.runOrder])).toEqual([
      ['Approve', 3],
      ['Deploy', 10],
    ]);
  });
});
