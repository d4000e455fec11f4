import { addApplicationNameProblems } from './applications.ts';
import { defaultDeploymentConfigName } from './deployment-config.model.ts';
import { maxDeploymentConfigNameLength } from './deployment-configs.ts';
import {
  addAlarmConfigProblems,
  addAutoRollbackProblems,
  addDeploymentStyleProblems,
  addOutdatedInstancesStrategyProblems,
  addServiceRoleProblems,
  addTagFilterListProblems,
  addTagSetProblems,
  addTriggerListProblems,
  addUnsupportedTargetProblems,
} from './deployment-group-fields.ts';
import {
  defaultDeploymentStyle,
  disabledAlarmConfiguration,
  disabledAutoRollbackConfiguration,
  maxDeploymentGroupNameLength,
  OutdatedInstancesStrategy,
  type DeploymentGroup,
} from './deployment-group.model.ts';
import { deploymentResourceNamePattern } from './application.model.ts';
import { addResourceTagProblems } from './deployment-tags.ts';
import { deploymentsError, DeploymentsProblems, DeploymentsSubject } from './deployments.errors.ts';
import { AppErrorKind } from '../errors/app-error.ts';

/**
 * The members CreateDeploymentGroup and UpdateDeploymentGroup share, as the door parsed them
 * (botocore member names); nothing is trusted yet.
 */
export interface DeploymentGroupSettingsInput {
  readonly applicationName?: unknown;
  readonly deploymentConfigName?: unknown;
  readonly ec2TagFilters?: unknown;
  readonly ec2TagSet?: unknown;
  readonly onPremisesInstanceTagFilters?: unknown;
  readonly onPremisesTagSet?: unknown;
  readonly autoScalingGroups?: unknown;
  readonly serviceRoleArn?: unknown;
  readonly triggerConfigurations?: unknown;
  readonly alarmConfiguration?: unknown;
  readonly autoRollbackConfiguration?: unknown;
  readonly outdatedInstancesStrategy?: unknown;
  readonly deploymentStyle?: unknown;
  readonly blueGreenDeploymentConfiguration?: unknown;
  readonly loadBalancerInfo?: unknown;
  readonly ecsServices?: unknown;
  readonly terminationHookEnabled?: unknown;
}

export interface CreateDeploymentGroupInput extends DeploymentGroupSettingsInput {
  readonly deploymentGroupName?: unknown;
  readonly tags?: unknown;
}

export interface UpdateDeploymentGroupInput extends DeploymentGroupSettingsInput {
  readonly currentDeploymentGroupName?: unknown;
  readonly newDeploymentGroupName?: unknown;
}

/** The fields an UpdateDeploymentGroup call changes; an absent member keeps its value. */
export type DeploymentGroupChanges = Partial<
  Omit<DeploymentGroup, 'applicationName' | 'deploymentGroupId' | 'computePlatform' | 'tags'>
>;

export interface DeploymentGroupUpdate {
  readonly applicationName: string;
  readonly currentDeploymentGroupName: string;
  readonly changes: DeploymentGroupChanges;
}

/** Which subject's AWS error answers when a call has several problems (Slipway's order). */
const groupPrecedence = [
  DeploymentsSubject.ApplicationNameRequired,
  DeploymentsSubject.ApplicationName,
  DeploymentsSubject.DeploymentGroupNameRequired,
  DeploymentsSubject.DeploymentGroupName,
  DeploymentsSubject.DeploymentConfigName,
  DeploymentsSubject.RoleRequired,
  DeploymentsSubject.Role,
  DeploymentsSubject.OnPremisesTagCombination,
  DeploymentsSubject.TagSetListLimit,
  DeploymentsSubject.Tag,
  DeploymentsSubject.Ec2Tag,
  DeploymentsSubject.AutoScalingGroup,
  DeploymentsSubject.TriggerTargetsLimit,
  DeploymentsSubject.TriggerConfig,
  DeploymentsSubject.AlarmsLimit,
  DeploymentsSubject.AlarmConfig,
  DeploymentsSubject.AutoRollbackConfig,
  DeploymentsSubject.DeploymentStyle,
  DeploymentsSubject.LoadBalancerInfo,
  DeploymentsSubject.BlueGreenConfig,
  DeploymentsSubject.EcsService,
  DeploymentsSubject.TagsToAdd,
  DeploymentsSubject.Input,
] as const;

/**
 * A deployment group name: missing or empty → DeploymentGroupNameRequiredException; over 100
 * characters or outside `[A-Za-z0-9._+=,@-]` (quotas) → InvalidDeploymentGroupNameException.
 */
