import type { Scope } from '../source/source.deps.ts';
import { BuildsSubject, invalidBuildsInput } from './builds.errors.ts';
import {
  normalizeArtifacts,
  normalizeCache,
  normalizeEnvironment,
  normalizeLogsConfig,
  normalizeSecondaryArtifacts,
  normalizeSecondarySources,
  normalizeSource,
  normalizeSourceVersions,
  normalizeTags,
  type LogsConfigInput,
  type ProjectArtifactsInput,
  type ProjectCacheInput,
  type ProjectEnvironmentInput,
  type ProjectSourceInput,
} from './project-fields.ts';
import {
  defaultQueuedTimeoutInMinutes,
  defaultTimeoutInMinutes,
  maxQueuedTimeoutInMinutes,
  maxTimeoutInMinutes,
  minQueuedTimeoutInMinutes,
  minTimeoutInMinutes,
  projectArn,
  type Project,
  type ProjectSourceVersion,
  type Tag,
} from './project.model.ts';
import { checkIntegerRange, checkLength, Problems } from './problems.ts';

/** CreateProject's input, as the door parsed it. */
export interface ProjectInput {
  readonly name: string;
  readonly description?: string | undefined;
  readonly source: ProjectSourceInput;
  readonly secondarySources?: readonly ProjectSourceInput[] | undefined;
  readonly sourceVersion?: string | undefined;
  readonly secondarySourceVersions?: readonly ProjectSourceVersion[] | undefined;
  readonly artifacts: ProjectArtifactsInput;
  readonly secondaryArtifacts?: readonly ProjectArtifactsInput[] | undefined;
  readonly cache?: ProjectCacheInput | undefined;
  readonly environment: ProjectEnvironmentInput;
  readonly serviceRole: string;
  readonly timeoutInMinutes?: number | undefined;
  readonly queuedTimeoutInMinutes?: number | undefined;
  readonly encryptionKey?: string | undefined;
  readonly tags?: readonly Tag[] | undefined;
  readonly badgeEnabled?: boolean | undefined;
  readonly logsConfig?: LogsConfigInput | undefined;
  readonly concurrentBuildLimit?: number | undefined;
}

/**
 * UpdateProject's input: only the fields given (not undefined) change. An empty description or
 * sourceVersion clears it; concurrentBuildLimit -1 removes the limit, as in CodeBuild.
 */
export type ProjectUpdate = Partial<Omit<ProjectInput, 'name'>> & { readonly name: string };

/** botocore's ProjectName: 2 to 150 characters, a letter or digit first. */
const projectNamePattern = /^[A-Za-z0-9][A-Za-z0-9\-_]{1,149}$/;
const maxDescriptionLength = 255;

export function checkProjectName(name: string, path = 'name'): void {
  if (typeof name !== 'string' || !projectNamePattern.test(name)) {
    throw invalidBuildsInput(
      BuildsSubject.ProjectInput,
      `${path}: project names are 2 to 150 letters, digits, - and _, starting with a letter or digit`,
      [{ path, message: 'must match [A-Za-z0-9][A-Za-z0-9\\-_]{1,149}' }],
    );
  }
}

/** The project CreateProject describes, every problem reported at once. */
export function newProject(scope: Scope, input: ProjectInput, now: number): Project {
  checkProjectName(input.name);
  const problems = new Problems();
  if (!input.serviceRole) problems.add('serviceRole', 'is required');
  const limit = input.concurrentBuildLimit;
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
    problems.add('concurrentBuildLimit', 'must be a whole number, at least 1');
  }
  const project = buildProject(problems, input, {
    accountId: scope.accountId,
    region: scope.region,
    name: input.name,
    arn: projectArn(scope, input.name),
    created: now,
    lastModified: now,
    concurrentBuildLimit: limit,
  });
  problems.throwIfAny(BuildsSubject.ProjectInput);
  return project as Project;
}

