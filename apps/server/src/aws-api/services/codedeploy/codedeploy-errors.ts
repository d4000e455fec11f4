import { DeploymentsSubject as S } from '@slipway/core';
import { commonJsonErrors, type AwsErrorSpec, type AwsErrorTable } from '../../error-table.ts';

// botocore's model gives CodeDeploy's exceptions no HTTP status: all are client errors (400).
const e = (code: string): AwsErrorSpec => ({ code, status: 400 });
const invalidInput = e('InvalidInputException');

/**
 * CodeDeploy's wire errors by kind × subject, as the header of deployments.errors.ts tabulates
 * them (codes from botocore codedeploy 2014-10-06). A subject this table does not know falls
 * back per kind to a code CodeDeploy's model has: InvalidInputException for bad input and
 * clashes, InvalidOperationException for conflicts.
 */
export const codedeployErrors: AwsErrorTable = {
  ...commonJsonErrors,
  NotFound: {
    byResource: {
      [S.DeploymentConfig]: e('DeploymentConfigDoesNotExistException'),
      [S.Application]: e('ApplicationDoesNotExistException'),
      [S.DeploymentGroup]: e('DeploymentGroupDoesNotExistException'),
      [S.Instance]: e('InstanceNotRegisteredException'),
      [S.Deployment]: e('DeploymentDoesNotExistException'),
      [S.RevisionMissing]: e('RevisionDoesNotExistException'),
      [S.DeploymentInstance]: e('InstanceDoesNotExistException'),
      [S.DeploymentTarget]: e('DeploymentTargetDoesNotExistException'),
      // The agent-facing host-command door's; never raised by CodeDeploy operations.
      [S.HostCommand]: e('ResourceNotFoundException'),
    },
    otherwise: e('ResourceNotFoundException'),
  },
  AlreadyExists: {
    byResource: {
      [S.DeploymentConfig]: e('DeploymentConfigAlreadyExistsException'),
      [S.Application]: e('ApplicationAlreadyExistsException'),
      [S.DeploymentGroup]: e('DeploymentGroupAlreadyExistsException'),
      [S.Instance]: e('InstanceNameAlreadyRegisteredException'),
      [S.IamUserArn]: e('IamUserArnAlreadyRegisteredException'),
      [S.IamSessionArn]: e('IamSessionArnAlreadyRegisteredException'),
    },
    otherwise: invalidInput,
  },
  InvalidInput: {
    byResource: {
      [S.DeploymentConfigNameRequired]: e('DeploymentConfigNameRequiredException'),
      [S.DeploymentConfigName]: e('InvalidDeploymentConfigNameException'),
      [S.MinimumHealthyHosts]: e('InvalidMinimumHealthyHostValueException'),
      [S.ComputePlatform]: e('InvalidComputePlatformException'),
      [S.TrafficRoutingConfig]: e('InvalidTrafficRoutingConfigurationException'),
      [S.ZonalConfig]: e('InvalidZonalDeploymentConfigurationException'),
      [S.PredefinedDeploymentConfig]: e('InvalidOperationException'),
      [S.NextToken]: e('InvalidNextTokenException'),
      [S.ApplicationNameRequired]: e('ApplicationNameRequiredException'),
      [S.ApplicationName]: e('InvalidApplicationNameException'),
      [S.TagsToAdd]: e('InvalidTagsToAddException'),
      [S.DeploymentGroupNameRequired]: e('DeploymentGroupNameRequiredException'),
      [S.DeploymentGroupName]: e('InvalidDeploymentGroupNameException'),
      [S.RoleRequired]: e('RoleRequiredException'),
      [S.Role]: e('InvalidRoleException'),
      [S.Tag]: e('InvalidTagException'),
      [S.OnPremisesTagCombination]: e('InvalidOnPremisesTagCombinationException'),
      [S.TagSetListLimit]: e('TagSetListLimitExceededException'),
      [S.Ec2Tag]: e('InvalidEC2TagException'),
      [S.AutoScalingGroup]: e('InvalidAutoScalingGroupException'),
      [S.TriggerConfig]: e('InvalidTriggerConfigException'),
      [S.TriggerTargetsLimit]: e('TriggerTargetsLimitExceededException'),
      [S.AlarmConfig]: e('InvalidAlarmConfigException'),
      [S.AlarmsLimit]: e('AlarmsLimitExceededException'),
      [S.AutoRollbackConfig]: e('InvalidAutoRollbackConfigException'),
      [S.DeploymentStyle]: e('InvalidDeploymentStyleException'),
      [S.LoadBalancerInfo]: e('InvalidLoadBalancerInfoException'),
      [S.BlueGreenConfig]: e('InvalidBlueGreenDeploymentConfigurationException'),
      [S.EcsService]: e('InvalidECSServiceException'),
      [S.Input]: invalidInput,
      [S.InstanceNameRequired]: e('InstanceNameRequiredException'),
      [S.InstanceName]: e('InvalidInstanceNameException'),
      [S.IamArnRequired]: e('IamArnRequiredException'),
      [S.MultipleIamArns]: e('MultipleIamArnsProvidedException'),
      [S.IamUserArn]: e('InvalidIamUserArnException'),
      [S.IamSessionArn]: e('InvalidIamSessionArnException'),
      [S.TagRequired]: e('TagRequiredException'),
      [S.TagLimit]: e('TagLimitExceededException'),
      [S.InstanceLimit]: e('InstanceLimitExceededException'),
      [S.DeploymentIdRequired]: e('DeploymentIdRequiredException'),
      [S.DeploymentId]: e('InvalidDeploymentIdException'),
      [S.RevisionRequired]: e('RevisionRequiredException'),
      [S.Revision]: e('InvalidRevisionException'),
      [S.Description]: e('DescriptionTooLongException'),
      [S.FileExistsBehavior]: e('InvalidFileExistsBehaviorException'),
      [S.TargetInstances]: e('InvalidTargetInstancesException'),
      [S.UpdateOutdatedInstancesOnly]: e('InvalidUpdateOutdatedInstancesOnlyValueException'),
      [S.IgnoreApplicationStopFailures]: e('InvalidIgnoreApplicationStopFailuresValueException'),
      [S.BatchLimit]: e('BatchLimitExceededException'),
      [S.TimeRange]: e('InvalidTimeRangeException'),
      [S.DeploymentStatus]: e('InvalidDeploymentStatusException'),
      [S.ExternalId]: e('InvalidExternalIdException'),
      [S.InstanceStatus]: e('InvalidInstanceStatusException'),
      [S.TargetFilterName]: e('InvalidTargetFilterNameException'),
      [S.InstanceIdRequired]: e('InstanceIdRequiredException'),
      [S.DeploymentTargetIdRequired]: e('DeploymentTargetIdRequiredException'),
      [S.DeploymentTargetId]: e('InvalidDeploymentTargetIdException'),
      [S.DeploymentTargetListSize]: e('DeploymentTargetListSizeExceededException'),
      [S.SortBy]: e('InvalidSortByException'),
      [S.SortOrder]: e('InvalidSortOrderException'),
      [S.BucketNameFilter]: e('InvalidBucketNameFilterException'),
      [S.BucketNameFilterRequired]: e('BucketNameFilterRequiredException'),
      [S.KeyPrefixFilter]: e('InvalidKeyPrefixFilterException'),
      [S.DeployedStateFilter]: e('InvalidDeployedStateFilterException'),
      [S.RegistrationStatus]: e('InvalidRegistrationStatusException'),
      [S.TagFilter]: e('InvalidTagFilterException'),
      [S.ResourceArnRequired]: e('ResourceArnRequiredException'),
      [S.Arn]: e('InvalidArnException'),
      [S.ArnNotSupported]: e('ArnNotSupportedException'),
    },
    otherwise: invalidInput,
  },
  Conflict: {
    byResource: {
      [S.DeploymentConfigInUse]: e('DeploymentConfigInUseException'),
      [S.DeploymentAlreadyCompleted]: e('DeploymentAlreadyCompletedException'),
      [S.DeploymentNotStarted]: e('DeploymentNotStartedException'),
    },
    otherwise: e('InvalidOperationException'),
  },
  LimitExceeded: {
    byResource: {
      [S.DeploymentConfigs]: e('DeploymentConfigLimitExceededException'),
      [S.Applications]: e('ApplicationLimitExceededException'),
      [S.DeploymentGroups]: e('DeploymentGroupLimitExceededException'),
      [S.TagLimit]: e('TagLimitExceededException'),
      [S.DeploymentLimit]: e('DeploymentLimitExceededException'),
    },
    otherwise: e('LimitExceededException'),
  },
};
