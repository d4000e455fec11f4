import type { DeploymentTag } from './deployment-tags.ts';

/**
 * A CodeDeploy deployment group for the Server compute platform: botocore codedeploy 2014-10-06
 * `DeploymentGroupInfo`, with its field names, limited to what Slipway deploys to — on-premises
 * instances selected by tags, in place, without a load balancer. EC2 tags, Auto Scaling groups,
 * load balancers, blue/green and ECS services are refused when the group is created or updated.
 * Alarms and triggers are stored as given, for the alarms and notifications work.
 */
export interface DeploymentGroup {
  readonly applicationName: string;
  readonly deploymentGroupId: string;
  readonly deploymentGroupName: string;
  readonly deploymentConfigName: string;
  readonly onPremisesInstanceTagFilters: readonly OnPremisesTagFilter[];
  readonly onPremisesTagSet: OnPremisesTagSet;
  readonly serviceRoleArn: string;
  readonly triggerConfigurations: readonly DeploymentTriggerConfig[];
  readonly alarmConfiguration: DeploymentAlarmConfiguration;
  readonly autoRollbackConfiguration: AutoRollbackConfiguration;
  readonly deploymentStyle: DeploymentStyle;
  readonly outdatedInstancesStrategy: OutdatedInstancesStrategy;
  readonly computePlatform: 'Server';
  /** Resource tags given to CreateDeploymentGroup (ListTagsForResource). */
  readonly tags: readonly DeploymentTag[];
}

/** botocore `TagFilterType` (the same values as `EC2TagFilterType`). */
export const OnPremisesTagFilterType = {
  KeyOnly: 'KEY_ONLY',
  ValueOnly: 'VALUE_ONLY',
  KeyAndValue: 'KEY_AND_VALUE',
} as const;
export type OnPremisesTagFilterType =
  (typeof OnPremisesTagFilterType)[keyof typeof OnPremisesTagFilterType];
export const onPremisesTagFilterTypes: readonly OnPremisesTagFilterType[] =
  Object.values(OnPremisesTagFilterType);

/**
 * botocore `TagFilter`. KEY_ONLY has a Key, VALUE_ONLY a Value, KEY_AND_VALUE both; the member a
 * type does not use is not kept.
 */
export interface OnPremisesTagFilter {
  readonly Key?: string;
  readonly Value?: string;
  readonly Type: OnPremisesTagFilterType;
}

/**
 * botocore `OnPremisesTagSet`: up to three tag groups. An instance belongs to the group when it
 * matches every tag group, and it matches a tag group when it matches any of its filters.
 */
export interface OnPremisesTagSet {
  readonly onPremisesTagSetList: readonly (readonly OnPremisesTagFilter[])[];
}

/** botocore `TagSetListLimitExceededException`: "the maximum allowed limit of 3". */
export const maxOnPremisesTagGroups = 3;

/** botocore `TriggerEventType`. */
export const DeploymentTriggerEventType = {
  DeploymentStart: 'DeploymentStart',
  DeploymentSuccess: 'DeploymentSuccess',
  DeploymentFailure: 'DeploymentFailure',
  DeploymentStop: 'DeploymentStop',
  DeploymentRollback: 'DeploymentRollback',
  DeploymentReady: 'DeploymentReady',
  InstanceStart: 'InstanceStart',
  InstanceSuccess: 'InstanceSuccess',
  InstanceFailure: 'InstanceFailure',
  InstanceReady: 'InstanceReady',
} as const;
export type DeploymentTriggerEventType =
  (typeof DeploymentTriggerEventType)[keyof typeof DeploymentTriggerEventType];
export const deploymentTriggerEventTypes: readonly DeploymentTriggerEventType[] = Object.values(
  DeploymentTriggerEventType,
);

/** botocore `TriggerConfig`. */
export interface DeploymentTriggerConfig {
  readonly triggerName: string;
  readonly triggerTargetArn: string;
  readonly triggerEvents: readonly DeploymentTriggerEventType[];
}

/** "Maximum number of event notification triggers in a deployment group: 10" (quotas). */
export const maxDeploymentTriggers = 10;

/** botocore `AlarmConfiguration`. */
export interface DeploymentAlarmConfiguration {
  readonly enabled: boolean;
  readonly ignorePollAlarmFailure: boolean;
  readonly alarms: readonly { readonly name: string }[];
}

/** botocore `AlarmsLimitExceededException`: "the maximum number of alarms … (10)". */
export const maxDeploymentAlarms = 10;
/** botocore `InvalidAlarmConfigException`: a name "exceeds the limit of 255 characters". */
export const maxDeploymentAlarmNameLength = 255;

/** botocore `AutoRollbackEvent`. */
export const AutoRollbackEvent = {
  DeploymentFailure: 'DEPLOYMENT_FAILURE',
  DeploymentStopOnAlarm: 'DEPLOYMENT_STOP_ON_ALARM',
  DeploymentStopOnRequest: 'DEPLOYMENT_STOP_ON_REQUEST',
} as const;
export type AutoRollbackEvent = (typeof AutoRollbackEvent)[keyof typeof AutoRollbackEvent];
export const autoRollbackEvents: readonly AutoRollbackEvent[] = Object.values(AutoRollbackEvent);

/** botocore `AutoRollbackConfiguration`. */
export interface AutoRollbackConfiguration {
  readonly enabled: boolean;
  readonly events: readonly AutoRollbackEvent[];
}

/** botocore `DeploymentType`. */
export const DeploymentType = { InPlace: 'IN_PLACE', BlueGreen: 'BLUE_GREEN' } as const;
export type DeploymentType = (typeof DeploymentType)[keyof typeof DeploymentType];

/** botocore `DeploymentOption`. */
export const DeploymentOption = {
  WithTrafficControl: 'WITH_TRAFFIC_CONTROL',
  WithoutTrafficControl: 'WITHOUT_TRAFFIC_CONTROL',
} as const;
export type DeploymentOption = (typeof DeploymentOption)[keyof typeof DeploymentOption];

/** botocore `DeploymentStyle`; Slipway supports IN_PLACE without traffic control only. */
export interface DeploymentStyle {
  readonly deploymentType: typeof DeploymentType.InPlace;
  readonly deploymentOption: typeof DeploymentOption.WithoutTrafficControl;
}

/** The style a group has when none is given (GetDeploymentGroup reports it so in AWS). */
export const defaultDeploymentStyle: DeploymentStyle = Object.freeze({
  deploymentType: DeploymentType.InPlace,
  deploymentOption: DeploymentOption.WithoutTrafficControl,
});

/** botocore `OutdatedInstancesStrategy`; UPDATE when unspecified (its documentation). */
export const OutdatedInstancesStrategy = { Update: 'UPDATE', Ignore: 'IGNORE' } as const;
export type OutdatedInstancesStrategy =
  (typeof OutdatedInstancesStrategy)[keyof typeof OutdatedInstancesStrategy];

/** botocore `DeploymentGroupName`: 1 to 100 characters; quotas: `[A-Za-z0-9._+=,@-]`. */
export const maxDeploymentGroupNameLength = 100;

export const disabledAlarmConfiguration: DeploymentAlarmConfiguration = Object.freeze({
  enabled: false,
  ignorePollAlarmFailure: false,
  alarms: Object.freeze([]),
});

export const disabledAutoRollbackConfiguration: AutoRollbackConfiguration = Object.freeze({
  enabled: false,
  events: Object.freeze([]),
});
