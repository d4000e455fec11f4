import { reservedVariablePrefix, variableTypes } from '@slipway/buildspec';
import {
  artifactNamespaces,
  artifactPackagings,
  artifactsTypes,
  cacheModes,
  cacheTypes,
  computeTypes,
  environmentTypes,
  imagePullCredentialsTypes,
  logsConfigStatuses,
  sandboxNetworks,
  sandboxNetworkTag,
  sourceTypes,
  supportedEnvironmentTypes,
  supportedSourceTypes,
  type EnvironmentVariable,
  type LogsConfig,
  type ProjectArtifacts,
  type ProjectCache,
  type ProjectEnvironment,
  type ProjectSource,
  type ProjectSourceVersion,
  type Tag,
} from './project.model.ts';
import { logGroupNamePattern, logStreamNamePattern } from './log.model.ts';
import { controlCharacters, isOneOf, type Problems } from './problems.ts';

/**
 * The project's parts as a door hands them over: enums are still plain strings, and anything
 * the client left out is undefined. Each normalizer checks one part against CodeBuild's rules
 * (botocore codebuild 2016-10-06 plus the documented cross-field rules), records every problem
 * with its path, and returns the part with CodeBuild's defaults filled in.
 */
export interface ProjectSourceInput {
  readonly type: string;
  readonly location?: string | undefined;
  readonly gitCloneDepth?: number | undefined;
  readonly gitSubmodulesConfig?: { readonly fetchSubmodules: boolean } | undefined;
  readonly buildspec?: string | undefined;
  readonly reportBuildStatus?: boolean | undefined;
  readonly insecureSsl?: boolean | undefined;
  readonly sourceIdentifier?: string | undefined;
}

export interface ProjectArtifactsInput {
  readonly type: string;
  readonly location?: string | undefined;
  readonly path?: string | undefined;
  readonly namespaceType?: string | undefined;
  readonly name?: string | undefined;
  readonly packaging?: string | undefined;
  readonly overrideArtifactName?: boolean | undefined;
  readonly encryptionDisabled?: boolean | undefined;
  readonly artifactIdentifier?: string | undefined;
}

export interface ProjectCacheInput {
  readonly type: string;
  readonly location?: string | undefined;
  readonly modes?: readonly string[] | undefined;
}

export interface EnvironmentVariableInput {
  readonly name: string;
  readonly value: string;
  readonly type?: string | undefined;
}

export interface ProjectEnvironmentInput {
  readonly type: string;
  readonly image: string;
  readonly computeType: string;
  readonly environmentVariables?: readonly EnvironmentVariableInput[] | undefined;
  readonly privilegedMode?: boolean | undefined;
  readonly certificate?: string | undefined;
  readonly imagePullCredentialsType?: string | undefined;
}

export interface LogsConfigInput {
  readonly cloudWatchLogs?:
    | {
        readonly status: string;
        readonly groupName?: string | undefined;
        readonly streamName?: string | undefined;
      }
    | undefined;
  readonly s3Logs?: { readonly status: string; readonly location?: string | undefined } | undefined;
}

/** CodeBuild allows 12 secondary sources and 12 secondary artifacts. */
export const maxSecondaryItems = 12;
const maxTags = 50;
/** Inline buildspecs and the like; CodeBuild documents no figure, this keeps rows sane. */
const maxBuildspecLength = 256 * 1024;
const maxLocationLength = 2048;
const identifierPattern = /^[A-Za-z0-9_]{1,128}$/;
const tagPattern = /^[\p{L}\p{Z}\p{N}_.:/=@+-]*$/u;

