import type { JsonValue } from '../platform/json.ts';
import type { Scope } from '../source/source.deps.ts';
import {
  buildArn,
  BuildDispatch,
  BuildPhaseType,
  BuildStatus,
  type Build,
  type BuildArtifacts,
  type LogsLocation,
} from './build.model.ts';
import { submittedPhases } from './build-phases.ts';
import { BuildsSubject } from './builds.errors.ts';
import { logsDeepLink, logStreamArn } from './log.model.ts';
import {
  normalizeArtifacts,
  normalizeCache,
  normalizeEnvironment,
  normalizeLogsConfig,
  normalizeSecondaryArtifacts,
  normalizeSecondarySources,
  normalizeSource,
  normalizeSourceVersions,
  normalizeVariables,
  type EnvironmentVariableInput,
  type LogsConfigInput,
  type ProjectArtifactsInput,
  type ProjectCacheInput,
  type ProjectSourceInput,
} from './project-fields.ts';
import { checkPipelinePairing, checkVersionsNameSources } from './project-validation.ts';
import {
  maxQueuedTimeoutInMinutes,
  maxTimeoutInMinutes,
  minQueuedTimeoutInMinutes,
  minTimeoutInMinutes,
  sandboxNetworkOf,
  type EnvironmentVariable,
  type LogsConfig,
  type Project,
  type ProjectArtifacts,
  type ProjectSourceVersion,
  type SandboxNetwork,
} from './project.model.ts';
import { checkIntegerRange, Problems } from './problems.ts';

/** StartBuild's input, as the door parsed it, plus who starts the build. */
export interface StartBuildInput {
  readonly projectName: string;
  /** `codepipeline/<pipeline>` for a pipeline, else the caller's user name. */
  readonly initiator: string;
  readonly sourceVersion?: string | undefined;
  readonly sourceTypeOverride?: string | undefined;
  readonly sourceLocationOverride?: string | undefined;
  readonly gitCloneDepthOverride?: number | undefined;
  readonly gitSubmodulesConfigOverride?: { readonly fetchSubmodules: boolean } | undefined;
  readonly insecureSslOverride?: boolean | undefined;
  readonly buildspecOverride?: string | undefined;
  readonly secondarySourcesOverride?: readonly ProjectSourceInput[] | undefined;
  readonly secondarySourcesVersionOverride?: readonly ProjectSourceVersion[] | undefined;
  readonly artifactsOverride?: ProjectArtifactsInput | undefined;
  readonly secondaryArtifactsOverride?: readonly ProjectArtifactsInput[] | undefined;
  readonly environmentVariablesOverride?: readonly EnvironmentVariableInput[] | undefined;
  readonly environmentTypeOverride?: string | undefined;
  readonly imageOverride?: string | undefined;
  readonly computeTypeOverride?: string | undefined;
  readonly privilegedModeOverride?: boolean | undefined;
  readonly certificateOverride?: string | undefined;
  readonly imagePullCredentialsTypeOverride?: string | undefined;
  readonly cacheOverride?: ProjectCacheInput | undefined;
  readonly serviceRoleOverride?: string | undefined;
  readonly timeoutInMinutesOverride?: number | undefined;
  readonly queuedTimeoutInMinutesOverride?: number | undefined;
  readonly encryptionKeyOverride?: string | undefined;
  readonly logsConfigOverride?: LogsConfigInput | undefined;
  /** Valid for 5 minutes: the same token and request again return the same build. */
  readonly idempotencyToken?: string | undefined;
}

/** Everything a build takes from its project once StartBuild's overrides are applied. */
export type BuildSpecifics = Pick<
  Build,
  | 'source'
  | 'secondarySources'
  | 'sourceVersion'
  | 'secondarySourceVersions'
  | 'cache'
  | 'environment'
  | 'serviceRole'
  | 'timeoutInMinutes'
  | 'queuedTimeoutInMinutes'
  | 'encryptionKey'
> & {
  readonly artifacts: ProjectArtifacts;
  readonly secondaryArtifacts: readonly ProjectArtifacts[];
  readonly logsConfig: LogsConfig;
  readonly projectEnvironmentVariables: readonly EnvironmentVariable[];
  readonly environmentVariablesOverride: readonly EnvironmentVariable[];
  readonly network: SandboxNetwork;
};

/** The project's settings with the overrides applied, checked as CreateProject checks them. */
export function applyOverrides(project: Project, input: StartBuildInput): BuildSpecifics {
  const problems = new Problems();
  const sources = overriddenSources(problems, project, input);
  const artifacts =
    input.artifactsOverride === undefined
      ? project.artifacts
      : normalizeArtifacts(problems, 'artifactsOverride', input.artifactsOverride);
  checkPipelinePairing(problems, sources.source?.type, artifacts?.type);
  const { environment, overrides } = overriddenEnvironment(problems, project.environment, input);
  const rest = otherOverrides(problems, project, input);
  problems.throwIfAny(BuildsSubject.BuildInput);
  // Each part is defined once no problem was found: the normalizers report every undefined.
  return {
    ...sources,
    source: sources.source!,
    artifacts: artifacts!,
    environment: environment!,
    ...rest,
    projectEnvironmentVariables: project.environment.environmentVariables,
    environmentVariablesOverride: overrides,
    network: sandboxNetworkOf(project.tags),
  };
}

