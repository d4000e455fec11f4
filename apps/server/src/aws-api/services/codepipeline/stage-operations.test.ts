import {
  AppErrorKind,
  pipelinesError,
  PipelinesSubject,
  stageNotFound,
  type PipelinesService,
} from '@slipway/core';
import { describe, expect, it, vi } from 'vitest';
import {
  anExecution,
  approvalToken,
  executionId,
  otherExecutionId,
} from './codepipeline-builders.ts';
import { caller, codepipelineHarness, scope, stubPipelines } from './codepipeline-harness.ts';

const approval = {
  pipelineName: 'app',
  stageName: 'Approve',
  actionName: 'Approve',
  result: { summary: 'Looks good', status: 'Approved' },
  token: approvalToken,
};

describe('CodePipeline door: PutApprovalResult', () => {
  it('records the result as the caller and answers approvedAt in epoch seconds', async () => {
    const putApprovalResult = vi
      .fn<PipelinesService['putApprovalResult']>()
      .mockResolvedValue(Date.UTC(2026, 0, 1, 12, 0, 0, 500));
    const door = codepipelineHarness(stubPipelines({ putApprovalResult }));
    expect(await door.call('PutApprovalResult', approval)).toEqual({ approvedAt: 1767268800.5 });
    expect(putApprovalResult).toHaveBeenCalledWith(scope, caller, approval);
  });

  it.each([
    [AppErrorKind.InvalidInput, PipelinesSubject.ApprovalToken, 'InvalidApprovalTokenException'],
    [
      AppErrorKind.Conflict,
      PipelinesSubject.ApprovalCompleted,
      'ApprovalAlreadyCompletedException',
    ],
    [AppErrorKind.NotFound, PipelinesSubject.Action, 'ActionNotFoundException'],
    [AppErrorKind.NotFound, PipelinesSubject.Stage, 'StageNotFoundException'],
  ] as const)('answers %s × %s as %s', async (kind, subject, code) => {
    const putApprovalResult = vi
      .fn<PipelinesService['putApprovalResult']>()
      .mockRejectedValue(pipelinesError(kind, subject, 'refused'));
    const door = codepipelineHarness(stubPipelines({ putApprovalResult }));
    expect(await door.send('PutApprovalResult', approval)).toMatchObject({
      status: 400,
      errorType: code,
      body: { __type: code, message: 'refused' },
    });
  });

  it('refuses a result without a status and a summary over 512 characters', async () => {
    const door = codepipelineHarness(stubPipelines({}));
    const response = await door.send('PutApprovalResult', {
      ...approval,
      result: { summary: 's'.repeat(513) },
    });
    expect(response.body.message).toMatch(/^2 validation errors detected: /);
    expect(response.body.message).toContain(
      "Value null at 'result.status' failed to satisfy constraint: Member must not be null",
    );
  });
});

