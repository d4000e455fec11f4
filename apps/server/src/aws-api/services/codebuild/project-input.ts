import type {
  EnvironmentVariableInput,
  LogsConfigInput,
  ProjectArtifactsInput,
  ProjectCacheInput,
  ProjectEnvironmentInput,
  ProjectInput,
  ProjectSourceInput,
  ProjectSourceVersion,
  ProjectUpdate,
  Tag,
} from '@slipway/core';
import { invalidInputCode } from './codebuild-context.ts';
import { ShapeReader } from './shape-reader.ts';

/**
 * CodeBuild's project structures as the core takes them: types checked here, values (enums,
 * ranges, cross-field rules) by the core, which reports every problem with its path. Members
 * for features Slipway lacks (VPCs, fleets, file systems, batch builds, source credentials,
 * private registries) are refused rather than ignored.
 */
export function readCreateProject(raw: unknown): ProjectInput {
  const input = ShapeReader.of(raw, invalidInputCode);
  const name = input.requiredString('name');
  const source = input.requiredStructure('source');
  const artifacts = input.requiredStructure('artifacts');
  const environment = input.requiredStructure('environment');
  const serviceRole = input.requiredString('serviceRole');
  const project: ProjectInput = {
    ...readProjectFields(input),
    name,
    source: source === undefined ? missingSource : readSource(source),
    artifacts: artifacts === undefined ? missingArtifacts : readArtifacts(artifacts),
    environment: environment === undefined ? missingEnvironment : readEnvironment(environment),
    serviceRole,
  };
  input.problems.throwIfAny();
  return project;
}

/** UpdateProject: only the members given change. */
export function readUpdateProject(raw: unknown): ProjectUpdate {
  const input = ShapeReader.of(raw, invalidInputCode);
  const name = input.requiredString('name');
  const source = input.structure('source');
  const artifacts = input.structure('artifacts');
  const environment = input.structure('environment');
  const update: ProjectUpdate = {
    ...readProjectFields(input),
    name,
    source: source && readSource(source),
    artifacts: artifacts && readArtifacts(artifacts),
    environment: environment && readEnvironment(environment),
    serviceRole: input.string('serviceRole'),
  };
  input.problems.throwIfAny();
  return update;
}

/** The members CreateProject and UpdateProject share, all optional. */
function readProjectFields(input: ShapeReader) {
  for (const name of ['vpcConfig', 'buildBatchConfig'] as const) input.refuse(name, 'structure');
  input.refuse('fileSystemLocations', 'list');
  input.refuse('autoRetryLimit', 'integer', 0);
  const cache = input.structure('cache');
  const logsConfig = input.structure('logsConfig');
  return {
    description: input.string('description'),
    secondarySources: input.structures('secondarySources')?.map(readSource),
    sourceVersion: input.string('sourceVersion'),
    secondarySourceVersions: readSourceVersions(input, 'secondarySourceVersions'),
    secondaryArtifacts: input.structures('secondaryArtifacts')?.map(readArtifacts),
    cache: cache && readCache(cache),
    timeoutInMinutes: input.integer('timeoutInMinutes'),
    queuedTimeoutInMinutes: input.integer('queuedTimeoutInMinutes'),
    encryptionKey: input.string('encryptionKey'),
    tags: readTags(input, 'tags'),
    badgeEnabled: input.boolean('badgeEnabled'),
    logsConfig: logsConfig && readLogsConfig(logsConfig),
    concurrentBuildLimit: input.integer('concurrentBuildLimit'),
  };
}

// Placeholders for a missing required structure: the missing member is already recorded and
// raised before the core ever sees them.
const missingSource: ProjectSourceInput = { type: '' };
const missingArtifacts: ProjectArtifactsInput = { type: '' };
const missingEnvironment: ProjectEnvironmentInput = { type: '', image: '', computeType: '' };

export function readSource(input: ShapeReader): ProjectSourceInput {
  input.refuse('auth', 'structure');
  input.refuse('buildStatusConfig', 'structure');
  const submodules = input.structure('gitSubmodulesConfig');
  return {
    type: input.requiredString('type'),
    location: input.string('location'),
    gitCloneDepth: input.integer('gitCloneDepth'),
    gitSubmodulesConfig: submodules && {
      fetchSubmodules: submodules.requiredBoolean('fetchSubmodules'),
    },
    buildspec: input.string('buildspec'),
    reportBuildStatus: input.boolean('reportBuildStatus'),
    insecureSsl: input.boolean('insecureSsl'),
    sourceIdentifier: input.string('sourceIdentifier'),
  };
}

export function readArtifacts(input: ShapeReader): ProjectArtifactsInput {
  input.refuse('bucketOwnerAccess', 'string', 'NONE');
  return {
    type: input.requiredString('type'),
    location: input.string('location'),
    path: input.string('path'),
    namespaceType: input.string('namespaceType'),
    name: input.string('name'),
    packaging: input.string('packaging'),
    overrideArtifactName: input.boolean('overrideArtifactName'),
    encryptionDisabled: input.boolean('encryptionDisabled'),
    artifactIdentifier: input.string('artifactIdentifier'),
  };
}

export function readCache(input: ShapeReader): ProjectCacheInput {
  input.refuse('cacheNamespace', 'string');
  return {
    type: input.requiredString('type'),
    location: input.string('location'),
    modes: input.stringList('modes'),
  };
}

function readEnvironment(input: ShapeReader): ProjectEnvironmentInput {
  for (const name of ['computeConfiguration', 'fleet', 'registryCredential', 'dockerServer']) {
    input.refuse(name, 'structure');
  }
  return {
    type: input.requiredString('type'),
    image: input.requiredString('image'),
    computeType: input.requiredString('computeType'),
    environmentVariables: readVariables(input, 'environmentVariables'),
    privilegedMode: input.boolean('privilegedMode'),
    certificate: input.string('certificate'),
    imagePullCredentialsType: input.string('imagePullCredentialsType'),
  };
}

export function readVariables(
  input: ShapeReader,
  name: string,
): EnvironmentVariableInput[] | undefined {
  return input.structures(name)?.map((v) => {
    const value = v.string('value');
    if (value === undefined) v.problems.missing(v.at('value'));
    return { name: v.requiredString('name'), value: value ?? '', type: v.string('type') };
  });
}

export function readLogsConfig(input: ShapeReader): LogsConfigInput {
  const cloudWatch = input.structure('cloudWatchLogs');
  const s3 = input.structure('s3Logs');
  return {
    cloudWatchLogs: cloudWatch && {
      status: cloudWatch.requiredString('status'),
      groupName: cloudWatch.string('groupName'),
      streamName: cloudWatch.string('streamName'),
    },
    s3Logs: s3 && {
      status: s3.requiredString('status'),
      location: s3.string('location'),
    },
  };
}

export function readSourceVersions(
  input: ShapeReader,
  name: string,
): ProjectSourceVersion[] | undefined {
  return input.structures(name)?.map((v) => ({
    sourceIdentifier: v.requiredString('sourceIdentifier'),
    sourceVersion: v.requiredString('sourceVersion'),
  }));
}

export function readTags(input: ShapeReader, name: string): Tag[] | undefined {
  return input.structures(name)?.map((t) => ({
    key: t.string('key') ?? '',
    value: t.string('value') ?? '',
  }));
}
