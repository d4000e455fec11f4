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
import type { ActionResult, ActionTask } from './action-executor.ports.ts';
import type { ExecutionMode } from './declaration/declaration.model.ts';

let h: PipelinesHarness;
beforeEach(() => {
  h = pipelinesHarness();
});

const ok = (task: ActionTask): ActionResult => ({
  status: 'Succeeded' as const,
  outputVariables: task.actionTypeId.category === 'Source' ? { CommitId: 'c' } : {},
});
const onlySource = (task: ActionTask) => task.stageName === 'Source';

async function pipeline(mode: ExecutionMode) {
  await h.service.createPipeline(h.scope, h.caller, {
    pipeline: aPipelineDeclaration({ executionMode: mode }),
  });
  return (await h.service.listPipelineExecutions(h.scope, { pipelineName: 'demo' })).executions[0]!
    .id;
}
const start = async () =>
  (await h.service.startPipelineExecution(h.scope, h.caller, { name: 'demo' })).id;
const statusOf = async (id: string) => (await executionOf(h, id)).status;

describe('SUPERSEDED', () => {
  it('holds a newer execution in front of a locked stage and supersedes the one waiting', async () => {
    const first = await pipeline('SUPERSEDED');
    await runReadyActions(h, ok); // first: Source, Build done; waits for approval in Deploy
    const second = await start();
    await runReadyActions(h, ok); // second: Source, Build; then waits in front of Deploy
    const third = await start();
    await runReadyActions(h, ok); // third arrives in front of Deploy: second is superseded
    await h.service.reconcileDue();
    expect(await statusOf(second)).toBe('Superseded');
    expect(await statusOf(third)).toBe('InProgress');
    const state = await h.service.getPipelineState(h.scope, 'demo');
    expect(state.stageStates[2]?.inboundExecution?.pipelineExecutionId).toBe(third);
    expect(state.stageStates[2]?.latestExecution?.pipelineExecutionId).toBe(first);

    // The first releases Deploy (rejected); the third enters it.
    const token = (await executionOf(h, first)).stages[2]!.actions[0]!.token!;
    await h.service.putApprovalResult(h.scope, h.caller, {
      pipelineName: 'demo',
      stageName: 'Deploy',
      actionName: 'Approve',
      result: { status: 'Rejected', summary: 'no' },
      token,
    });
    await h.service.reconcileDue();
    const entered = await executionOf(h, third);
    expect(entered.stages.map((s) => s.stageName)).toEqual(['Source', 'Build', 'Deploy']);
  });
});

describe('QUEUED', () => {
  it('lets waiting executions into a stage one by one in start order, superseding none', async () => {
    const first = await pipeline('QUEUED');
    const second = await start();
    const third = await start();
    expect((await executionOf(h, second)).stages).toEqual([]);
    const state = await h.service.getPipelineState(h.scope, 'demo');
    expect(state.stageStates[0]?.inboundExecutions?.map((e) => e.pipelineExecutionId)).toEqual([
      second,
      third,
    ]);
    await runReadyActions(h, ok, onlySource);
    await h.service.reconcileDue();
    expect((await executionOf(h, second)).stages.map((s) => s.stageName)).toEqual(['Source']);
    expect((await executionOf(h, third)).stages).toEqual([]);
    // Woken and still waiting, the third is not due again (the reconcile loop must not spin).
    expect(await h.service.nextDue()).toBeGreaterThan(h.clock.now());
    await runReadyActions(h, ok, onlySource);
    await h.service.reconcileDue();
    await runReadyActions(h, ok, onlySource);
    for (const id of [first, second, third]) {
      expect((await executionOf(h, id)).stages[0]?.status).toBe('Succeeded');
      expect(await statusOf(id)).toBe('InProgress');
    }
  });
});

describe('PARALLEL', () => {
  it('runs executions independently', async () => {
    const first = await pipeline('PARALLEL');
    const second = await start();
    const ran = await runReadyActions(h, ok);
    expect(ran.filter((t) => t.stageName === 'Build')).toHaveLength(2);
    for (const id of [first, second]) {
      expect((await executionOf(h, id)).stages.map((s) => s.stageName)).toEqual([
        'Source',
        'Build',
        'Deploy',
      ]);
    }
  });

  it('has no stage rollback', async () => {
    const first = await pipeline('PARALLEL');
    await expectAppError(
      h.service.rollbackStage(h.scope, h.caller, {
        pipelineName: 'demo',
        stageName: 'Build',
        targetPipelineExecutionId: first,
      }),
      AppErrorKind.Conflict,
      'unable-to-rollback',
    );
  });
});

