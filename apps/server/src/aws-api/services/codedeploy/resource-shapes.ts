import type {
  DeploymentApplication,
  DeploymentConfig,
  DeploymentGroupInfo,
  LastDeploymentInfo,
  OnPremisesInstance,
  RevisionInfo,
  RevisionLocation,
} from '@slipway/core';
import { optionalSeconds, seconds } from './codedeploy-context.ts';

/**
 * Applications, deployment groups, configurations, revisions and on-premises instances in
 * CodeDeploy's wire shapes (botocore codedeploy 2014-10-06): timestamps in epoch seconds,
 * optional members left undefined so they are omitted, Slipway's bookkeeping left out.
 */

/** botocore `ApplicationInfo`; Slipway applications are never linked to GitHub. */
export function applicationShape(application: DeploymentApplication) {
  return {
    applicationId: application.applicationId,
    applicationName: application.applicationName,
    createTime: seconds(application.createTime),
    linkedToGitHub: application.linkedToGitHub,
    computePlatform: application.computePlatform,
  };
}

/** botocore `RevisionLocation`, S3 the only type Slipway keeps. */
export function revisionLocationShape(revision: RevisionLocation) {
  const s3 = revision.s3Location;
  return {
    revisionType: revision.revisionType,
    s3Location: {
      bucket: s3.bucket,
      key: s3.key,
      bundleType: s3.bundleType,
      version: s3.version,
      eTag: s3.eTag,
    },
  };
}

/** botocore `GenericRevisionInfo`. */
export function genericRevisionInfoShape(info: RevisionInfo['revisionInfo']) {
  return {
    description: info.description,
    deploymentGroups: [...info.deploymentGroups],
    firstUsedTime: optionalSeconds(info.firstUsedTime),
    lastUsedTime: optionalSeconds(info.lastUsedTime),
    registerTime: seconds(info.registerTime),
  };
}

function lastDeploymentShape(last: LastDeploymentInfo | undefined) {
  if (last === undefined) return undefined;
  return {
    deploymentId: last.deploymentId,
    status: last.status,
    endTime: optionalSeconds(last.endTime),
    createTime: seconds(last.createTime),
  };
}

/**
 * botocore `DeploymentGroupInfo`: the group's settings, what its deployments left on it, and the
 * EC2, Auto Scaling and ECS members empty (Slipway deploys to on-premises instances only). No
 * load balancer or blue/green configuration: those members are omitted.
 */
export function deploymentGroupInfoShape({ group, runtime }: DeploymentGroupInfo) {
  return {
    applicationName: group.applicationName,
    deploymentGroupId: group.deploymentGroupId,
    deploymentGroupName: group.deploymentGroupName,
    deploymentConfigName: group.deploymentConfigName,
    ec2TagFilters: [],
    onPremisesInstanceTagFilters: group.onPremisesInstanceTagFilters.map((f) => ({ ...f })),
    autoScalingGroups: [],
    serviceRoleArn: group.serviceRoleArn,
    targetRevision:
      runtime.targetRevision === undefined
        ? undefined
        : revisionLocationShape(runtime.targetRevision),
    triggerConfigurations: group.triggerConfigurations.map((t) => ({
      triggerName: t.triggerName,
      triggerTargetArn: t.triggerTargetArn,
      triggerEvents: [...t.triggerEvents],
    })),
    alarmConfiguration: {
      enabled: group.alarmConfiguration.enabled,
      ignorePollAlarmFailure: group.alarmConfiguration.ignorePollAlarmFailure,
      alarms: group.alarmConfiguration.alarms.map((a) => ({ name: a.name })),
    },
    autoRollbackConfiguration: {
      enabled: group.autoRollbackConfiguration.enabled,
      events: [...group.autoRollbackConfiguration.events],
    },
    deploymentStyle: { ...group.deploymentStyle },
    outdatedInstancesStrategy: group.outdatedInstancesStrategy,
    lastSuccessfulDeployment: lastDeploymentShape(runtime.lastSuccessfulDeployment),
    lastAttemptedDeployment: lastDeploymentShape(runtime.lastAttemptedDeployment),
    ec2TagSet: { ec2TagSetList: [] },
    onPremisesTagSet: {
      onPremisesTagSetList: group.onPremisesTagSet.onPremisesTagSetList.map((filters) =>
        filters.map((f) => ({ ...f })),
      ),
    },
    computePlatform: group.computePlatform,
    terminationHookEnabled: false,
  };
}

/** botocore `DeploymentConfigInfo`; Server configurations have no traffic routing or zones. */
export function deploymentConfigInfoShape(config: DeploymentConfig) {
  return {
    deploymentConfigId: config.id,
    deploymentConfigName: config.name,
    minimumHealthyHosts: {
      type: config.minimumHealthyHosts.type,
      value: config.minimumHealthyHosts.value,
    },
    createTime: seconds(config.createTime),
    computePlatform: config.computePlatform,
  };
}

/** botocore `InstanceInfo`. */
export function instanceInfoShape(instance: OnPremisesInstance) {
  return {
    instanceName: instance.instanceName,
    iamSessionArn: instance.iamSessionArn,
    iamUserArn: instance.iamUserArn,
    instanceArn: instance.instanceArn,
    registerTime: seconds(instance.registerTime),
    deregisterTime: optionalSeconds(instance.deregisterTime),
    tags: instance.tags.map((t) => ({ Key: t.Key, Value: t.Value })),
  };
}
