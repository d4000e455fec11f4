import type { MinimumHealthyHosts } from './deployment-config.model.ts';
import type { AutoRollbackConfiguration } from './deployment-group.model.ts';
import type { DeploymentTargetStatus } from './deployment-health.ts';

/**
 * A deployment is one document (decision 15), advanced by a pure engine inside the store's
 * transaction, the way pipeline executions are (decision 14). Field names follow botocore
 * codedeploy 2014-10-06 `DeploymentInfo` and `InstanceTarget`; times are epoch milliseconds.
 */

/** botocore `DeploymentStatus`. Ready and Baking belong to blue/green, which Slipway refuses. */
export const DeploymentStatus = {
  Created: 'Created',
  Queued: 'Queued',
  InProgress: 'InProgress',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  Stopped: 'Stopped',
} as const;
export type DeploymentStatus = (typeof DeploymentStatus)[keyof typeof DeploymentStatus];
export const terminalDeploymentStatuses: ReadonlySet<DeploymentStatus> = new Set([
  DeploymentStatus.Succeeded,
  DeploymentStatus.Failed,
  DeploymentStatus.Stopped,
]);
export const deploymentStatuses: readonly DeploymentStatus[] = Object.values(DeploymentStatus);

/** botocore `LifecycleEventStatus`. */
export const LifecycleEventStatus = {
  Pending: 'Pending',
  InProgress: 'InProgress',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  Skipped: 'Skipped',
  Unknown: 'Unknown',
} as const;
export type LifecycleEventStatus = (typeof LifecycleEventStatus)[keyof typeof LifecycleEventStatus];

/** botocore `LifecycleErrorCode`. */
export const LifecycleErrorCode = {
  Success: 'Success',
  ScriptMissing: 'ScriptMissing',
  ScriptNotExecutable: 'ScriptNotExecutable',
  ScriptTimedOut: 'ScriptTimedOut',
  ScriptFailed: 'ScriptFailed',
  UnknownError: 'UnknownError',
} as const;
export type LifecycleErrorCode = (typeof LifecycleErrorCode)[keyof typeof LifecycleErrorCode];

/** botocore `Diagnostics`; `logTail` is at most the last 4 KiB of the hook's output. */
export interface LifecycleDiagnostics {
  readonly errorCode: LifecycleErrorCode;
  readonly scriptName: string;
  readonly message: string;
  readonly logTail: string;
}

/** CodeDeploy keeps "up to the last 4 KB of the diagnostic log" (botocore `Diagnostics.logTail`). */
export const maxLogTailBytes = 4096;

export interface LifecycleEvent {
  readonly lifecycleEventName: string;
  readonly status: LifecycleEventStatus;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly diagnostics?: LifecycleDiagnostics;
}

/**
 * The in-place lifecycle without a load balancer (reference §5.3), each event a host command.
 * The agent runs ApplicationStop from the last successful revision on that host, and reports an
 * event with no scripts as Succeeded at once.
 */
export const inPlaceLifecycleEvents = [
  'ApplicationStop',
  'DownloadBundle',
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
] as const;
export type HostCommandName = (typeof inPlaceLifecycleEvents)[number];

/** One instance of a deployment (botocore `InstanceTarget`; `targetId` is the instance name). */
export interface DeploymentTarget {
  readonly targetId: string;
  readonly targetArn: string;
  /** The instance's IAM ARN: the HostIdentifier its agent polls with. */
  readonly hostIdentifier: string;
  readonly status: DeploymentTargetStatus;
  readonly lastUpdatedAt: number;
  readonly lifecycleEvents: readonly LifecycleEvent[];
  /** The host command job running the current event, when one is. */
  readonly commandJobId?: string;
}

/** botocore `S3Location`, the only revision type Slipway deploys. */
export interface S3RevisionLocation {
  readonly bucket: string;
  readonly key: string;
  readonly bundleType: 'zip' | 'tar' | 'tgz';
  readonly version?: string;
  readonly eTag?: string;
}