describe('stage transitions', () => {
  it('holds executions in front of a disabled stage and releases them when enabled', async () => {
    const id = await pipeline('PARALLEL');
    await h.service.disableStageTransition(h.scope, h.caller, {
      pipelineName: 'demo',
      stageName: 'Build',
      transitionType: 'Inbound',
      reason: 'freeze',
    });
    await runReadyActions(h, ok);
    expect((await executionOf(h, id)).stages.map((s) => s.stageName)).toEqual(['Source']);
    const state = await h.service.getPipelineState(h.scope, 'demo');
    expect(state.stageStates[1]).toMatchObject({
      inboundTransitionState: {
        enabled: false,
        disabledReason: 'freeze',
        lastChangedBy: h.caller.arn,
      },
      inboundExecution: { pipelineExecutionId: id },
    });
    await h.service.enableStageTransition(h.scope, h.caller, {
      pipelineName: 'demo',
      stageName: 'Build',
      transitionType: 'Inbound',
    });
    await h.service.reconcileDue();
    const ran = await runReadyActions(h, ok);
    expect(ran.map((t) => t.actionName)).toEqual(['Build']);
  });

  // Regression: Outbound was accepted and ignored, so executions went on to the next stage.
  it('holds executions after a stage whose outbound transition is disabled', async () => {
    const id = await pipeline('PARALLEL');
    const transition = {
      pipelineName: 'demo',
      stageName: 'Source',
      transitionType: 'Outbound',
    } as const;
    await h.service.disableStageTransition(h.scope, h.caller, { ...transition, reason: 'hold' });
    await runReadyActions(h, ok);
    expect((await executionOf(h, id)).stages.map((s) => [s.stageName, s.status])).toEqual([
      ['Source', 'Succeeded'],
    ]);
    const state = await h.service.getPipelineState(h.scope, 'demo');
    expect(state.stageStates[1]?.inboundExecution?.pipelineExecutionId).toBe(id);
    expect(state.stageStates[1]?.inboundTransitionState.enabled).toBe(true);
    await h.service.enableStageTransition(h.scope, h.caller, transition);
    await h.service.reconcileDue();
    const ran = await runReadyActions(h, ok);
    expect(ran.map((a) => a.actionName)).toEqual(['Build']);
  });

  it('needs a reason to disable', async () => {
    await pipeline('PARALLEL');
    await expectAppError(
      h.service.disableStageTransition(h.scope, h.caller, {
        pipelineName: 'demo',
        stageName: 'Build',
        transitionType: 'Inbound',
      }),
      AppErrorKind.InvalidInput,
    );
  });
});

describe('rollback', () => {
  async function succeededThenFailed(onFailure?: 'ROLLBACK') {
    const declaration = aPipelineDeclaration();
    const build = {
      ...declaration.stages[1]!,
      ...(onFailure ? { onFailure: { result: onFailure } } : {}),
    };
    const pipelineDeclaration = {
      ...declaration,
      stages: [declaration.stages[0]!, build],
    };
    await h.service.createPipeline(h.scope, h.caller, { pipeline: pipelineDeclaration });
    const good = (await h.service.listPipelineExecutions(h.scope, { pipelineName: 'demo' }))
      .executions[0]!.id;
    await runReadyActions(h, ok);
    expect(await statusOf(good)).toBe('Succeeded');
    const bad = await start();
    await runReadyActions(h, (task) =>
      task.stageName === 'Build' ? { status: 'Failed', summary: 'red' } : ok(task),
    );
    expect(await statusOf(bad)).toBe('Failed');
    return { good, bad };
  }

  it("RollbackStage re-runs the stage with the target execution's artifacts", async () => {
    const { good } = await succeededThenFailed();
    const rollback = await h.service.rollbackStage(h.scope, h.caller, {
      pipelineName: 'demo',
      stageName: 'Build',
      targetPipelineExecutionId: good,
    });
    expect(rollback).toMatchObject({
      executionType: 'ROLLBACK',
      trigger: { triggerType: 'ManualRollback' },
      rollbackTargetExecutionId: good,
    });
    const ran = await runReadyActions(h, ok);
    expect(ran.map((t) => t.actionName)).toEqual(['Build']);
    const target = await executionOf(h, good);
    expect(ran[0]!.inputArtifacts).toEqual([target.artifacts['SourceOutput']]);
    expect(await statusOf(rollback.id)).toBe('Succeeded');
  });

  it('onFailure ROLLBACK starts an automated rollback to the last success', async () => {
    const { good, bad } = await succeededThenFailed('ROLLBACK');
    const { executions } = await h.service.listPipelineExecutions(h.scope, {
      pipelineName: 'demo',
    });
    expect(executions[0]).toMatchObject({
      executionType: 'ROLLBACK',
      trigger: { triggerType: 'AutomatedRollback', triggerDetail: bad },
      rollbackTargetExecutionId: good,
    });
  });

  it('refuses to roll back the source stage or to a failed target', async () => {
    const { good, bad } = await succeededThenFailed();
    await expectAppError(
      h.service.rollbackStage(h.scope, h.caller, {
        pipelineName: 'demo',
        stageName: 'Source',
        targetPipelineExecutionId: good,
      }),
      AppErrorKind.Conflict,
      'unable-to-rollback',
    );
    await expectAppError(
      h.service.rollbackStage(h.scope, h.caller, {
        pipelineName: 'demo',
        stageName: 'Build',
        targetPipelineExecutionId: bad,
      }),
      AppErrorKind.Conflict,
      'unable-to-rollback',
    );
  });
});
