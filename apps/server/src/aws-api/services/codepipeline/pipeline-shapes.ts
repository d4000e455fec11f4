import type { ActionTypeInfo, Pipeline, Tag } from '@slipway/core';

/**
 * Pipelines, tags and action types in CodePipeline's wire shapes (botocore codepipeline
 * 2015-07-09): timestamps in epoch seconds, optional members left undefined so they are
 * omitted, Slipway's own bookkeeping (scope, store versions) left out.
 */

export const seconds = (ms: number): number => ms / 1000;
export const optionalSeconds = (ms: number | undefined): number | undefined =>
  ms === undefined ? undefined : ms / 1000;

/** The declaration as GetPipeline echoes it, `version` being the stored one. */
export function declarationShape(pipeline: Pipeline) {
  return { ...pipeline.declaration, version: pipeline.version };
}

/** GetPipeline `metadata`; `pollingDisabledAt` only concerns AWS's V1 polling, never set. */
export function pipelineMetadataShape(pipeline: Pipeline) {
  return {
    pipelineArn: pipeline.arn,
    created: seconds(pipeline.created),
    updated: seconds(pipeline.updated),
  };
}

export function pipelineSummaryShape(pipeline: Pipeline) {
  return {
    name: pipeline.name,
    version: pipeline.version,
    pipelineType: pipeline.declaration.pipelineType,
    executionMode: pipeline.declaration.executionMode,
    created: seconds(pipeline.created),
    updated: seconds(pipeline.updated),
  };
}

export function tagShape(tag: Tag) {
  return { key: tag.key, value: tag.value };
}

const artifactDetails = (range: { min: number; max: number }) => ({
  minimumCount: range.min,
  maximumCount: range.max,
});

/** ListActionTypes `ActionType`: required keys are the action's keys, none is secret. */
export function actionTypeShape(info: ActionTypeInfo) {
  return {
    id: { ...info.id },
    actionConfigurationProperties: [
      ...info.requiredKeys.map((name) => ({ name, required: true, key: true, secret: false })),
      ...info.optionalKeys.map((name) => ({ name, required: false, key: false, secret: false })),
    ],
    inputArtifactDetails: artifactDetails(info.inputArtifacts),
    outputArtifactDetails: artifactDetails(info.outputArtifacts),
  };
}

/**
 * GetActionType `ActionTypeDeclaration`. Its `executor` is required by the model: Slipway's
 * built-in actions are run by its own workers, which is what `JobWorker` means.
 */
export function actionTypeDeclarationShape(info: ActionTypeInfo) {
  return {
    executor: { type: 'JobWorker', configuration: { jobWorkerExecutorConfiguration: {} } },
    id: { ...info.id },
    inputArtifactDetails: artifactDetails(info.inputArtifacts),
    outputArtifactDetails: artifactDetails(info.outputArtifacts),
    properties: [
      ...info.requiredKeys.map((name) => ({ name, optional: false, key: true, noEcho: false })),
      ...info.optionalKeys.map((name) => ({ name, optional: true, key: false, noEcho: false })),
    ],
  };
}
