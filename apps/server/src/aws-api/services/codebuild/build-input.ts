import type { StartBuildInput } from '@slipway/core';
import { invalidInputCode } from './codebuild-context.ts';
import {
  readArtifacts,
  readCache,
  readLogsConfig,
  readSource,
  readSourceVersions,
  readVariables,
} from './project-input.ts';
import { ShapeReader } from './shape-reader.ts';

/**
 * StartBuild's request. `reportBuildStatusOverride` and `buildStatusConfigOverride` only concern
 * the source providers Slipway refuses (GitHub, Bitbucket, GitLab), so they are read and have
 * no effect; the overrides for features Slipway lacks are refused.
 */
export function readStartBuild(raw: unknown, initiator: string): StartBuildInput {
  const input = ShapeReader.of(raw, invalidInputCode);
  for (const name of [
    'sourceAuthOverride',
    'registryCredentialOverride',
    'fleetOverride',
  ] as const) {
    input.refuse(name, 'structure');
  }
  input.refuse('debugSessionEnabled', 'boolean', false);
  input.refuse('autoRetryLimitOverride', 'integer', 0);
  input.boolean('reportBuildStatusOverride');
  input.structure('buildStatusConfigOverride');
  const submodules = input.structure('gitSubmodulesConfigOverride');
  const artifacts = input.structure('artifactsOverride');
  const cache = input.structure('cacheOverride');
  const logsConfig = input.structure('logsConfigOverride');
  const build: StartBuildInput = {
    projectName: input.requiredString('projectName'),
    initiator,
    sourceVersion: input.string('sourceVersion'),
    sourceTypeOverride: input.string('sourceTypeOverride'),
    sourceLocationOverride: input.string('sourceLocationOverride'),
    gitCloneDepthOverride: input.integer('gitCloneDepthOverride'),
    gitSubmodulesConfigOverride: submodules && {
      fetchSubmodules: submodules.requiredBoolean('fetchSubmodules'),
    },
    insecureSslOverride: input.boolean('insecureSslOverride'),
    buildspecOverride: input.string('buildspecOverride'),
    secondarySourcesOverride: input.structures('secondarySourcesOverride')?.map(readSource),
    secondarySourcesVersionOverride: readSourceVersions(input, 'secondarySourcesVersionOverride'),
    artifactsOverride: artifacts && readArtifacts(artifacts),
    secondaryArtifactsOverride: input.structures('secondaryArtifactsOverride')?.map(readArtifacts),
    environmentVariablesOverride: readVariables(input, 'environmentVariablesOverride'),
    environmentTypeOverride: input.string('environmentTypeOverride'),
    imageOverride: input.string('imageOverride'),
    computeTypeOverride: input.string('computeTypeOverride'),
    privilegedModeOverride: input.boolean('privilegedModeOverride'),
    certificateOverride: input.string('certificateOverride'),
    imagePullCredentialsTypeOverride: input.string('imagePullCredentialsTypeOverride'),
    cacheOverride: cache && readCache(cache),
    serviceRoleOverride: input.string('serviceRoleOverride'),
    timeoutInMinutesOverride: input.integer('timeoutInMinutesOverride'),
    queuedTimeoutInMinutesOverride: input.integer('queuedTimeoutInMinutesOverride'),
    encryptionKeyOverride: input.string('encryptionKeyOverride'),
    logsConfigOverride: logsConfig && readLogsConfig(logsConfig),
    idempotencyToken: input.string('idempotencyToken'),
  };
  input.problems.throwIfAny();
  return build;
}
