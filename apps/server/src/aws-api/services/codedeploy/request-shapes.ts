import {
  boolean,
  integer,
  list,
  map,
  string,
  structure,
  timestamp,
} from '../codepipeline/wire-schema.ts';

/**
 * CodeDeploy's request shapes, member for member from botocore's model (codedeploy 2014-10-06,
 * service-2.json), types only: a member of the wrong JSON type is a SerializationException, as
 * AWS answers. CodeDeploy's model declares no ValidationException, so required members, lengths
 * and enums are the service's to check: it answers each with CodeDeploy's own exception
 * (ApplicationNameRequiredException, InvalidDeploymentStatusException …). The names are the
 * model's shape names; timestamps are read into epoch milliseconds.
 */

const text = string();

const Tag = structure({ Key: text, Value: text });
const TagList = list(Tag);
const ApplicationsList = list(text);
const S3Location = structure({
  bucket: text,
  key: text,
  bundleType: text,
  version: text,
  eTag: text,
});
const GitHubLocation = structure({ repository: text, commitId: text });
const RawString = structure({ content: text, sha256: text });
const AppSpecContent = structure({ content: text, sha256: text });
const RevisionLocation = structure({
  revisionType: text,
  s3Location: S3Location,
  gitHubLocation: GitHubLocation,
  string: RawString,
  appSpecContent: AppSpecContent,
});
const RevisionLocationList = list(RevisionLocation);
const EC2TagFilter = structure({ Key: text, Value: text, Type: text });
const EC2TagFilterList = list(EC2TagFilter);
const TagFilter = structure({ Key: text, Value: text, Type: text });
const TagFilterList = list(TagFilter);
const AutoScalingGroupNameList = list(text);
const TriggerEventTypeList = list(text);
const TriggerConfig = structure({
  triggerName: text,
  triggerTargetArn: text,
  triggerEvents: TriggerEventTypeList,
});
const TriggerConfigList = list(TriggerConfig);
const Alarm = structure({ name: text });
const AlarmList = list(Alarm);
const AlarmConfiguration = structure({
  enabled: boolean,
  ignorePollAlarmFailure: boolean,
  alarms: AlarmList,
});
const AutoRollbackEventsList = list(text);
const AutoRollbackConfiguration = structure({ enabled: boolean, events: AutoRollbackEventsList });
const DeploymentStyle = structure({ deploymentType: text, deploymentOption: text });
const BlueInstanceTerminationOption = structure({
  action: text,
  terminationWaitTimeInMinutes: integer(),
});
const DeploymentReadyOption = structure({ actionOnTimeout: text, waitTimeInMinutes: integer() });
const GreenFleetProvisioningOption = structure({ action: text });
const BlueGreenDeploymentConfiguration = structure({
  terminateBlueInstancesOnDeploymentSuccess: BlueInstanceTerminationOption,
  deploymentReadyOption: DeploymentReadyOption,
  greenFleetProvisioningOption: GreenFleetProvisioningOption,
});
const ELBInfo = structure({ name: text });
const ELBInfoList = list(ELBInfo);
const TargetGroupInfo = structure({ name: text });
const TargetGroupInfoList = list(TargetGroupInfo);
const ListenerArnList = list(text);
const TrafficRoute = structure({ listenerArns: ListenerArnList });
const TargetGroupPairInfo = structure({
  targetGroups: TargetGroupInfoList,
  prodTrafficRoute: TrafficRoute,
  testTrafficRoute: TrafficRoute,
});
const TargetGroupPairInfoList = list(TargetGroupPairInfo);
const LoadBalancerInfo = structure({
  elbInfoList: ELBInfoList,
  targetGroupInfoList: TargetGroupInfoList,
  targetGroupPairInfoList: TargetGroupPairInfoList,
});
const EC2TagSetList = list(EC2TagFilterList);
const EC2TagSet = structure({ ec2TagSetList: EC2TagSetList });
const ECSService = structure({ serviceName: text, clusterName: text });
const ECSServiceList = list(ECSService);
const OnPremisesTagSetList = list(TagFilterList);
const OnPremisesTagSet = structure({ onPremisesTagSetList: OnPremisesTagSetList });
const DeploymentGroupsList = list(text);
const MinimumHealthyHosts = structure({ type: text, value: integer() });
const TimeBasedCanary = structure({ canaryPercentage: integer(), canaryInterval: integer() });
const TimeBasedLinear = structure({ linearPercentage: integer(), linearInterval: integer() });
const TrafficRoutingConfig = structure({
  type: text,
  timeBasedCanary: TimeBasedCanary,
  timeBasedLinear: TimeBasedLinear,
});
const MinimumHealthyHostsPerZone = structure({ type: text, value: integer() });
const ZonalConfig = structure({
  firstZoneMonitorDurationInSeconds: integer(),
  monitorDurationInSeconds: integer(),
  minimumHealthyHostsPerZone: MinimumHealthyHostsPerZone,
});
const TargetInstances = structure({
  tagFilters: EC2TagFilterList,
  autoScalingGroups: AutoScalingGroupNameList,
  ec2TagSet: EC2TagSet,
});
const DeploymentsList = list(text);
const DeploymentStatusList = list(text);
const TimeRange = structure({ start: timestamp, end: timestamp });
const InstanceStatusList = list(text);
const InstanceTypeList = list(text);
const InstancesList = list(text);
const FilterValueList = list(text);
const TargetFilters = map(text, FilterValueList);
const TargetIdList = list(text);
const InstanceNameList = list(text);
const TagKeyList = list(text);

