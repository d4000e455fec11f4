import type {
  EnvironmentVariable,
  LogsConfig,
  ProjectArtifacts,
  ProjectCache,
  ProjectEnvironment,
  ProjectSource,
  ProjectSourceVersion,
  SandboxNetwork,
} from './project.model.ts';

/** CodeBuild's phases, in the order a build goes through them (aws-compat §4.2). */
export const BuildPhaseType = {
  Submitted: 'SUBMITTED',
  Queued: 'QUEUED',
  Provisioning: 'PROVISIONING',
  DownloadSource: 'DOWNLOAD_SOURCE',
  Install: 'INSTALL',
  PreBuild: 'PRE_BUILD',
  Build: 'BUILD',
  PostBuild: 'POST_BUILD',
  UploadArtifacts: 'UPLOAD_ARTIFACTS',
  Finalizing: 'FINALIZING',
  Completed: 'COMPLETED',
} as const;
export type BuildPhaseType = (typeof BuildPhaseType)[keyof typeof BuildPhaseType];
export const buildPhaseOrder: readonly BuildPhaseType[] = Object.values(BuildPhaseType);

/** CodeBuild's StatusType, used for both `buildStatus` and `phaseStatus`. */
export const BuildStatus = {
  Succeeded: 'SUCCEEDED',
  Failed: 'FAILED',
  Fault: 'FAULT',
  TimedOut: 'TIMED_OUT',
  InProgress: 'IN_PROGRESS',
  Stopped: 'STOPPED',
} as const;
export type BuildStatus = (typeof BuildStatus)[keyof typeof BuildStatus];

/** How a build (or a phase) can end. */
export type FinalStatus = Exclude<BuildStatus, 'IN_PROGRESS'>;
export const finalStatuses: readonly FinalStatus[] = [
  BuildStatus.Succeeded,
  BuildStatus.Failed,
  BuildStatus.Fault,
  BuildStatus.TimedOut,
  BuildStatus.Stopped,
];

export interface PhaseContext {
  readonly statusCode: string;
  readonly message: string;
}

/**
 * One phase. As CodeBuild reports them, the phase in progress has a start time and neither an
 * end time nor a status, and COMPLETED never has a status.
 */
export interface BuildPhase {
  readonly phaseType: BuildPhaseType;
  readonly phaseStatus?: FinalStatus | undefined;
  readonly startTime: number;
  readonly endTime?: number | undefined;
  readonly durationInSeconds?: number | undefined;
  readonly contexts?: readonly PhaseContext[] | undefined;
}

/** CodeBuild's BuildArtifacts: where the build's output went, with its digests once uploaded. */
export interface BuildArtifacts {
  readonly location?: string | undefined;
  readonly md5sum?: string | undefined;
  readonly sha256sum?: string | undefined;
  readonly overrideArtifactName?: boolean | undefined;
  readonly encryptionDisabled?: boolean | undefined;
  readonly artifactIdentifier?: string | undefined;
}

/** CodeBuild's LogsLocation; group and stream are unset when CloudWatch logs are disabled. */
export interface LogsLocation {
  readonly groupName?: string | undefined;
  readonly streamName?: string | undefined;
  readonly deepLink?: string | undefined;
  readonly cloudWatchLogsArn?: string | undefined;
  readonly cloudWatchLogs: LogsConfig['cloudWatchLogs'];
  readonly s3Logs: LogsConfig['s3Logs'];
}

export interface ExportedEnvironmentVariable {
  readonly name: string;
  readonly value: string;
}

/**
 * Where a build stands in Slipway's dispatch, beside CodeBuild's phases:
 * - `held`: over its project's concurrentBuildLimit; no job yet (phase QUEUED).
 * - `queued`: its job is on the queue, waiting for a runner (phase QUEUED).
 * - `running`: a runner holds its job's lease (PROVISIONING onwards).
 * - `ended`: complete.
 * Builds `queued` or `running` occupy their project's concurrency slots.
 */
export const BuildDispatch = {
  Held: 'held',
  Queued: 'queued',
  Running: 'running',
  Ended: 'ended',
} as const;
export type BuildDispatch = (typeof BuildDispatch)[keyof typeof BuildDispatch];

/** Who ended a build: the runner (completeBuild) or the server (stop, timeout, lost runner). */
export type BuildEndedBy = 'runner' | 'server';