/** `current` with UpdateProject's given fields replaced, checked as a whole. */
export function updatedProject(current: Project, update: ProjectUpdate, now: number): Project {
  const problems = new Problems();
  if (update.serviceRole !== undefined && !update.serviceRole) {
    problems.add('serviceRole', 'must not be empty');
  }
  let limit = current.concurrentBuildLimit;
  const given = update.concurrentBuildLimit;
  if (given === -1) limit = undefined;
  else if (given !== undefined) {
    if (!Number.isSafeInteger(given) || given < 1) {
      problems.add(
        'concurrentBuildLimit',
        'must be a whole number, at least 1 (or -1 to remove it)',
      );
    } else limit = given;
  }
  const merged: ProjectInput = {
    name: current.name,
    description: update.description ?? current.description,
    source: update.source ?? current.source,
    secondarySources: update.secondarySources ?? current.secondarySources,
    sourceVersion: update.sourceVersion ?? current.sourceVersion,
    secondarySourceVersions: update.secondarySourceVersions ?? current.secondarySourceVersions,
    artifacts: update.artifacts ?? current.artifacts,
    secondaryArtifacts: update.secondaryArtifacts ?? current.secondaryArtifacts,
    cache: update.cache ?? current.cache,
    environment: update.environment ?? current.environment,
    serviceRole: update.serviceRole ?? current.serviceRole,
    timeoutInMinutes: update.timeoutInMinutes ?? current.timeoutInMinutes,
    queuedTimeoutInMinutes: update.queuedTimeoutInMinutes ?? current.queuedTimeoutInMinutes,
    encryptionKey: update.encryptionKey ?? current.encryptionKey,
    tags: update.tags ?? current.tags,
    badgeEnabled: update.badgeEnabled ?? current.badgeEnabled,
    logsConfig: update.logsConfig ?? current.logsConfig,
  };
  const project = buildProject(problems, merged, {
    accountId: current.accountId,
    region: current.region,
    name: current.name,
    arn: current.arn,
    created: current.created,
    lastModified: now,
    concurrentBuildLimit: limit,
  });
  problems.throwIfAny(BuildsSubject.ProjectInput);
  return project as Project;
}

type Identity = Pick<
  Project,
  'accountId' | 'region' | 'name' | 'arn' | 'created' | 'lastModified' | 'concurrentBuildLimit'
>;

/** Checks and assembles; the caller throws if `problems` has any. */
function buildProject(problems: Problems, input: ProjectInput, identity: Identity) {
  checkLength(problems, 'description', input.description, 0, maxDescriptionLength);
  checkIntegerRange(
    problems,
    'timeoutInMinutes',
    input.timeoutInMinutes,
    minTimeoutInMinutes,
    maxTimeoutInMinutes,
  );
  checkIntegerRange(
    problems,
    'queuedTimeoutInMinutes',
    input.queuedTimeoutInMinutes,
    minQueuedTimeoutInMinutes,
    maxQueuedTimeoutInMinutes,
  );
  if (input.encryptionKey !== undefined && !input.encryptionKey) {
    problems.add('encryptionKey', 'must not be empty');
  }
  const source = normalizeSource(problems, 'source', input.source);
  const secondarySources = normalizeSecondarySources(
    problems,
    'secondarySources',
    input.secondarySources,
  );
  const secondarySourceVersions = normalizeSourceVersions(
    problems,
    'secondarySourceVersions',
    input.secondarySourceVersions,
  );
  checkVersionsNameSources(problems, secondarySourceVersions, secondarySources);
  const artifacts = normalizeArtifacts(problems, 'artifacts', input.artifacts);
  checkPipelinePairing(problems, source?.type, artifacts?.type);
  return {
    ...identity,
    description: input.description || undefined,
    source,
    secondarySources,
    sourceVersion: input.sourceVersion || undefined,
    secondarySourceVersions,
    artifacts,
    secondaryArtifacts: normalizeSecondaryArtifacts(
      problems,
      'secondaryArtifacts',
      input.secondaryArtifacts,
    ),
    cache: normalizeCache(problems, 'cache', input.cache),
    environment: normalizeEnvironment(problems, 'environment', input.environment),
    serviceRole: input.serviceRole,
    timeoutInMinutes: input.timeoutInMinutes ?? defaultTimeoutInMinutes,
    queuedTimeoutInMinutes: input.queuedTimeoutInMinutes ?? defaultQueuedTimeoutInMinutes,
    encryptionKey: input.encryptionKey,
    tags: normalizeTags(problems, 'tags', input.tags),
    badgeEnabled: input.badgeEnabled ?? false,
    logsConfig: normalizeLogsConfig(problems, 'logsConfig', input.logsConfig),
  };
}

/** Each secondary source version must name one of the secondary sources. */
export function checkVersionsNameSources(
  problems: Problems,
  versions: readonly ProjectSourceVersion[],
  sources: readonly { readonly sourceIdentifier?: string | undefined }[],
  path = 'secondarySourceVersions',
): void {
  const identifiers = new Set(sources.map((s) => s.sourceIdentifier));
  versions.forEach((v, i) => {
    if (v.sourceIdentifier && !identifiers.has(v.sourceIdentifier)) {
      problems.add(
        `${path}[${i}].sourceIdentifier`,
        `no secondary source is ${v.sourceIdentifier}`,
      );
    }
  });
}

/** CodeBuild pairs a CODEPIPELINE source with CODEPIPELINE artifacts, both ways. */
export function checkPipelinePairing(
  problems: Problems,
  sourceType: string | undefined,
  artifactsType: string | undefined,
): void {
  if (sourceType === undefined || artifactsType === undefined) return;
  if ((sourceType === 'CODEPIPELINE') !== (artifactsType === 'CODEPIPELINE')) {
    problems.add('artifacts.type', 'CODEPIPELINE source and CODEPIPELINE artifacts go together');
  }
}