function addGroupNameProblems(problems: DeploymentsProblems, name: unknown, path: string): void {
  if (name === undefined || name === null || name === '') {
    problems.add(DeploymentsSubject.DeploymentGroupNameRequired, path, 'is required');
  } else if (typeof name !== 'string' || name.length > maxDeploymentGroupNameLength) {
    problems.add(
      DeploymentsSubject.DeploymentGroupName,
      path,
      `must be 1 to ${maxDeploymentGroupNameLength} characters`,
    );
  } else if (!deploymentResourceNamePattern.test(name)) {
    problems.add(
      DeploymentsSubject.DeploymentGroupName,
      path,
      'may contain only letters, digits and . _ + = , @ -',
    );
  }
}

/** Checks an application and group name pair as Get/DeleteDeploymentGroup take them. */
export function checkDeploymentGroupKey(
  applicationName: unknown,
  deploymentGroupName: unknown,
): { readonly applicationName: string; readonly deploymentGroupName: string } {
  const problems = new DeploymentsProblems(groupPrecedence);
  addApplicationNameProblems(problems, applicationName);
  addGroupNameProblems(problems, deploymentGroupName, 'deploymentGroupName');
  problems.throwIfAny();
  return {
    applicationName: applicationName as string,
    deploymentGroupName: deploymentGroupName as string,
  };
}

/**
 * botocore `DeploymentConfigName` (1–100) → InvalidDeploymentConfigNameException; whether it
 * exists (DeploymentConfigDoesNotExistException) is the service's check.
 */
function addConfigNameProblems(problems: DeploymentsProblems, name: unknown): string | undefined {
  if (typeof name === 'string' && name.length > 0 && name.length <= maxDeploymentConfigNameLength) {
    return name;
  }
  problems.add(
    DeploymentsSubject.DeploymentConfigName,
    'deploymentConfigName',
    `must be 1 to ${maxDeploymentConfigNameLength} characters`,
  );
  return undefined;
}

