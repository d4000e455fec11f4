import type {
  ActionRun,
  ActionState,
  PipelineState,
  StageExecutionRef,
  StageState,
  TransitionState,
} from '@slipway/core';
import { optionalSeconds, seconds } from './pipeline-shapes.ts';

/** GetPipelineState's output (reference/aws-compat.md §3.10). */
export function pipelineStateShape(state: PipelineState) {
  return {
    pipelineName: state.pipelineName,
    pipelineVersion: state.pipelineVersion,
    stageStates: state.stageStates.map(stageStateShape),
    created: seconds(state.created),
    updated: seconds(state.updated),
  };
}

function stageStateShape(stage: StageState) {
  return {
    stageName: stage.stageName,
    inboundExecution: stage.inboundExecution && stageExecutionShape(stage.inboundExecution),
    inboundExecutions: stage.inboundExecutions?.map(stageExecutionShape),
    inboundTransitionState: transitionStateShape(stage.inboundTransitionState),
    actionStates: stage.actionStates.map(actionStateShape),
    latestExecution: stage.latestExecution && stageExecutionShape(stage.latestExecution),
    retryStageMetadata: stage.retryStageMetadata && {
      autoStageRetryAttempt: stage.retryStageMetadata.autoStageRetryAttempt,
      manualStageRetryAttempt: stage.retryStageMetadata.manualStageRetryAttempt,
      latestRetryTrigger: stage.retryStageMetadata.latestRetryTrigger,
    },
  };
}

function stageExecutionShape(execution: StageExecutionRef) {
  return {
    pipelineExecutionId: execution.pipelineExecutionId,
    status: execution.status,
    type: execution.type,
  };
}

function transitionStateShape(transition: TransitionState) {
  return {
    enabled: transition.enabled,
    lastChangedBy: transition.lastChangedBy,
    lastChangedAt: optionalSeconds(transition.lastChangedAt),
    disabledReason: transition.disabledReason,
  };
}

function actionStateShape(action: ActionState) {
  return {
    actionName: action.actionName,
    currentRevision: action.currentRevision && {
      revisionId: action.currentRevision.revisionId,
      revisionChangeId: action.currentRevision.revisionChangeId,
      created: seconds(action.currentRevision.created),
    },
    latestExecution: action.latestExecution && actionExecutionShape(action.latestExecution),
    entityUrl: action.entityUrl,
  };
}

/** `ActionExecution`: the latest attempt of an action as the console shows it. */
function actionExecutionShape(run: ActionRun) {
  return {
    actionExecutionId: run.actionExecutionId,
    status: run.status,
    summary: run.summary ?? run.approval?.summary,
    lastStatusChange: seconds(run.lastUpdateTime),
    token: run.token,
    lastUpdatedBy: run.approval?.approvedBy,
    externalExecutionId: run.external?.externalExecutionId,
    externalExecutionUrl: run.external?.externalExecutionUrl,
    errorDetails: run.errorDetails && {
      code: run.errorDetails.code,
      message: run.errorDetails.message,
    },
  };
}
