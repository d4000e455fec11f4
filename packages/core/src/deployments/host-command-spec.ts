import type { FileExistsBehavior, S3RevisionLocation } from './deployment.model.ts';

/**
 * What an agent needs to run a deployment's commands on its host: the deployment specification
 * of CodeDeploy's agent protocol (reference §5.9), plus a presigned URL for the bundle. The
 * host-command door renders it as the envelope's JSON payload.
 */
export interface DeploymentSpecification {
  readonly deploymentId: string;
  readonly deploymentGroupId: string;
  readonly deploymentGroupName: string;
  readonly applicationName: string;
  readonly deploymentCreator: string;
  readonly appSpecFilename: string;
  readonly lifecycleEvents: readonly string[];
  readonly fileExistsBehavior: FileExistsBehavior;
  readonly ignoreApplicationStopFailures: boolean;
  readonly revision: S3RevisionLocation;
  readonly bundleUrl: string;
}
