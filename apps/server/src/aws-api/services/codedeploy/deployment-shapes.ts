import {
  countDeploymentTargets,
  type Deployment,
  type DeploymentTarget,
  type LifecycleEvent,
} from '@slipway/core';
import { optionalSeconds, seconds } from './codedeploy-context.ts';
import { revisionLocationShape } from './resource-shapes.ts';

/**
 * Deployments and their instances in CodeDeploy's wire shapes (botocore codedeploy 2014-10-06
 * `DeploymentInfo`, `InstanceTarget`, the deprecated `InstanceSummary`): timestamps in epoch
 * seconds; Slipway's deployments are in-place, on the Server platform, without a load balancer.
 */

/** botocore `DeploymentInfo`; `deploymentOverview` counts the instances by status. */
export function deploymentInfoShape(deployment: Deployment) {
  const counts = countDeploymentTargets(deployment.targets.map((t) => t.status));
  return {
    applicationName: deployment.applicationName,
    deploymentGroupName: deployment.deploymentGroupName,
    deploymentConfigName: deployment.deploymentConfigName,
    deploymentId: deployment.deploymentId,
    previousRevision:
      deployment.previousRevision === undefined
        ? undefined
        : revisionLocationShape(deployment.previousRevision),
    revision: revisionLocationShape(deployment.revision),
    status: deployment.status,
    errorInformation:
      deployment.errorInformation === undefined
        ? undefined
        : {
            code: deployment.errorInformation.code,
            message: deployment.errorInformation.message,
          },
    createTime: seconds(deployment.createTime),
    startTime: optionalSeconds(deployment.startTime),
    completeTime: optionalSeconds(deployment.completeTime),
    deploymentOverview: {
      Pending: counts.Pending,
      InProgress: counts.InProgress,
      Succeeded: counts.Succeeded,
      Failed: counts.Failed,
      Skipped: counts.Skipped,
      Ready: counts.Ready,
    },
    description: deployment.description,
    creator: deployment.creator,
    ignoreApplicationStopFailures: deployment.ignoreApplicationStopFailures,
    autoRollbackConfiguration: {
      enabled: deployment.autoRollbackConfiguration.enabled,
      events: [...deployment.autoRollbackConfiguration.events],
    },
    updateOutdatedInstancesOnly: false,
    rollbackInfo:
      deployment.rollbackInfo === undefined
        ? undefined
        : {
            rollbackDeploymentId: deployment.rollbackInfo.rollbackDeploymentId,
            rollbackTriggeringDeploymentId: deployment.rollbackInfo.rollbackTriggeringDeploymentId,
            rollbackMessage: deployment.rollbackInfo.rollbackMessage,
          },
    deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
    instanceTerminationWaitTimeStarted: false,
    fileExistsBehavior: deployment.fileExistsBehavior,
    deploymentStatusMessages: [],
    computePlatform: 'Server',
    externalId: deployment.externalId,
  };
}

/** botocore `LifecycleEvent`. */
export function lifecycleEventShape(event: LifecycleEvent) {
  return {
    lifecycleEventName: event.lifecycleEventName,
    diagnostics:
      event.diagnostics === undefined
        ? undefined
        : {
            errorCode: event.diagnostics.errorCode,
            scriptName: event.diagnostics.scriptName,
            message: event.diagnostics.message,
            logTail: event.diagnostics.logTail,
          },
    startTime: optionalSeconds(event.startTime),
    endTime: optionalSeconds(event.endTime),
    status: event.status,
  };
}

/** botocore `DeploymentTarget` of type InstanceTarget (no blue/green `instanceLabel`). */
export function deploymentTargetShape(deploymentId: string, target: DeploymentTarget) {
  return {
    deploymentTargetType: 'InstanceTarget',
    instanceTarget: {
      deploymentId,
      targetId: target.targetId,
      targetArn: target.targetArn,
      status: target.status,
      lastUpdatedAt: seconds(target.lastUpdatedAt),
      lifecycleEvents: target.lifecycleEvents.map(lifecycleEventShape),
    },
  };
}

/**
 * The deprecated botocore `InstanceSummary`. Its `instanceId` is the instance's ARN, as AWS
 * answers (an EC2 instance's is `arn:aws:ec2:…:instance/i-…`); `instanceType` is for blue/green
 * and omitted.
 */
export function instanceSummaryShape(deploymentId: string, target: DeploymentTarget) {
  return {
    deploymentId,
    instanceId: target.targetArn,
    status: target.status,
    lastUpdatedAt: seconds(target.lastUpdatedAt),
    lifecycleEvents: target.lifecycleEvents.map(lifecycleEventShape),
  };
}
