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

let h: PipelinesHarness;
beforeEach(() => {
  h = pipelinesHarness();
});

const sourceResult = (task: ActionTask): ActionResult =>
  task.actionTypeId.category === 'Source'
    ? {
        status: 'Succeeded' as const,
        outputVariables: { CommitId: 'abc123', BranchName: 'main' },
        sourceRevision: {
          actionName: task.actionName,
          revisionId: 'abc123',
          revisionSummary: 'first',
        },
      }
    : { status: 'Succeeded' as const, outputVariables: { VERSION: '1.0' } };

async function created() {
  await h.service.createPipeline(h.scope, h.caller, { pipeline: aPipelineDeclaration() });
  const { executions } = await h.service.listPipelineExecutions(h.scope, { pipelineName: 'demo' });
  expect(executions).toHaveLength(1);
  return executions[0]!;
}

async function approvalToken(executionId: string): Promise<string> {
  const execution = await executionOf(h, executionId);
  const token = execution.stages.flatMap((s) => s.actions).find((a) => a.token)?.token;
  if (token === undefined) throw new Error('no approval waiting');
  return token;
}

describe('an execution', () => {
  it('starts on CreatePipeline with its source action dispatched in the same transaction', async () => {
    const execution = await created();
    expect(execution.trigger).toEqual({
      triggerType: 'CreatePipeline',
      triggerDetail: h.caller.arn,
    });
    expect(execution.status).toBe('InProgress');
    expect(execution.stages.map((s) => s.stageName)).toEqual(['Source']);
    expect(execution.stages[0]?.actions[0]).toMatchObject({
      actionName: 'Source',
      status: 'InProgress',
    });
  });

  it('runs stage by stage, passing artifacts and resolving variables, to Succeeded', async () => {
    const { id } = await created();
    const first = await runReadyActions(h, sourceResult);
    expect(first.map((t) => t.actionName)).toEqual(['Source', 'Build']);
    const build = first[1]!;
    expect(build.configuration['EnvironmentVariables']).toBe(
      '[{"name":"COMMIT","value":"abc123","type":"PLAINTEXT"}]',
    );
    expect(build.inputArtifacts).toEqual([
      { name: 'SourceOutput', location: first[0]!.outputArtifacts[0]!.location },
    ]);
    expect(first[0]!.outputArtifacts[0]!.location.bucket).toBe('artifacts');

    // The approval (runOrder 1) waits; the deploy (runOrder 2) has not started.
    const waiting = await executionOf(h, id);
    expect(waiting.stages.at(-1)?.actions.map((a) => a.actionName)).toEqual(['Approve']);
    const token = await approvalToken(id);
    await h.service.putApprovalResult(h.scope, h.caller, {
      pipelineName: 'demo',
      stageName: 'Deploy',
      actionName: 'Approve',
      result: { status: 'Approved', summary: 'ship it' },
      token,
    });
    const deploy = await runReadyActions(h);
    expect(deploy.map((t) => t.actionName)).toEqual(['Deploy']);
    const done = await executionOf(h, id);
    expect(done.status).toBe('Succeeded');
    expect(done.namespaces).toEqual({
      SourceVariables: { CommitId: 'abc123', BranchName: 'main' },
      BuildVariables: { VERSION: '1.0' },
    });
    expect(done.sourceRevisions).toEqual([
      {
        actionName: 'Source',
        revisionId: 'abc123',
        revisionSummary: 'first',
        artifactName: 'SourceOutput',
      },
    ]);
    const approval = done.stages[2]?.actions.find((a) => a.actionName === 'Approve');
    expect(approval?.approval).toMatchObject({
      status: 'Approved',
      summary: 'ship it',
      approvedBy: h.caller.arn,
    });
  });

  it('fails the execution when an action fails, and nothing later starts', async () => {
    const { id } = await created();
    await runReadyActions(h, (task) =>
      task.actionName === 'Build'
        ? { status: 'Failed', summary: 'Build terminated with state: FAILED' }
        : sourceResult(task),
    );
    const failed = await executionOf(h, id);
    expect(failed.status).toBe('Failed');
    expect(failed.statusSummary).toBe('Build terminated with state: FAILED');
    expect(failed.stages.map((s) => [s.stageName, s.status])).toEqual([
      ['Source', 'Succeeded'],
      ['Build', 'Failed'],
    ]);
  });

  it('rejects a wrong approval token and a reused one with the right errors', async () => {
    const { id } = await created();
    await runReadyActions(h, sourceResult);
    const token = await approvalToken(id);
    const put = (t: string) =>
      h.service.putApprovalResult(h.scope, h.caller, {
        pipelineName: 'demo',
        stageName: 'Deploy',
        actionName: 'Approve',
        result: { status: 'Rejected', summary: 'no' },
        token: t,
      });
    await expectAppError(put('not-a-token'), AppErrorKind.InvalidInput, 'approval-token');
    await put(token);
    await expectAppError(put(token), AppErrorKind.Conflict, 'approval-completed');
    const rejected = await executionOf(h, id);
    expect(rejected.status).toBe('Failed');
    expect(rejected.statusSummary).toBe('no');
  });

  it('fails an approval nobody answers once its timeout passes', async () => {
    const { id } = await created();
    await runReadyActions(h, sourceResult);
    expect((await executionOf(h, id)).dueAt).toBe(h.clock.now() + 7 * 24 * 3600 * 1000);
    h.clock.advance(7 * 24 * 3600 * 1000);
    expect(await h.service.reconcileDue()).toBe(1);
    const expired = await executionOf(h, id);
    expect(expired.status).toBe('Failed');
    expect(expired.stages[2]?.actions[0]).toMatchObject({
      status: 'Failed',
      errorDetails: { code: 'ApprovalTimedOut' },
    });
  });

  it("fails an action whose variables cannot be resolved, with CodePipeline's message", async () => {
    const { id } = await created();
    await runReadyActions(h, () => ({ status: 'Succeeded' })); // no CommitId published
    const failed = await executionOf(h, id);
    expect(failed.status).toBe('Failed');
    expect(failed.stages[1]?.actions[0]?.errorDetails?.code).toBe('UnresolvedVariables');
  });

  it('refuses StartPipelineExecution on a missing pipeline', async () => {
    await expectAppError(
      h.service.startPipelineExecution(h.scope, h.caller, { name: 'nope' }),
      AppErrorKind.NotFound,
      'pipeline',
    );
  });

  it('replays a clientRequestToken instead of starting twice', async () => {
    await created();
    const start = () =>
      h.service.startPipelineExecution(h.scope, h.caller, {
        name: 'demo',
        clientRequestToken: 't-1',
      });
    const a = await start();
    const b = await start();
    expect(b.id).toBe(a.id);
  });

  it('stops and waits, or stops and abandons', async () => {
    const { id } = await created();
    await h.service.stopPipelineExecution(h.scope, h.caller, {
      pipelineName: 'demo',
      pipelineExecutionId: id,
      reason: 'wait',
    });
    expect((await executionOf(h, id)).status).toBe('Stopping');
    await expectAppError(
      h.service.stopPipelineExecution(h.scope, h.caller, {
        pipelineName: 'demo',
        pipelineExecutionId: id,
      }),
      AppErrorKind.Conflict,
      'duplicated-stop',
    );
    const ran = await runReadyActions(h, sourceResult);
    expect(ran.map((t) => t.actionName)).toEqual(['Source']);
    const stopped = await executionOf(h, id);
    expect(stopped.status).toBe('Stopped');
    expect(stopped.stages.map((s) => s.status)).toEqual(['Stopped']);

    const second = await h.service.startPipelineExecution(h.scope, h.caller, { name: 'demo' });
    await h.service.stopPipelineExecution(h.scope, h.caller, {
      pipelineName: 'demo',
      pipelineExecutionId: second.id,
      abandon: true,
    });
    const abandoned = await executionOf(h, second.id);
    expect(abandoned.status).toBe('Stopped');
    expect(abandoned.stages[0]?.actions[0]?.status).toBe('Abandoned');
    expect(await runReadyActions(h)).toEqual([]);
  });
});

