import {
  aPipelineDeclaration,
  executionOf,
  expectAppError,
  pipelinesHarness,
  runReadyActions,
  type PipelinesHarness,
} from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppErrorKind } from '../errors/app-error.ts';
import type { ActionResult } from './action-executor.ports.ts';
import type { Condition, StageDeclaration } from './declaration/declaration.model.ts';

let h: PipelinesHarness;
beforeEach(() => {
  h = pipelinesHarness();
});

const branchIs = (value: string, result: Condition['result']): Condition => ({
  result,
  rules: [
    {
      name: 'OnMain',
      ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'VariableCheck', version: '1' },
      configuration: { Variable: '#{SourceVariables.BranchName}', Value: value, Operator: 'EQ' },
    },
  ],
});
const ok = (): ActionResult => ({
  status: 'Succeeded',
  outputVariables: { BranchName: 'main', CommitId: 'c' },
});

async function run(build: Partial<StageDeclaration>, outcome: () => ActionResult = ok) {
  const declaration = aPipelineDeclaration();
  await h.service.createPipeline(h.scope, h.caller, {
    pipeline: {
      ...declaration,
      stages: [declaration.stages[0]!, { ...declaration.stages[1]!, ...build }],
    },
  });
  const [execution] = (await h.service.listPipelineExecutions(h.scope, { pipelineName: 'demo' }))
    .executions;
  const ran = await runReadyActions(h, outcome);
  return { execution: await executionOf(h, execution!.id), ran };
}

describe('stage conditions (VariableCheck rules)', () => {
  it('beforeEntry met: the stage runs', async () => {
    const { execution, ran } = await run({
      beforeEntry: { conditions: [branchIs('main', 'FAIL')] },
    });
    expect(ran.map((t) => t.actionName)).toEqual(['Source', 'Build']);
    expect(execution.status).toBe('Succeeded');
  });

  it('beforeEntry FAIL not met: the stage fails without running an action', async () => {
    const { execution, ran } = await run({
      beforeEntry: { conditions: [branchIs('prod', 'FAIL')] },
    });
    expect(ran.map((t) => t.actionName)).toEqual(['Source']);
    expect(execution.status).toBe('Failed');
    expect(execution.statusSummary).toContain('beforeEntry condition not met: Rule OnMain');
    expect(execution.stages[1]?.status).toBe('Failed');
  });

  it('beforeEntry SKIP not met: the stage is Skipped and the execution goes on', async () => {
    const { execution } = await run({ beforeEntry: { conditions: [branchIs('prod', 'SKIP')] } });
    expect(execution.stages.map((s) => s.status)).toEqual(['Succeeded', 'Skipped']);
    expect(execution.status).toBe('Succeeded');
  });

  it('onSuccess FAIL not met: a stage whose actions succeeded fails', async () => {
    const { execution } = await run({ onSuccess: { conditions: [branchIs('prod', 'FAIL')] } });
    expect(execution.status).toBe('Failed');
    expect(execution.statusSummary).toContain('onSuccess condition not met');
  });

  it('refuses rules Slipway does not evaluate, naming the ones it does', async () => {
    const declaration = aPipelineDeclaration();
    const error = await expectAppError(
      h.service.createPipeline(h.scope, h.caller, {
        pipeline: {
          ...declaration,
          stages: [
            declaration.stages[0]!,
            {
              ...declaration.stages[1]!,
              beforeEntry: {
                conditions: [
                  {
                    result: 'FAIL',
                    rules: [
                      {
                        name: 'Window',
                        ruleTypeId: {
                          category: 'Rule',
                          owner: 'AWS',
                          provider: 'DeploymentWindow',
                          version: '1',
                        },
                        configuration: { Cron: '0 9-17 ? * MON-FRI *' },
                      },
                    ],
                  },
                ],
              },
            },
          ],
        },
      }),
      AppErrorKind.InvalidInput,
      'invalid-stage-declaration',
    );
    expect(error.message).toContain('Slipway does not evaluate DeploymentWindow rules yet');
  });
});