export function normalizeSource(
  problems: Problems,
  path: string,
  input: ProjectSourceInput | undefined,
  options: { readonly secondary?: boolean } = {},
): ProjectSource | undefined {
  if (input === undefined) {
    problems.add(path, 'is required');
    return undefined;
  }
  const { type } = input;
  if (!isOneOf(sourceTypes, type)) {
    problems.add(`${path}.type`, `must be one of ${supportedSourceTypes.join(', ')}`);
    return undefined;
  }
  if (!isOneOf(supportedSourceTypes, type)) {
    problems.unsupported(`${path}.type`, `source type ${type} is not supported by Slipway`);
    return undefined;
  }
  checkLocation(problems, `${path}.location`, input.location);
  if ((type === 'CODECOMMIT' || type === 'S3') && !input.location) {
    problems.add(`${path}.location`, `is required for source type ${type}`);
  }
  if (type === 'S3' && input.location && !/^[^/]+\/.+/.test(input.location)) {
    problems.add(`${path}.location`, 'must be bucket/key of the source zip');
  }
  if (type === 'NO_SOURCE') {
    if (input.location) problems.add(`${path}.location`, 'must not be set for NO_SOURCE');
    if (!input.buildspec) problems.add(`${path}.buildspec`, 'is required for NO_SOURCE');
    if (options.secondary) problems.add(`${path}.type`, 'NO_SOURCE cannot be a secondary source');
  }
  const depth = input.gitCloneDepth;
  if (depth !== undefined && (!Number.isSafeInteger(depth) || depth < 0)) {
    problems.add(`${path}.gitCloneDepth`, 'must be a whole number, 0 for a full clone');
  }
  if (input.buildspec !== undefined && input.buildspec.length > maxBuildspecLength) {
    problems.add(`${path}.buildspec`, `must be at most ${maxBuildspecLength} characters`);
  }
  const identifier = input.sourceIdentifier;
  if (identifier !== undefined && !identifierPattern.test(identifier)) {
    problems.add(`${path}.sourceIdentifier`, 'must be 1 to 128 letters, digits and underscores');
  }
  if (options.secondary && identifier === undefined) {
    problems.add(`${path}.sourceIdentifier`, 'is required for a secondary source');
  }
  return {
    type,
    location: input.location || undefined,
    gitCloneDepth: depth,
    gitSubmodulesConfig: input.gitSubmodulesConfig,
    buildspec: input.buildspec || undefined,
    reportBuildStatus: input.reportBuildStatus,
    insecureSsl: input.insecureSsl ?? false,
    sourceIdentifier: identifier,
  };
}

export function normalizeSecondarySources(
  problems: Problems,
  path: string,
  inputs: readonly ProjectSourceInput[] | undefined,
): ProjectSource[] {
  const sources = listOf(problems, path, inputs).flatMap((input, i) => {
    const source = normalizeSource(problems, `${path}[${i}]`, input, { secondary: true });
    return source === undefined ? [] : [source];
  });
  checkUnique(
    problems,
    path,
    sources.map((s) => s.sourceIdentifier),
    'sourceIdentifier',
  );
  return sources;
}

export function normalizeSourceVersions(
  problems: Problems,
  path: string,
  inputs: readonly ProjectSourceVersion[] | undefined,
): ProjectSourceVersion[] {
  const versions = listOf(problems, path, inputs);
  versions.forEach((v, i) => {
    if (!v.sourceIdentifier) problems.add(`${path}[${i}].sourceIdentifier`, 'is required');
    if (!v.sourceVersion) problems.add(`${path}[${i}].sourceVersion`, 'is required');
  });
  checkUnique(
    problems,
    path,
    versions.map((v) => v.sourceIdentifier),
    'sourceIdentifier',
  );
  return versions.map((v) => ({
    sourceIdentifier: v.sourceIdentifier,
    sourceVersion: v.sourceVersion,
  }));
}

export function normalizeArtifacts(
  problems: Problems,
  path: string,
  input: ProjectArtifactsInput | undefined,
  options: { readonly secondary?: boolean } = {},
): ProjectArtifacts | undefined {
  if (input === undefined) {
    problems.add(path, 'is required');
    return undefined;
  }
  const { type } = input;
  if (!isOneOf(artifactsTypes, type)) {
    problems.add(`${path}.type`, `must be one of ${artifactsTypes.join(', ')}`);
    return undefined;
  }
  if (type === 'S3' && !input.location) problems.add(`${path}.location`, 'is required for S3');
  checkLocation(problems, `${path}.location`, input.location);
  if (input.namespaceType !== undefined && !isOneOf(artifactNamespaces, input.namespaceType)) {
    problems.add(`${path}.namespaceType`, `must be one of ${artifactNamespaces.join(', ')}`);
  }
  if (input.packaging !== undefined && !isOneOf(artifactPackagings, input.packaging)) {
    problems.add(`${path}.packaging`, `must be one of ${artifactPackagings.join(', ')}`);
  }
  for (const field of ['path', 'name'] as const) {
    const value = input[field];
    if (value !== undefined && (value.length > 1024 || controlCharacters.test(value))) {
      problems.add(`${path}.${field}`, 'must be at most 1024 characters, none of them control');
    }
  }
  const identifier = input.artifactIdentifier;
  if (identifier !== undefined && !identifierPattern.test(identifier)) {
    problems.add(`${path}.artifactIdentifier`, 'must be 1 to 128 letters, digits and underscores');
  }
  if (options.secondary && identifier === undefined) {
    problems.add(`${path}.artifactIdentifier`, 'is required for a secondary artifact');
  }
  const s3 = type === 'S3';
  return {
    type,
    location: input.location || undefined,
    path: s3 ? input.path : undefined,
    namespaceType: s3
      ? ((input.namespaceType as ProjectArtifacts['namespaceType']) ?? 'NONE')
      : undefined,
    name: s3 ? input.name : undefined,
    packaging: s3 ? ((input.packaging as ProjectArtifacts['packaging']) ?? 'NONE') : undefined,
    overrideArtifactName: input.overrideArtifactName ?? false,
    encryptionDisabled: input.encryptionDisabled ?? false,
    artifactIdentifier: identifier,
  };
}