describe('retries', () => {
  async function failedBuild(stageActions: 'one' | 'two') {
    const two = aPipelineDeclaration();
    const build = two.stages[1]!;
    const pipeline =
      stageActions === 'one'
        ? two
        : {
            ...two,
            stages: [
              two.stages[0]!,
              {
                ...build,
                actions: [
                  build.actions[0]!,
                  { ...build.actions[0]!, name: 'Test', outputArtifacts: [], namespace: undefined },
                ],
              },
              two.stages[2]!,
            ],
          };
    await h.service.createPipeline(h.scope, h.caller, { pipeline });
    const [execution] = (await h.service.listPipelineExecutions(h.scope, { pipelineName: 'demo' }))
      .executions;
    await runReadyActions(h, (task) =>
      task.actionName === 'Test' || (stageActions === 'one' && task.actionName === 'Build')
        ? { status: 'Failed', summary: 'red' }
        : sourceResult(task),
    );
    return execution!.id;
  }

  it('re-runs only the failed actions with FAILED_ACTIONS', async () => {
    const id = await failedBuild('two');
    await h.service.retryStageExecution(h.scope, h.caller, {
      pipelineName: 'demo',
      stageName: 'Build',
      pipelineExecutionId: id,
      retryMode: 'FAILED_ACTIONS',
    });
    const ran = await runReadyActions(h, sourceResult);
    expect(ran.map((t) => t.actionName)).toEqual(['Test']);
    const execution = await executionOf(h, id);
    expect(execution.stages[1]).toMatchObject({
      status: 'Succeeded',
      attempt: 2,
      retry: { manualStageRetryAttempt: 1, latestRetryTrigger: 'ManualStageRetry' },
    });
  });

  it('re-runs every action with ALL_ACTIONS', async () => {
    const id = await failedBuild('two');
    await h.service.retryStageExecution(h.scope, h.caller, {
      pipelineName: 'demo',
      stageName: 'Build',
      pipelineExecutionId: id,
      retryMode: 'ALL_ACTIONS',
    });
    const ran = await runReadyActions(h, sourceResult);
    expect(ran.map((t) => t.actionName).sort()).toEqual(['Build', 'Test']);
  });

  it('refuses to retry a stage that did not fail', async () => {
    const id = await failedBuild('one');
    await expectAppError(
      h.service.retryStageExecution(h.scope, h.caller, {
        pipelineName: 'demo',
        stageName: 'Source',
        pipelineExecutionId: id,
        retryMode: 'FAILED_ACTIONS',
      }),
      AppErrorKind.Conflict,
      'stage-not-retryable',
    );
  });
});