/** A member the call set: `undefined` and `null` both mean "not given". */
function given(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** Tag filters and a tag set with content in one call → InvalidOnPremisesTagCombination. */
function addTagCombinationProblems(
  problems: DeploymentsProblems,
  input: DeploymentGroupSettingsInput,
): void {
  const filters = input.onPremisesInstanceTagFilters;
  const tagSet = input.onPremisesTagSet as { onPremisesTagSetList?: unknown } | null | undefined;
  if (
    Array.isArray(filters) &&
    filters.length > 0 &&
    Array.isArray(tagSet?.onPremisesTagSetList) &&
    tagSet.onPremisesTagSetList.length > 0
  ) {
    problems.add(
      DeploymentsSubject.OnPremisesTagCombination,
      'onPremisesTagSet',
      'cannot be given together with onPremisesInstanceTagFilters: use one or the other',
    );
  }
}

/**
 * The settings a Create or Update call gives, each parsed only when present. Tag filters and a
 * tag set with content in the same call → InvalidOnPremisesTagCombinationException (botocore).
 */
function parseSettings(
  problems: DeploymentsProblems,
  input: DeploymentGroupSettingsInput,
): DeploymentGroupChanges {
  const changes: { -readonly [K in keyof DeploymentGroupChanges]: DeploymentGroupChanges[K] } = {};
  addUnsupportedTargetProblems(problems, input as Readonly<Record<string, unknown>>);
  if (given(input.deploymentConfigName)) {
    changes.deploymentConfigName = addConfigNameProblems(problems, input.deploymentConfigName);
  }
  if (given(input.serviceRoleArn)) {
    changes.serviceRoleArn = addServiceRoleProblems(problems, input.serviceRoleArn);
  }
  if (given(input.onPremisesInstanceTagFilters)) {
    changes.onPremisesInstanceTagFilters = addTagFilterListProblems(
      problems,
      input.onPremisesInstanceTagFilters,
      'onPremisesInstanceTagFilters',
    );
  }
  if (given(input.onPremisesTagSet)) {
    changes.onPremisesTagSet = addTagSetProblems(
      problems,
      input.onPremisesTagSet,
      'onPremisesTagSet',
    );
  }
  addTagCombinationProblems(problems, input);
  if (given(input.triggerConfigurations)) {
    changes.triggerConfigurations = addTriggerListProblems(problems, input.triggerConfigurations);
  }
  if (given(input.alarmConfiguration)) {
    changes.alarmConfiguration = addAlarmConfigProblems(problems, input.alarmConfiguration);
  }
  if (given(input.autoRollbackConfiguration)) {
    changes.autoRollbackConfiguration = addAutoRollbackProblems(
      problems,
      input.autoRollbackConfiguration,
    );
  }
  if (given(input.deploymentStyle)) {
    changes.deploymentStyle = addDeploymentStyleProblems(problems, input.deploymentStyle);
  }
  if (given(input.outdatedInstancesStrategy)) {
    changes.outdatedInstancesStrategy = addOutdatedInstancesStrategyProblems(
      problems,
      input.outdatedInstancesStrategy,
    );
  }
  return changes;
}

/**
 * The group CreateDeploymentGroup describes, every problem reported at once, with CodeDeploy's
 * defaults: CodeDeployDefault.OneAtATime, no alarms, no automatic rollback, IN_PLACE without
 * traffic control, outdated instances UPDATE. Whether the application and configuration exist,
 * the name is free and the application's group limit are the service's checks.
 */
export function newDeploymentGroup(
  input: CreateDeploymentGroupInput,
  created: { readonly id: string },
): DeploymentGroup {
  const problems = new DeploymentsProblems(groupPrecedence);
  addApplicationNameProblems(problems, input.applicationName);
  addGroupNameProblems(problems, input.deploymentGroupName, 'deploymentGroupName');
  if (!given(input.serviceRoleArn)) addServiceRoleProblems(problems, input.serviceRoleArn);
  const changes = parseSettings(problems, input);
  const tags = addResourceTagProblems(problems, input.tags);
  problems.throwIfAny();
  return {
    applicationName: input.applicationName as string,
    deploymentGroupId: created.id,
    deploymentGroupName: input.deploymentGroupName as string,
    deploymentConfigName: changes.deploymentConfigName ?? defaultDeploymentConfigName,
    onPremisesInstanceTagFilters: changes.onPremisesInstanceTagFilters ?? [],
    onPremisesTagSet: changes.onPremisesTagSet ?? { onPremisesTagSetList: [] },
    serviceRoleArn: changes.serviceRoleArn as string,
    triggerConfigurations: changes.triggerConfigurations ?? [],
    alarmConfiguration: changes.alarmConfiguration ?? disabledAlarmConfiguration,
    autoRollbackConfiguration:
      changes.autoRollbackConfiguration ?? disabledAutoRollbackConfiguration,
    deploymentStyle: changes.deploymentStyle ?? defaultDeploymentStyle,
    outdatedInstancesStrategy:
      changes.outdatedInstancesStrategy ?? OutdatedInstancesStrategy.Update,
    computePlatform: 'Server',
    tags,
  };
}

/**
 * UpdateDeploymentGroup's input: the group it names and the fields it changes, every problem at
 * once. `newDeploymentGroupName` renames the group.
 */
export function parseDeploymentGroupUpdate(
  input: UpdateDeploymentGroupInput,
): DeploymentGroupUpdate {
  const problems = new DeploymentsProblems(groupPrecedence);
  addApplicationNameProblems(problems, input.applicationName);
  addGroupNameProblems(problems, input.currentDeploymentGroupName, 'currentDeploymentGroupName');
  if (given(input.newDeploymentGroupName)) {
    addGroupNameProblems(problems, input.newDeploymentGroupName, 'newDeploymentGroupName');
  }
  const changes = parseSettings(problems, input);
  problems.throwIfAny();
  return {
    applicationName: input.applicationName as string,
    currentDeploymentGroupName: input.currentDeploymentGroupName as string,
    changes: given(input.newDeploymentGroupName)
      ? { ...changes, deploymentGroupName: input.newDeploymentGroupName as string }
      : changes,
  };
}

/**
 * The group after an update. Tag filters and a tag set cannot both be in force: an update that
 * sets one while the group keeps the other must clear it (an empty list) in the same call —
 * Slipway's reading of InvalidOnPremisesTagCombinationException for updates.
 */
export function applyDeploymentGroupUpdate(
  group: DeploymentGroup,
  changes: DeploymentGroupChanges,
): DeploymentGroup {
  const updated: DeploymentGroup = { ...group, ...changes };
  if (
    updated.onPremisesInstanceTagFilters.length > 0 &&
    updated.onPremisesTagSet.onPremisesTagSetList.length > 0
  ) {
    throw deploymentsError(
      AppErrorKind.InvalidInput,
      DeploymentsSubject.OnPremisesTagCombination,
      'onPremisesTagSet: cannot be in force together with onPremisesInstanceTagFilters; clear one with an empty list',
      [
        {
          path: 'onPremisesTagSet',
          message: 'cannot be in force together with onPremisesInstanceTagFilters',
        },
      ],
    );
  }
  return updated;
}
