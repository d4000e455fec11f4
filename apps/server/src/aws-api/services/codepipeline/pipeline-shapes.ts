import type { ActionTypeInfo, CustomActionType, Pipeline, Tag } from '@slipway/core';

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

/**
 * ListActionTypes `ActionType`. A custom type answers what CreateCustomActionType declared; a
 * built-in one its keys: required keys are the action's keys, none is secret.
 */
export function actionTypeShape(info: ActionTypeInfo) {
  if (info.custom !== undefined) {
    return {
      id: { ...info.id },
      settings: emptyToUndefined(info.custom.settings),
      actionConfigurationProperties: info.custom.configurationProperties.map((p) => ({ ...p })),
      inputArtifactDetails: artifactDetails(info.inputArtifacts),
      outputArtifactDetails: artifactDetails(info.outputArtifacts),
    };
  }
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

function emptyToUndefined<T extends object>(value: T): T | undefined {
  return Object.keys(value).length === 0 ? undefined : { ...value };
}

/** CreateCustomActionType's answer: the type as ListActionTypes lists it, and its tags. */
export function createdCustomActionTypeShape(type: CustomActionType) {
  return {
    actionType: actionTypeShape({
      id: {
        category: type.category,
        owner: 'Custom',
        provider: type.provider,
        version: type.version,
      },
      requiredKeys: [],
      optionalKeys: [],
      inputArtifacts: type.inputArtifacts,
      outputArtifacts: type.outputArtifacts,
      custom: { settings: type.settings, configurationProperties: type.configurationProperties },
    }),
    tags: type.tags.length === 0 ? undefined : type.tags.map(tagShape),
  };
}
