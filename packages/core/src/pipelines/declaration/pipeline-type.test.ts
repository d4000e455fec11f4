import { describe, expect, it } from 'vitest';
import { sourceAction, stage, v2Pipeline } from './declaration.fixtures.ts';
import type { PipelineDeclaration } from './declaration.model.ts';
import { problemsOf } from './test-helpers.ts';

const V = 'declaration-shape';
const T = 'invalid-structure';
const G = 'invalid-stage-declaration';

describe('V1 and V2 features', () => {
  it('refuses every V2 feature in an explicit V1 pipeline', () => {
    const v2 = v2Pipeline({ executionMode: 'PARALLEL' });
    const p = {
      ...v2,
      pipelineType: 'V1' as const,
      stages: v2.stages.map((s) => ({ ...s, onFailure: undefined })),
    };
    expect(problemsOf(p)).toEqual([
      [V, 'variables', 'pipeline variables: only available in V2 pipelines'],
      [V, 'triggers', 'triggers: only available in V2 pipelines'],
      [V, 'executionMode', 'execution mode PARALLEL: only available in V2 pipelines'],
      [V, 'stages[2].beforeEntry', 'stage conditions: only available in V2 pipelines'],
      [
        'invalid-action-declaration',
        'stages[1].actions[0].configuration.EnvironmentVariables',
        '#{variables.Environment}: pipeline-level variables are only available in V2 pipelines',
      ],
    ]);
  });
});

describe('stage conditions', () => {
  const withStage = (index: number, extra: Partial<PipelineDeclaration['stages'][number]>) => {
    const p = v2Pipeline();
    return { ...p, stages: p.stages.map((s, i) => (i === index ? { ...s, ...extra } : s)) };
  };
  const rule = (provider: string) => ({
    name: 'R',
    ruleTypeId: { category: 'Rule' as const, provider },
  });

  it('checks results per condition type and rule providers', () => {
    const p = withStage(1, {
      beforeEntry: { conditions: [{ result: 'ROLLBACK', rules: [rule('Nope')] }] },
      onSuccess: { conditions: [{ result: 'SKIP', rules: [rule('VariableCheck')] }] },
      onFailure: {
        result: 'RETRY',
        conditions: [{ result: 'FAIL', rules: [rule('CloudWatchAlarm')] }],
      },
    });
    expect(problemsOf(p)).toEqual([
      [G, 'stages[1].beforeEntry.conditions[0].result', 'must be FAIL or SKIP'],
      [
        G,
        'stages[1].beforeEntry.conditions[0].rules[0].ruleTypeId.provider',
        "unknown rule provider 'Nope'",
      ],
      [G, 'stages[1].onSuccess.conditions[0].result', 'must be ROLLBACK or FAIL'],
      [G, 'stages[1].onFailure.conditions[0].result', 'must be ROLLBACK'],
      [G, 'stages[1].onFailure.conditions', 'automatic retry cannot be combined with conditions'],
    ]);
  });

  it('allows SKIP only with LambdaInvoke and VariableCheck rules', () => {
    const p = withStage(1, {
      beforeEntry: { conditions: [{ result: 'SKIP', rules: [rule('CloudWatchAlarm')] }] },
    });
    expect(problemsOf(p)).toEqual([
      [
        G,
        'stages[1].beforeEntry.conditions[0].rules[0].ruleTypeId.provider',
        'result SKIP is supported only with LambdaInvoke and VariableCheck rules',
      ],
    ]);
  });

  it('refuses rollback of the source stage and in PARALLEL mode', () => {
    expect(problemsOf(withStage(0, { onFailure: { result: 'ROLLBACK' } }))).toEqual([
      [G, 'stages[0].onFailure', 'a source stage cannot be rolled back'],
    ]);
    expect(problemsOf(v2Pipeline({ executionMode: 'PARALLEL' }))).toEqual([
      [G, 'stages[2].onFailure', 'rollback is not available in PARALLEL execution mode'],
    ]);
  });
});

describe('triggers', () => {
  const withTriggers = (triggers: unknown) => ({ ...v2Pipeline(), triggers });
  const push = (
    sourceActionName: string,
    filter: unknown = { branches: { includes: ['main'] } },
  ) => ({
    providerType: 'CodeStarSourceConnection',
    gitConfiguration: { sourceActionName, push: [filter] },
  });

  it('needs a CodeCommit or CodeStarSourceConnection source action, once', () => {
    const p = withTriggers([push('Source'), push('Source'), push('Build')]);
    expect(problemsOf(p)).toEqual([
      [
        T,
        'triggers[1].gitConfiguration.sourceActionName',
        "another trigger already watches 'Source'",
      ],
      [T, 'triggers[2].gitConfiguration.sourceActionName', "no source action is named 'Build'"],
    ]);
  });

  it('refuses a trigger on an S3 source', () => {
    const p = v2Pipeline();
    const s3 = sourceAction({
      actionTypeId: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' },
      configuration: { S3Bucket: 'b', S3ObjectKey: 'k.zip' },
      namespace: undefined,
    });
    const q = { ...p, stages: [stage('Source', [s3]), ...p.stages.slice(1)] };
    const problems = problemsOf(q).filter((x) => x[1]?.startsWith('triggers'));
    expect(problems).toEqual([
      [
        T,
        'triggers[0].gitConfiguration.sourceActionName',
        'triggers apply only to CodeStarSourceConnection or CodeCommit sources, not S3',
      ],
    ]);
  });

  it('checks filter shapes and limits', () => {
    const nine = Array.from({ length: 9 }, (_, i) => `b${i}`);
    const p = withTriggers([
      push('Source', {}),
      {
        providerType: 'GitHub',
        gitConfiguration: { sourceActionName: 'Source', push: [{ tags: {} }] },
      },
      push('Source', { branches: { includes: nine }, filePaths: { excludes: ['x'.repeat(256)] } }),
      {
        providerType: 'CodeStarSourceConnection',
        gitConfiguration: { sourceActionName: 'Source', pullRequest: [{ events: ['MERGED'] }] },
      },
    ]);
    expect(problemsOf(p)).toEqual([
      [V, 'triggers[1].providerType', 'must be one of CodeStarSourceConnection'],
      [V, 'triggers[2].gitConfiguration.push[0].branches.includes', 'must have 1 to 8 items'],
      [
        V,
        'triggers[2].gitConfiguration.push[0].filePaths.excludes[0]',
        'must be 1 to 255 characters',
      ],
      [
        V,
        'triggers[3].gitConfiguration.pullRequest[0].events[0]',
        'must be one of OPEN, UPDATED, CLOSED',
      ],
      [V, 'triggers[0].gitConfiguration.push[0]', 'needs tags, branches or filePaths'],
      [V, 'triggers[1].gitConfiguration.push[0].tags', 'needs includes or excludes'],
      [
        T,
        'triggers[1].gitConfiguration.sourceActionName',
        "another trigger already watches 'Source'",
      ],
      [
        T,
        'triggers[2].gitConfiguration.sourceActionName',
        "another trigger already watches 'Source'",
      ],
      [
        T,
        'triggers[3].gitConfiguration.sourceActionName',
        "another trigger already watches 'Source'",
      ],
    ]);
  });
});