function overriddenSources(problems: Problems, project: Project, input: StartBuildInput) {
  const base = project.source;
  const typeChanged = input.sourceTypeOverride !== undefined;
  const source = normalizeSource(problems, 'source', {
    ...base,
    type: input.sourceTypeOverride ?? base.type,
    // A new type does not inherit the project's location: it means something else there.
    location: input.sourceLocationOverride ?? (typeChanged ? undefined : base.location),
    gitCloneDepth: input.gitCloneDepthOverride ?? base.gitCloneDepth,
    gitSubmodulesConfig: input.gitSubmodulesConfigOverride ?? base.gitSubmodulesConfig,
    insecureSsl: input.insecureSslOverride ?? base.insecureSsl,
    buildspec: input.buildspecOverride || base.buildspec,
  });
  const secondarySources =
    input.secondarySourcesOverride === undefined
      ? project.secondarySources
      : normalizeSecondarySources(
          problems,
          'secondarySourcesOverride',
          input.secondarySourcesOverride,
        );
  const versionOverrides = normalizeSourceVersions(
    problems,
    'secondarySourcesVersionOverride',
    input.secondarySourcesVersionOverride,
  );
  checkVersionsNameSources(
    problems,
    versionOverrides,
    secondarySources,
    'secondarySourcesVersionOverride',
  );
  return {
    source,
    secondarySources,
    sourceVersion: input.sourceVersion || project.sourceVersion,
    secondarySourceVersions: mergeSourceVersions(project.secondarySourceVersions, versionOverrides),
  };
}

function overriddenEnvironment(
  problems: Problems,
  base: Project['environment'],
  input: StartBuildInput,
) {
  const overrides = normalizeVariables(
    problems,
    'environmentVariablesOverride',
    input.environmentVariablesOverride,
  );
  const environment = normalizeEnvironment(problems, 'environment', {
    ...base,
    type: input.environmentTypeOverride ?? base.type,
    image: input.imageOverride ?? base.image,
    computeType: input.computeTypeOverride ?? base.computeType,
    privilegedMode: input.privilegedModeOverride ?? base.privilegedMode,
    certificate: input.certificateOverride ?? base.certificate,
    imagePullCredentialsType:
      input.imagePullCredentialsTypeOverride ?? base.imagePullCredentialsType,
    environmentVariables: mergeVariables(base.environmentVariables, overrides),
  });
  return { environment, overrides };
}

function otherOverrides(problems: Problems, project: Project, input: StartBuildInput) {
  checkIntegerRange(
    problems,
    'timeoutInMinutesOverride',
    input.timeoutInMinutesOverride,
    minTimeoutInMinutes,
    maxTimeoutInMinutes,
  );
  checkIntegerRange(
    problems,
    'queuedTimeoutInMinutesOverride',
    input.queuedTimeoutInMinutesOverride,
    minQueuedTimeoutInMinutes,
    maxQueuedTimeoutInMinutes,
  );
  if (input.serviceRoleOverride === '') problems.add('serviceRoleOverride', 'must not be empty');
  if (input.encryptionKeyOverride === '') {
    problems.add('encryptionKeyOverride', 'must not be empty');
  }
  return {
    secondaryArtifacts:
      input.secondaryArtifactsOverride === undefined
        ? project.secondaryArtifacts
        : normalizeSecondaryArtifacts(
            problems,
            'secondaryArtifactsOverride',
            input.secondaryArtifactsOverride,
          ),
    cache:
      input.cacheOverride === undefined
        ? project.cache
        : normalizeCache(problems, 'cacheOverride', input.cacheOverride),
    logsConfig:
      input.logsConfigOverride === undefined
        ? project.logsConfig
        : normalizeLogsConfig(problems, 'logsConfigOverride', input.logsConfigOverride),
    serviceRole: input.serviceRoleOverride ?? project.serviceRole,
    timeoutInMinutes: input.timeoutInMinutesOverride ?? project.timeoutInMinutes,
    queuedTimeoutInMinutes: input.queuedTimeoutInMinutesOverride ?? project.queuedTimeoutInMinutes,
    encryptionKey: input.encryptionKeyOverride ?? project.encryptionKey,
  };
}

/** The project's variables with same-named overrides replaced in place and new ones after. */
function mergeVariables(
  project: readonly EnvironmentVariable[],
  overrides: readonly EnvironmentVariable[],
): EnvironmentVariable[] {
  const byName = new Map(overrides.map((v) => [v.name, v]));
  const merged = project.map((v) => byName.get(v.name) ?? v);
  const projectNames = new Set(project.map((v) => v.name));
  return [...merged, ...overrides.filter((v) => !projectNames.has(v.name))];
}

