import type {
  ActionExecutionDetail,
  ActionRun,
  PipelineExecution,
  ProducedArtifact,
  SourceRevision,
} from '@slipway/core';
import { optionalSeconds, seconds } from './pipeline-shapes.ts';

/**
 * Executions and action attempts in CodePipeline's wire shapes: GetPipelineExecution's
 * `PipelineExecution`, ListPipelineExecutions' `PipelineExecutionSummary` and
 * ListActionExecutions' `ActionExecutionDetail`.
 */

export function pipelineExecutionShape(execution: PipelineExecution) {
  const variables = Object.entries(execution.variables).map(([name, resolvedValue]) => ({
    name,
    resolvedValue,
  }));
  return {
    pipelineName: execution.pipelineName,
    pipelineVersion: execution.pipelineVersion,
    pipelineExecutionId: execution.id,
    status: execution.status,
    statusSummary: execution.statusSummary,
    artifactRevisions: execution.sourceRevisions.map(artifactRevisionShape),
    variables: variables.length > 0 ? variables : undefined,
    trigger: triggerShape(execution),
    executionMode: execution.executionMode,
    executionType: execution.executionType,
    rollbackMetadata: rollbackMetadataShape(execution),
  };
}

export function executionSummaryShape(execution: PipelineExecution) {
  return {
    pipelineExecutionId: execution.id,
    status: execution.status,
    statusSummary: execution.statusSummary,
    startTime: seconds(execution.startTime),
    lastUpdateTime: seconds(execution.lastUpdateTime),
    sourceRevisions: execution.sourceRevisions.map(sourceRevisionShape),
    trigger: triggerShape(execution),
    stopTrigger:
      execution.stopRequest === undefined ? undefined : { reason: execution.stopRequest.reason },
    executionMode: execution.executionMode,
    executionType: execution.executionType,
    rollbackMetadata: rollbackMetadataShape(execution),
  };
}

/** One action attempt: its declared and resolved configuration, artifacts and result. */
export function actionExecutionDetailShape(detail: ActionExecutionDetail) {
  const action = detail.action;
  return {
    pipelineExecutionId: detail.pipelineExecutionId,
    actionExecutionId: action.actionExecutionId,
    pipelineVersion: detail.pipelineVersion,
    stageName: action.stageName,
    actionName: action.actionName,
    startTime: seconds(action.startTime),
    lastUpdateTime: seconds(action.lastUpdateTime),
    updatedBy: action.approval?.approvedBy,
    status: action.status,
    input: {
      actionTypeId: { ...action.actionTypeId },
      configuration: { ...(action.configuration ?? action.resolvedConfiguration) },
      resolvedConfiguration: { ...action.resolvedConfiguration },
      roleArn: action.roleArn,
      region: action.region,
      inputArtifacts: action.inputArtifacts.map(artifactDetailShape),
      namespace: action.namespace,
    },
    output: {
      outputArtifacts: action.outputArtifacts.map(artifactDetailShape),
      executionResult: executionResultShape(action),
      outputVariables:
        Object.keys(action.outputVariables).length > 0 ? { ...action.outputVariables } : undefined,
    },
  };
}

/**
 * What the action reported. A manual approval's token is its external execution id in AWS
 * (PARALLEL pipelines show it nowhere else), and its summary the approver's.
 */
function executionResultShape(action: ActionRun) {
  const result = {
    externalExecutionId: action.external?.externalExecutionId ?? action.token,
    externalExecutionSummary:
      action.external?.externalExecutionSummary ?? action.approval?.summary ?? action.summary,
    externalExecutionUrl: action.external?.externalExecutionUrl,
    errorDetails: action.errorDetails && {
      code: action.errorDetails.code,
      message: action.errorDetails.message,
    },
  };
  return Object.values(result).some((v) => v !== undefined) ? result : undefined;
}

function artifactDetailShape(artifact: ProducedArtifact) {
  return {
    name: artifact.name,
    s3location: { bucket: artifact.location.bucket, key: artifact.location.key },
  };
}

function artifactRevisionShape(revision: SourceRevision) {
  return {
    name: revision.artifactName,
    revisionId: revision.revisionId,
    revisionSummary: revision.revisionSummary,
    created: optionalSeconds(revision.created),
    revisionUrl: revision.revisionUrl,
  };
}

function sourceRevisionShape(revision: SourceRevision) {
  return {
    actionName: revision.actionName,
    revisionId: revision.revisionId,
    revisionSummary: revision.revisionSummary,
    revisionUrl: revision.revisionUrl,
  };
}

function triggerShape(execution: PipelineExecution) {
  return {
    triggerType: execution.trigger.triggerType,
    triggerDetail: execution.trigger.triggerDetail,
  };
}

function rollbackMetadataShape(execution: PipelineExecution) {
  return execution.rollbackTargetExecutionId === undefined
    ? undefined
    : { rollbackTargetPipelineExecutionId: execution.rollbackTargetExecutionId };
}