/** Slipway's dispatch and lease state of a build; not part of CodeBuild's shape. */
export interface BuildRun {
  readonly dispatch: BuildDispatch;
  /** Set once the build's job is enqueued. */
  readonly jobId: string | undefined;
  /** The lease of the runner that claimed it. */
  readonly leaseId: string | undefined;
  readonly workerId: string | undefined;
  readonly claimedAt: number | undefined;
  /** While QUEUED: when the build times out in the queue (queuedTimeoutInMinutes). */
  readonly queuedDeadline: number;
  /** Once claimed: when the build times out (timeoutInMinutes from the claim). */
  readonly deadline: number | undefined;
  /** StopBuild was called while it ran: the runner is told through its heartbeat. */
  readonly stopRequested: boolean;
  readonly endedBy: BuildEndedBy | undefined;
}

/** What a runner needs beyond CodeBuild's Build shape, fixed when the build starts. */
export interface BuildSettings {
  readonly projectArn: string;
  /** The project's artifact settings with the StartBuild override applied. */
  readonly artifacts: ProjectArtifacts;
  readonly secondaryArtifacts: readonly ProjectArtifacts[];
  readonly logsConfig: LogsConfig;
  readonly network: SandboxNetwork;
  /** The project's variables and StartBuild's overrides, kept apart for their precedence. */
  readonly projectEnvironmentVariables: readonly EnvironmentVariable[];
  readonly environmentVariablesOverride: readonly EnvironmentVariable[];
}

/**
 * A build: CodeBuild's `Build` with its field names, scoped by account and region, plus
 * Slipway's `settings`, `run` and `version` (which the AWS door leaves out). Every setting is
 * copied from the project, with StartBuild's overrides applied, when the build starts: a build
 * never reads its project again, so editing or deleting the project cannot change it.
 */
export interface Build {
  readonly accountId: string;
  readonly region: string;
  /** `<project>:<uuid>`. */
  readonly id: string;
  /** `arn:aws:codebuild:<region>:<account>:build/<project>:<uuid>`. */
  readonly arn: string;
  /** 1, 2, 3… per project, never reused while the project exists. */
  readonly buildNumber: number;
  readonly startTime: number;
  readonly endTime: number | undefined;
  readonly currentPhase: BuildPhaseType;
  readonly buildStatus: BuildStatus;
  readonly sourceVersion: string | undefined;
  readonly resolvedSourceVersion: string | undefined;
  readonly projectName: string;
  readonly phases: readonly BuildPhase[];
  /** With `buildspec` set to the buildspecOverride when there was one. */
  readonly source: ProjectSource;
  readonly secondarySources: readonly ProjectSource[];
  readonly secondarySourceVersions: readonly ProjectSourceVersion[];
  readonly artifacts: BuildArtifacts;
  readonly secondaryArtifacts: readonly BuildArtifacts[];
  readonly cache: ProjectCache;
  /** With the overrides applied; `environmentVariables` holds both layers merged. */
  readonly environment: ProjectEnvironment;
  readonly serviceRole: string;
  readonly logs: LogsLocation;
  readonly timeoutInMinutes: number;
  readonly queuedTimeoutInMinutes: number;
  readonly buildComplete: boolean;
  /** `codepipeline/<pipeline>` when a pipeline started it, else the user's name. */
  readonly initiator: string;
  readonly encryptionKey: string | undefined;
  readonly exportedEnvironmentVariables: readonly ExportedEnvironmentVariable[];
  readonly reportArns: readonly string[];
  readonly settings: BuildSettings;
  readonly run: BuildRun;
  /** Bumped by every write; stores update a build only from the version they were given. */
  readonly version: number;
}

export function buildArn(scope: { accountId: string; region: string }, id: string): string {
  return `arn:aws:codebuild:${scope.region}:${scope.accountId}:build/${id}`;
}

/** The uuid part of `<project>:<uuid>`. */
export function buildUuidOf(buildId: string): string {
  return buildId.slice(buildId.lastIndexOf(':') + 1);
}

/** A build id given as an id or a build ARN of the caller's account; undefined otherwise. */
export function buildIdOf(
  scope: { accountId: string; region: string },
  idOrArn: string,
): string | undefined {
  const prefix = `arn:aws:codebuild:${scope.region}:${scope.accountId}:build/`;
  if (idOrArn.startsWith('arn:')) {
    return idOrArn.startsWith(prefix) ? idOrArn.slice(prefix.length) : undefined;
  }
  return idOrArn;
}

/** The queue build jobs go on; the payload is `{ buildId }`. */
export const buildJobQueue = 'builds';

export interface BuildJobPayload {
  readonly [key: string]: string;
  readonly buildId: string;
}
