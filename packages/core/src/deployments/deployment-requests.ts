import type { DeploymentApplication } from './application.model.ts';
import type { DeploymentGroup } from './deployment-group.model.ts';
import type { Deployment, DeploymentTarget, RevisionLocation } from './deployment.model.ts';
import type { DeploymentGroupRuntime } from './deployments.ports.ts';
import type { ApplicationRevision } from './revision.model.ts';

/**
 * Request and answer shapes of the deployments service that are not models. Inputs are as the
 * door parsed them (botocore member names, nothing trusted yet): the service validates.
 */

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextToken?: string | undefined;
}

/** GetDeploymentGroup's group: its settings and what its deployments left on it. */
export interface DeploymentGroupInfo {
  readonly group: DeploymentGroup;
  readonly runtime: DeploymentGroupRuntime;
}

/** BatchGet answers: what was found and, CodeDeploy-style, a message for what was not. */
export interface BatchResult<T> {
  readonly found: readonly T[];
  readonly errorMessage?: string | undefined;
}

export interface RegisterRevisionInput {
  readonly applicationName?: unknown;
  readonly description?: unknown;
  readonly revision?: unknown;
}

export interface GetRevisionInput {
  readonly applicationName?: unknown;
  readonly revision?: unknown;
}

export interface ListRevisionsInput {
  readonly applicationName?: unknown;
  readonly sortBy?: unknown;
  readonly sortOrder?: unknown;
  readonly s3Bucket?: unknown;
  readonly s3KeyPrefix?: unknown;
  readonly deployed?: unknown;
  readonly nextToken?: unknown;
}

export interface RevisionInfo {
  readonly applicationName: string;
  readonly revision: RevisionLocation;
  readonly revisionInfo: ApplicationRevision;
}

export interface CreateDeploymentInput {
  readonly applicationName?: unknown;
  readonly deploymentGroupName?: unknown;
  readonly revision?: unknown;
  readonly deploymentConfigName?: unknown;
  readonly description?: unknown;
  readonly ignoreApplicationStopFailures?: unknown;
  readonly targetInstances?: unknown;
  readonly autoRollbackConfiguration?: unknown;
  readonly updateOutdatedInstancesOnly?: unknown;
  readonly fileExistsBehavior?: unknown;
  readonly overrideAlarmConfiguration?: unknown;
}

/** Who creates a deployment, beyond the caller's input (a pipeline action names itself). */
export interface DeploymentOrigin {
  readonly creator?: 'user' | 'CodePipeline';
  readonly externalId?: string;
}

export interface ListDeploymentsInput {
  readonly applicationName?: unknown;
  readonly deploymentGroupName?: unknown;
  readonly externalId?: unknown;
  readonly includeOnlyStatuses?: unknown;
  readonly createTimeRange?: unknown;
  readonly nextToken?: unknown;
}

export interface StopDeploymentInput {
  readonly deploymentId?: unknown;
  readonly autoRollbackEnabled?: unknown;
}

export interface StopDeploymentResult {
  readonly status: 'Pending' | 'Succeeded';
  readonly statusMessage: string;
}

export interface ListTargetsInput {
  readonly deploymentId?: unknown;
  /** ListDeploymentTargets `targetFilters` {TargetStatus: [...], ServerInstanceLabel: [...]}. */
  readonly targetFilters?: unknown;
  readonly nextToken?: unknown;
}

export interface ListInstancesInput {
  readonly deploymentId?: unknown;
  readonly instanceStatusFilter?: unknown;
  readonly instanceTypeFilter?: unknown;
  readonly nextToken?: unknown;
}

export interface TargetsOfDeployment {
  readonly deployment: Deployment;
  readonly targets: readonly DeploymentTarget[];
  /** Ids asked for that the deployment does not have (BatchGetDeploymentInstances only). */
  readonly missing: readonly string[];
}

export interface ListOnPremisesInput {
  readonly registrationStatus?: unknown;
  readonly tagFilters?: unknown;
  readonly nextToken?: unknown;
}

export type { DeploymentApplication };