export function normalizeSecondaryArtifacts(
  problems: Problems,
  path: string,
  inputs: readonly ProjectArtifactsInput[] | undefined,
): ProjectArtifacts[] {
  const artifacts = listOf(problems, path, inputs).flatMap((input, i) => {
    const artifact = normalizeArtifacts(problems, `${path}[${i}]`, input, { secondary: true });
    return artifact === undefined ? [] : [artifact];
  });
  checkUnique(
    problems,
    path,
    artifacts.map((a) => a.artifactIdentifier),
    'artifactIdentifier',
  );
  return artifacts;
}

export function normalizeCache(
  problems: Problems,
  path: string,
  input: ProjectCacheInput | undefined,
): ProjectCache {
  if (input === undefined) return { type: 'NO_CACHE' };
  if (input.type === 'S3') {
    problems.unsupported(`${path}.type`, 'an S3 cache is not supported by Slipway; use LOCAL');
    return { type: 'NO_CACHE' };
  }
  if (!isOneOf(cacheTypes, input.type)) {
    problems.add(`${path}.type`, `must be one of ${cacheTypes.join(', ')}`);
    return { type: 'NO_CACHE' };
  }
  const modes = input.modes ?? [];
  if (input.type === 'NO_CACHE') {
    if (modes.length > 0) problems.add(`${path}.modes`, 'are only for a LOCAL cache');
    return { type: 'NO_CACHE' };
  }
  modes.forEach((mode, i) => {
    if (!isOneOf(cacheModes, mode)) {
      problems.add(`${path}.modes[${i}]`, `must be one of ${cacheModes.join(', ')}`);
    }
  });
  checkUnique(problems, `${path}.modes`, modes, 'mode');
  return { type: 'LOCAL', modes: modes.filter((m) => isOneOf(cacheModes, m)) };
}

export function normalizeEnvironment(
  problems: Problems,
  path: string,
  input: ProjectEnvironmentInput | undefined,
): ProjectEnvironment | undefined {
  if (input === undefined) {
    problems.add(path, 'is required');
    return undefined;
  }
  let valid = true;
  if (!isOneOf(environmentTypes, input.type)) {
    problems.add(`${path}.type`, `must be one of ${supportedEnvironmentTypes.join(', ')}`);
    valid = false;
  } else if (!isOneOf(supportedEnvironmentTypes, input.type)) {
    problems.unsupported(
      `${path}.type`,
      `environment type ${input.type} is not supported by Slipway`,
    );
    valid = false;
  }
  if (!input.image) problems.add(`${path}.image`, 'is required');
  else checkLocation(problems, `${path}.image`, input.image);
  if (!isOneOf(computeTypes, input.computeType)) {
    problems.add(`${path}.computeType`, `must be one of ${computeTypes.join(', ')}`);
    valid = false;
  }
  const pull = input.imagePullCredentialsType ?? 'CODEBUILD';
  if (!isOneOf(imagePullCredentialsTypes, pull)) {
    problems.add(`${path}.imagePullCredentialsType`, 'must be CODEBUILD or SERVICE_ROLE');
    valid = false;
  }
  const variables = normalizeVariables(
    problems,
    `${path}.environmentVariables`,
    input.environmentVariables,
  );
  if (!valid || !input.image) return undefined;
  return {
    type: input.type as ProjectEnvironment['type'],
    image: input.image,
    computeType: input.computeType as ProjectEnvironment['computeType'],
    environmentVariables: variables,
    privilegedMode: input.privilegedMode ?? false,
    certificate: input.certificate,
    imagePullCredentialsType: pull as ProjectEnvironment['imagePullCredentialsType'],
  };
}