function mergeSourceVersions(
  project: readonly ProjectSourceVersion[],
  overrides: readonly ProjectSourceVersion[],
): ProjectSourceVersion[] {
  const byId = new Map(overrides.map((v) => [v.sourceIdentifier, v]));
  const merged = project.map((v) => byId.get(v.sourceIdentifier) ?? v);
  const ids = new Set(project.map((v) => v.sourceIdentifier));
  return [...merged, ...overrides.filter((v) => !ids.has(v.sourceIdentifier))];
}

export interface NewBuildOptions {
  readonly scope: Scope;
  readonly project: Pick<Project, 'name' | 'arn'>;
  readonly specifics: BuildSpecifics;
  readonly uuid: string;
  readonly initiator: string;
  readonly now: number;
}

/**
 * A build about to be created: SUBMITTED done, QUEUED in progress. Its number, dispatch and
 * job are the store's to fill in (`BuildStore.create`).
 */
export function newBuild(options: NewBuildOptions): Build {
  const { scope, project, specifics: s, uuid, now } = options;
  const id = `${project.name}:${uuid}`;
  return {
    accountId: scope.accountId,
    region: scope.region,
    id,
    arn: buildArn(scope, id),
    buildNumber: 0,
    startTime: now,
    endTime: undefined,
    currentPhase: BuildPhaseType.Queued,
    buildStatus: BuildStatus.InProgress,
    sourceVersion: s.sourceVersion,
    resolvedSourceVersion: undefined,
    projectName: project.name,
    phases: submittedPhases(now),
    source: s.source,
    secondarySources: s.secondarySources,
    secondarySourceVersions: s.secondarySourceVersions,
    artifacts: buildArtifactsOf(s.artifacts, project.name, uuid),
    secondaryArtifacts: s.secondaryArtifacts.map((a) => buildArtifactsOf(a, project.name, uuid)),
    cache: s.cache,
    environment: s.environment,
    serviceRole: s.serviceRole,
    logs: logsLocation(scope, project.name, uuid, s.logsConfig),
    timeoutInMinutes: s.timeoutInMinutes,
    queuedTimeoutInMinutes: s.queuedTimeoutInMinutes,
    buildComplete: false,
    initiator: options.initiator,
    encryptionKey: s.encryptionKey,
    exportedEnvironmentVariables: [],
    reportArns: [],
    settings: {
      projectArn: project.arn,
      artifacts: s.artifacts,
      secondaryArtifacts: s.secondaryArtifacts,
      logsConfig: s.logsConfig,
      network: s.network,
      projectEnvironmentVariables: s.projectEnvironmentVariables,
      environmentVariablesOverride: s.environmentVariablesOverride,
    },
    run: {
      dispatch: BuildDispatch.Held,
      jobId: undefined,
      leaseId: undefined,
      workerId: undefined,
      claimedAt: undefined,
      queuedDeadline: now + s.queuedTimeoutInMinutes * 60_000,
      deadline: undefined,
      stopRequested: false,
      endedBy: undefined,
    },
    version: 0,
  };
}

/** Where an S3 artifact will go: `<bucket>/<path>/<uuid if BUILD_ID>/<name>`, as an S3 ARN. */
export function buildArtifactsOf(
  artifacts: ProjectArtifacts,
  projectName: string,
  uuid: string,
): BuildArtifacts {
  let location: string | undefined;
  if (artifacts.type === 'S3' && artifacts.location !== undefined) {
    const bucket = artifacts.location.replace(/^arn:aws:s3:::/, '');
    const name = artifacts.name === '/' ? undefined : (artifacts.name ?? projectName);
    const parts = [
      bucket,
      artifacts.path || undefined,
      artifacts.namespaceType === 'BUILD_ID' ? uuid : undefined,
      name,
    ].filter((p): p is string => p !== undefined && p !== '');
    location = `arn:aws:s3:::${parts.join('/')}`;
  }
  return {
    location,
    overrideArtifactName: artifacts.overrideArtifactName,
    encryptionDisabled: artifacts.encryptionDisabled,
    artifactIdentifier: artifacts.artifactIdentifier,
  };
}

/** `/aws/codebuild/<project>` and `<uuid>` unless logsConfig names others; none if disabled. */
export function logsLocation(
  scope: Scope,
  projectName: string,
  uuid: string,
  config: LogsConfig,
): LogsLocation {
  const { cloudWatchLogs, s3Logs } = config;
  if (cloudWatchLogs.status === 'DISABLED') return { cloudWatchLogs, s3Logs };
  const groupName = cloudWatchLogs.groupName ?? `/aws/codebuild/${projectName}`;
  const streamName =
    cloudWatchLogs.streamName === undefined ? uuid : `${cloudWatchLogs.streamName}/${uuid}`;
  return {
    groupName,
    streamName,
    deepLink: logsDeepLink(scope.region, groupName, streamName),
    cloudWatchLogsArn: logStreamArn({
      ...scope,
      logGroupName: groupName,
      logStreamName: streamName,
    }),
    cloudWatchLogs,
    s3Logs,
  };
}

/** The request as the idempotency check compares it: keys sorted, undefined dropped. */
export function requestFingerprint(operation: string, request: object): string {
  return JSON.stringify(canonical({ operation, request: request as JsonValue }));
}

function canonical(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value as JsonValue;
}