describe('CodePipeline door: RetryStageExecution, RollbackStage', () => {
  it('retries in the mode asked, answering the execution id', async () => {
    const retryStageExecution = vi
      .fn<PipelinesService['retryStageExecution']>()
      .mockResolvedValue(anExecution());
    const door = codepipelineHarness(stubPipelines({ retryStageExecution }));
    const request = {
      pipelineName: 'app',
      stageName: 'Build',
      pipelineExecutionId: executionId,
      retryMode: 'FAILED_ACTIONS',
    };
    expect(await door.call('RetryStageExecution', request)).toEqual({
      pipelineExecutionId: executionId,
    });
    expect(retryStageExecution).toHaveBeenCalledWith(scope, caller, request);
  });

  it.each([
    [PipelinesSubject.StageNotRetryable, 'StageNotRetryableException'],
    [PipelinesSubject.NotLatestExecution, 'NotLatestPipelineExecutionException'],
  ] as const)('answers a %s conflict as %s', async (subject, code) => {
    const retryStageExecution = vi
      .fn<PipelinesService['retryStageExecution']>()
      .mockRejectedValue(pipelinesError(AppErrorKind.Conflict, subject, 'no'));
    const door = codepipelineHarness(stubPipelines({ retryStageExecution }));
    const response = await door.send('RetryStageExecution', {
      pipelineName: 'app',
      stageName: 'Build',
      pipelineExecutionId: executionId,
      retryMode: 'ALL_ACTIONS',
    });
    expect([response.status, response.errorType]).toEqual([400, code]);
  });

  it('refuses a retry mode outside the enum', async () => {
    const door = codepipelineHarness(stubPipelines({}));
    const response = await door.send('RetryStageExecution', {
      pipelineName: 'app',
      stageName: 'Build',
      pipelineExecutionId: executionId,
      retryMode: 'SOME_ACTIONS',
    });
    expect(response.body.message).toBe(
      "1 validation error detected: Value 'SOME_ACTIONS' at 'retryMode' failed to satisfy constraint: " +
        'Member must satisfy enum value set: [FAILED_ACTIONS, ALL_ACTIONS]',
    );
  });

  it('answers the new ROLLBACK execution id', async () => {
    const rollbackStage = vi
      .fn<PipelinesService['rollbackStage']>()
      .mockResolvedValue(anExecution({ id: otherExecutionId, executionType: 'ROLLBACK' }));
    const door = codepipelineHarness(stubPipelines({ rollbackStage }));
    const request = {
      pipelineName: 'app',
      stageName: 'Deploy',
      targetPipelineExecutionId: executionId,
    };
    expect(await door.call('RollbackStage', request)).toEqual({
      pipelineExecutionId: otherExecutionId,
    });
    expect(rollbackStage).toHaveBeenCalledWith(scope, caller, request);
  });

  it.each([
    [PipelinesSubject.ExecutionOutdated, 'PipelineExecutionOutdatedException'],
    [PipelinesSubject.UnableToRollback, 'UnableToRollbackStageException'],
  ] as const)('answers a %s conflict as %s', async (subject, code) => {
    const rollbackStage = vi
      .fn<PipelinesService['rollbackStage']>()
      .mockRejectedValue(pipelinesError(AppErrorKind.Conflict, subject, 'no'));
    const door = codepipelineHarness(stubPipelines({ rollbackStage }));
    const response = await door.send('RollbackStage', {
      pipelineName: 'app',
      stageName: 'Deploy',
      targetPipelineExecutionId: executionId,
    });
    expect([response.status, response.errorType]).toEqual([400, code]);
  });
});

describe('CodePipeline door: Enable/DisableStageTransition', () => {
  it('disables with the reason given and enables again, answering empty objects', async () => {
    const disableStageTransition = vi
      .fn<PipelinesService['disableStageTransition']>()
      .mockResolvedValue();
    const enableStageTransition = vi
      .fn<PipelinesService['enableStageTransition']>()
      .mockResolvedValue();
    const door = codepipelineHarness(
      stubPipelines({ disableStageTransition, enableStageTransition }),
    );
    const transition = { pipelineName: 'app', stageName: 'Deploy', transitionType: 'Inbound' };
    expect(
      await door.call('DisableStageTransition', { ...transition, reason: 'Release freeze (Q4)' }),
    ).toEqual({});
    expect(await door.call('EnableStageTransition', transition)).toEqual({});
    expect(disableStageTransition).toHaveBeenCalledWith(scope, caller, {
      ...transition,
      reason: 'Release freeze (Q4)',
    });
    expect(enableStageTransition).toHaveBeenCalledWith(scope, caller, transition);
  });

  it('requires a reason to disable, in the characters the model allows', async () => {
    const door = codepipelineHarness(stubPipelines({}));
    const transition = { pipelineName: 'app', stageName: 'Deploy', transitionType: 'Inbound' };
    const missing = await door.send('DisableStageTransition', transition);
    const badChars = await door.send('DisableStageTransition', {
      ...transition,
      reason: 'no; way',
    });
    expect(missing.body.message).toBe(
      "1 validation error detected: Value null at 'reason' failed to satisfy constraint: Member must not be null",
    );
    expect(badChars.body.message).toContain("Value 'no; way' at 'reason'");
  });

  it('answers an unknown stage with StageNotFoundException', async () => {
    const enableStageTransition = vi
      .fn<PipelinesService['enableStageTransition']>()
      .mockRejectedValue(stageNotFound('app', 'Nope'));
    const door = codepipelineHarness(stubPipelines({ enableStageTransition }));
    const response = await door.send('EnableStageTransition', {
      pipelineName: 'app',
      stageName: 'Nope',
      transitionType: 'Outbound',
    });
    expect(response).toMatchObject({
      status: 400,
      errorType: 'StageNotFoundException',
      body: { message: "Stage 'Nope' does not exist in pipeline 'app'" },
    });
  });
});