/** Names CodeBuild reserves (CODEBUILD_*) and names no process environment can hold. */
export function normalizeVariables(
  problems: Problems,
  path: string,
  inputs: readonly EnvironmentVariableInput[] | undefined,
): EnvironmentVariable[] {
  const variables: EnvironmentVariable[] = [];
  (inputs ?? []).forEach((v, i) => {
    const at = `${path}[${i}]`;
    const type = v.type ?? 'PLAINTEXT';
    if (!v.name) problems.add(`${at}.name`, 'is required');
    else if (v.name.startsWith(reservedVariablePrefix)) {
      problems.add(`${at}.name`, `${v.name}: names starting with CODEBUILD_ are reserved`);
    } else if (v.name.includes('=') || v.name.includes('\0')) {
      problems.add(`${at}.name`, 'must not contain = or NUL');
    }
    if (typeof v.value !== 'string') problems.add(`${at}.value`, 'is required');
    else if (v.value.includes('\0')) problems.add(`${at}.value`, 'must not contain NUL');
    if (!isOneOf(variableTypes, type)) {
      problems.add(`${at}.type`, `must be one of ${variableTypes.join(', ')}`);
      return;
    }
    if (type !== 'PLAINTEXT' && !v.value) {
      problems.add(
        `${at}.value`,
        `must name the ${type === 'PARAMETER_STORE' ? 'parameter' : 'secret'}`,
      );
    }
    variables.push({ name: v.name, value: v.value, type });
  });
  return variables;
}

export function normalizeLogsConfig(
  problems: Problems,
  path: string,
  input: LogsConfigInput | undefined,
): LogsConfig {
  const cloudWatch = input?.cloudWatchLogs ?? { status: 'ENABLED' };
  const s3 = input?.s3Logs ?? { status: 'DISABLED' };
  if (!isOneOf(logsConfigStatuses, cloudWatch.status)) {
    problems.add(`${path}.cloudWatchLogs.status`, 'must be ENABLED or DISABLED');
  }
  const { groupName, streamName } = cloudWatch;
  if (groupName !== undefined && !logGroupNamePattern.test(groupName)) {
    problems.add(`${path}.cloudWatchLogs.groupName`, 'is not a valid log group name');
  }
  // The stream is `<streamName>/<uuid>`: leave room for the uuid.
  if (
    streamName !== undefined &&
    (!logStreamNamePattern.test(streamName) || streamName.length > 470)
  ) {
    problems.add(`${path}.cloudWatchLogs.streamName`, 'is not a valid log stream name prefix');
  }
  if (s3.status === 'ENABLED') {
    problems.unsupported(`${path}.s3Logs.status`, 'S3 logs are not supported by Slipway');
  } else if (!isOneOf(logsConfigStatuses, s3.status)) {
    problems.add(`${path}.s3Logs.status`, 'must be ENABLED or DISABLED');
  }
  return {
    cloudWatchLogs: {
      status: cloudWatch.status === 'DISABLED' ? 'DISABLED' : 'ENABLED',
      groupName: groupName || undefined,
      streamName: streamName || undefined,
    },
    s3Logs: { status: 'DISABLED' },
  };
}

/** CodeBuild's tag rules, plus Slipway's `slipway:network` values. */
export function normalizeTags(
  problems: Problems,
  path: string,
  inputs: readonly Tag[] | undefined,
): Tag[] {
  const tags = inputs ?? [];
  if (tags.length > maxTags) problems.add(path, `must hold at most ${maxTags} tags`);
  tags.forEach((tag, i) => {
    if (!tag.key || tag.key.length > 127 || !tagPattern.test(tag.key)) {
      problems.add(`${path}[${i}].key`, 'must be 1 to 127 letters, digits, spaces or _.:/=+-@');
    }
    const value = tag.value ?? '';
    if (value.length > 255 || !tagPattern.test(value)) {
      problems.add(
        `${path}[${i}].value`,
        'must be at most 255 letters, digits, spaces or _.:/=+-@',
      );
    }
    if (tag.key === sandboxNetworkTag && !isOneOf(sandboxNetworks, value)) {
      problems.add(`${path}[${i}].value`, `${sandboxNetworkTag} must be host or none`);
    }
  });
  checkUnique(
    problems,
    path,
    tags.map((t) => t.key),
    'key',
  );
  return tags.map((t) => ({ key: t.key, value: t.value ?? '' }));
}

function checkLocation(problems: Problems, path: string, value: string | undefined): void {
  if (value === undefined) return;
  if (value.length > maxLocationLength || controlCharacters.test(value)) {
    problems.add(path, `must be at most ${maxLocationLength} characters, none of them control`);
  }
}

function listOf<T>(
  problems: Problems,
  path: string,
  items: readonly T[] | undefined,
): readonly T[] {
  const list = items ?? [];
  if (list.length > maxSecondaryItems) {
    problems.add(path, `must hold at most ${maxSecondaryItems} items`);
    return list.slice(0, maxSecondaryItems);
  }
  return list;
}

function checkUnique(
  problems: Problems,
  path: string,
  values: readonly (string | undefined)[],
  what: string,
): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (value === undefined) continue;
    if (seen.has(value)) problems.add(path, `${what} ${value} appears more than once`);
    seen.add(value);
  }
}