/** botocore `RevisionLocation` for `revisionType: S3`. */
export interface RevisionLocation {
  readonly revisionType: 'S3';
  readonly s3Location: S3RevisionLocation;
}

/** botocore `ErrorInformation`. */
export interface DeploymentErrorInformation {
  readonly code: string;
  readonly message: string;
}

/** botocore `RollbackInfo`. */
export interface RollbackInfo {
  readonly rollbackDeploymentId?: string;
  readonly rollbackTriggeringDeploymentId?: string;
  readonly rollbackMessage?: string;
}

/** botocore `DeploymentCreator` values Slipway uses. */
export const DeploymentCreator = {
  User: 'user',
  CodeDeployRollback: 'codeDeployRollback',
  CodePipeline: 'CodePipeline',
} as const;
export type DeploymentCreator = (typeof DeploymentCreator)[keyof typeof DeploymentCreator];

/** botocore `FileExistsBehavior`. */
export const FileExistsBehavior = {
  Disallow: 'DISALLOW',
  Overwrite: 'OVERWRITE',
  Retain: 'RETAIN',
} as const;
export type FileExistsBehavior = (typeof FileExistsBehavior)[keyof typeof FileExistsBehavior];
export const fileExistsBehaviors: readonly FileExistsBehavior[] = Object.values(FileExistsBehavior);

/** StopDeployment's request, kept until the engine has acted on it. */
export interface StopRequest {
  readonly autoRollbackEnabled: boolean | undefined;
  readonly requestedAt: number;
}

export interface Deployment {
  readonly deploymentId: string;
  readonly accountId: string;
  readonly region: string;
  readonly applicationName: string;
  readonly applicationId: string;
  readonly deploymentGroupName: string;
  readonly deploymentGroupId: string;
  readonly deploymentConfigName: string;
  /** The configuration's rule as it was when the deployment was created. */
  readonly minimumHealthyHosts: MinimumHealthyHosts;
  readonly revision: RevisionLocation;
  /**
   * The bundle's version when the revision names none and its bucket is versioned, found at
   * creation: every host downloads the same bytes, and a rollback redeploys them even after the
   * key was overwritten.
   */
  readonly bundleVersionId?: string;
  /** The group's target revision before this deployment (botocore `previousRevision`). */
  readonly previousRevision?: RevisionLocation;
  readonly status: DeploymentStatus;
  readonly errorInformation?: DeploymentErrorInformation;
  readonly createTime: number;
  readonly startTime?: number;
  readonly completeTime?: number;
  readonly description?: string;
  readonly creator: DeploymentCreator;
  readonly ignoreApplicationStopFailures: boolean;
  readonly fileExistsBehavior: FileExistsBehavior;
  /** The deployment's own override, else the group's setting at creation. */
  readonly autoRollbackConfiguration: AutoRollbackConfiguration;
  readonly rollbackInfo?: RollbackInfo;
  /** The pipeline action or other caller that made it (botocore `externalId`). */
  readonly externalId?: string;
  readonly stopRequest?: StopRequest;
  /** Every instance the deployment targets, in the order they are deployed to. */
  readonly targets: readonly DeploymentTarget[];
  /** Optimistic-concurrency version, the store's. */
  readonly version: number;
}

/** What a host command job carries: enough for the agent-facing door to answer without a read. */
export interface HostCommandPayload {
  readonly deploymentId: string;
  readonly targetId: string;
  readonly commandName: HostCommandName;
}

/**
 * Host commands for an instance are claimed from this queue. Instance names are unique per
 * account and region only, so the queue names both.
 */
export function hostCommandQueue(accountId: string, region: string, instanceName: string): string {
  return `host:${accountId}:${region}:${instanceName}`;
}

export function isHostCommandQueue(queue: string): boolean {
  return queue.startsWith('host:');
}

/** Deployment ids look like CodeDeploy's: `d-` and nine upper-case letters or digits. */
export const deploymentIdPattern = /^d-[A-Z0-9]{9}$/;