export const requestShapes = {
  CreateApplication: structure({ applicationName: text, computePlatform: text, tags: TagList }),
  GetApplication: structure({ applicationName: text }),
  BatchGetApplications: structure({ applicationNames: ApplicationsList }),
  ListApplications: structure({ nextToken: text }),
  UpdateApplication: structure({ applicationName: text, newApplicationName: text }),
  DeleteApplication: structure({ applicationName: text }),
  RegisterApplicationRevision: structure({
    applicationName: text,
    description: text,
    revision: RevisionLocation,
  }),
  GetApplicationRevision: structure({ applicationName: text, revision: RevisionLocation }),
  BatchGetApplicationRevisions: structure({
    applicationName: text,
    revisions: RevisionLocationList,
  }),
  ListApplicationRevisions: structure({
    applicationName: text,
    sortBy: text,
    sortOrder: text,
    s3Bucket: text,
    s3KeyPrefix: text,
    deployed: text,
    nextToken: text,
  }),
  CreateDeploymentGroup: structure({
    applicationName: text,
    deploymentGroupName: text,
    deploymentConfigName: text,
    ec2TagFilters: EC2TagFilterList,
    onPremisesInstanceTagFilters: TagFilterList,
    autoScalingGroups: AutoScalingGroupNameList,
    serviceRoleArn: text,
    triggerConfigurations: TriggerConfigList,
    alarmConfiguration: AlarmConfiguration,
    autoRollbackConfiguration: AutoRollbackConfiguration,
    outdatedInstancesStrategy: text,
    deploymentStyle: DeploymentStyle,
    blueGreenDeploymentConfiguration: BlueGreenDeploymentConfiguration,
    loadBalancerInfo: LoadBalancerInfo,
    ec2TagSet: EC2TagSet,
    ecsServices: ECSServiceList,
    onPremisesTagSet: OnPremisesTagSet,
    tags: TagList,
    terminationHookEnabled: boolean,
  }),
  GetDeploymentGroup: structure({ applicationName: text, deploymentGroupName: text }),
  BatchGetDeploymentGroups: structure({
    applicationName: text,
    deploymentGroupNames: DeploymentGroupsList,
  }),
  ListDeploymentGroups: structure({ applicationName: text, nextToken: text }),
  UpdateDeploymentGroup: structure({
    applicationName: text,
    currentDeploymentGroupName: text,
    newDeploymentGroupName: text,
    deploymentConfigName: text,
    ec2TagFilters: EC2TagFilterList,
    onPremisesInstanceTagFilters: TagFilterList,
    autoScalingGroups: AutoScalingGroupNameList,
    serviceRoleArn: text,
    triggerConfigurations: TriggerConfigList,
    alarmConfiguration: AlarmConfiguration,
    autoRollbackConfiguration: AutoRollbackConfiguration,
    outdatedInstancesStrategy: text,
    deploymentStyle: DeploymentStyle,
    blueGreenDeploymentConfiguration: BlueGreenDeploymentConfiguration,
    loadBalancerInfo: LoadBalancerInfo,
    ec2TagSet: EC2TagSet,
    ecsServices: ECSServiceList,
    onPremisesTagSet: OnPremisesTagSet,
    terminationHookEnabled: boolean,
  }),
  DeleteDeploymentGroup: structure({ applicationName: text, deploymentGroupName: text }),
  CreateDeploymentConfig: structure({
    deploymentConfigName: text,
    minimumHealthyHosts: MinimumHealthyHosts,
    trafficRoutingConfig: TrafficRoutingConfig,
    computePlatform: text,
    zonalConfig: ZonalConfig,
  }),
  GetDeploymentConfig: structure({ deploymentConfigName: text }),
  ListDeploymentConfigs: structure({ nextToken: text }),
  DeleteDeploymentConfig: structure({ deploymentConfigName: text }),
  CreateDeployment: structure({
    applicationName: text,
    deploymentGroupName: text,
    revision: RevisionLocation,
    deploymentConfigName: text,
    description: text,
    ignoreApplicationStopFailures: boolean,
    targetInstances: TargetInstances,
    autoRollbackConfiguration: AutoRollbackConfiguration,
    updateOutdatedInstancesOnly: boolean,
    fileExistsBehavior: text,
    overrideAlarmConfiguration: AlarmConfiguration,
  }),
  GetDeployment: structure({ deploymentId: text }),
  BatchGetDeployments: structure({ deploymentIds: DeploymentsList }),
  ListDeployments: structure({
    applicationName: text,
    deploymentGroupName: text,
    externalId: text,
    includeOnlyStatuses: DeploymentStatusList,
    createTimeRange: TimeRange,
    nextToken: text,
  }),
  StopDeployment: structure({ deploymentId: text, autoRollbackEnabled: boolean }),
  ContinueDeployment: structure({ deploymentId: text, deploymentWaitType: text }),
  SkipWaitTimeForInstanceTermination: structure({ deploymentId: text }),
  PutLifecycleEventHookExecutionStatus: structure({
    deploymentId: text,
    lifecycleEventHookExecutionId: text,
    status: text,
  }),
  ListDeploymentInstances: structure({
    deploymentId: text,
    nextToken: text,
    instanceStatusFilter: InstanceStatusList,
    instanceTypeFilter: InstanceTypeList,
  }),
  GetDeploymentInstance: structure({ deploymentId: text, instanceId: text }),
  BatchGetDeploymentInstances: structure({ deploymentId: text, instanceIds: InstancesList }),
  ListDeploymentTargets: structure({
    deploymentId: text,
    nextToken: text,
    targetFilters: TargetFilters,
  }),
  BatchGetDeploymentTargets: structure({ deploymentId: text, targetIds: TargetIdList }),
  GetDeploymentTarget: structure({ deploymentId: text, targetId: text }),
  RegisterOnPremisesInstance: structure({
    instanceName: text,
    iamSessionArn: text,
    iamUserArn: text,
  }),
  DeregisterOnPremisesInstance: structure({ instanceName: text }),
  GetOnPremisesInstance: structure({ instanceName: text }),
  BatchGetOnPremisesInstances: structure({ instanceNames: InstanceNameList }),
  ListOnPremisesInstances: structure({
    registrationStatus: text,
    tagFilters: TagFilterList,
    nextToken: text,
  }),
  AddTagsToOnPremisesInstances: structure({ tags: TagList, instanceNames: InstanceNameList }),
  RemoveTagsFromOnPremisesInstances: structure({ tags: TagList, instanceNames: InstanceNameList }),
  TagResource: structure({ ResourceArn: text, Tags: TagList }),
  UntagResource: structure({ ResourceArn: text, TagKeys: TagKeyList }),
  ListTagsForResource: structure({ ResourceArn: text, NextToken: text }),
  ListGitHubAccountTokenNames: structure({ nextToken: text }),
  DeleteGitHubAccountToken: structure({ tokenName: text }),
};
