import {
  type AutoRollbackEvent,
  autoRollbackEvents,
  defaultDeploymentStyle,
  DeploymentOption,
  deploymentTriggerEventTypes,
  DeploymentType,
  maxDeploymentAlarmNameLength,
  maxDeploymentAlarms,
  maxDeploymentTriggers,
  maxOnPremisesTagGroups,
  OnPremisesTagFilterType,
  onPremisesTagFilterTypes,
  OutdatedInstancesStrategy,
  type AutoRollbackConfiguration,
  type DeploymentAlarmConfiguration,
  type DeploymentStyle,
  type DeploymentTriggerConfig,
  type DeploymentTriggerEventType,
  type OnPremisesTagFilter,
  type OnPremisesTagSet,
} from './deployment-group.model.ts';
import { maxDeploymentTagKeyLength, maxDeploymentTagValueLength } from './deployment-tags.ts';
import { DeploymentsSubject, type DeploymentsProblems } from './deployments.errors.ts';

/**
 * Field checks shared by CreateDeploymentGroup and UpdateDeploymentGroup. Each adds its problems
 * (with path and subject) and returns the parsed value, or undefined when the field is invalid.
 * Sources: botocore codedeploy 2014-10-06 shapes and exception documentation, and the user guide's
 * quotas page; Slipway's own choices are marked as such.
 */

type Problems = DeploymentsProblems;

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** Whether a list member carries anything: SDKs send `[]` for an empty list. */
function isNonEmptyList(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

function tagFilterType(raw: Readonly<Record<string, unknown>>): unknown {
  if (raw.Type !== undefined) return raw.Type;
  // Slipway's choice: without a Type, infer it from the members given.
  const hasKey = isNonEmptyString(raw.Key);
  const hasValue = isNonEmptyString(raw.Value);
  if (hasKey && hasValue) return OnPremisesTagFilterType.KeyAndValue;
  return hasValue ? OnPremisesTagFilterType.ValueOnly : OnPremisesTagFilterType.KeyOnly;
}

function addTagFilterProblems(problems: Problems, raw: unknown, path: string) {
  const subject = DeploymentsSubject.Tag;
  if (!isRecord(raw)) {
    problems.add(subject, path, 'must be {Key, Value, Type}');
    return undefined;
  }
  const rawType = tagFilterType(raw);
  if (!(onPremisesTagFilterTypes as readonly unknown[]).includes(rawType)) {
    problems.add(subject, `${path}.Type`, 'must be KEY_ONLY, VALUE_ONLY or KEY_AND_VALUE');
    return undefined;
  }
  const type = rawType as OnPremisesTagFilterType;
  const needsKey = type !== OnPremisesTagFilterType.ValueOnly;
  const needsValue = type !== OnPremisesTagFilterType.KeyOnly;
  let ok = true;
  const check = (member: 'Key' | 'Value', max: number) => {
    const value = raw[member];
    if (!isNonEmptyString(value) || value.length > max) {
      problems.add(subject, `${path}.${member}`, `must be 1 to ${max} characters for ${type}`);
      ok = false;
    }
  };
  if (needsKey) check('Key', maxDeploymentTagKeyLength);
  if (needsValue) check('Value', maxDeploymentTagValueLength);
  if (!ok) return undefined;
  const filter: OnPremisesTagFilter = {
    ...(needsKey ? { Key: raw.Key as string } : {}),
    ...(needsValue ? { Value: raw.Value as string } : {}),
    Type: type,
  };
  return filter;
}

/** `onPremisesInstanceTagFilters` (botocore `TagFilterList`) → InvalidTagException. */
export function addTagFilterListProblems(
  problems: Problems,
  raw: unknown,
  path: string,
): readonly OnPremisesTagFilter[] | undefined {
  if (!Array.isArray(raw)) {
    problems.add(DeploymentsSubject.Tag, path, 'must be a list of tag filters');
    return undefined;
  }
  const filters = raw.map((f: unknown, i) => addTagFilterProblems(problems, f, `${path}[${i}]`));
  return filters.every((f) => f !== undefined) ? filters : undefined;
}

/**
 * `onPremisesTagSet`: at most three tag groups (TagSetListLimitExceededException), each a
 * non-empty list of filters (an empty group would match no instance: Slipway refuses it).
 */
export function addTagSetProblems(
  problems: Problems,
  raw: unknown,
  path: string,
): OnPremisesTagSet | undefined {
  const listPath = `${path}.onPremisesTagSetList`;
  const list = isRecord(raw) ? (raw.onPremisesTagSetList ?? []) : undefined;
  if (!Array.isArray(list)) {
    problems.add(DeploymentsSubject.Tag, listPath, 'must be a list of tag groups');
    return undefined;
  }
  if (list.length > maxOnPremisesTagGroups) {
    problems.add(
      DeploymentsSubject.TagSetListLimit,
      listPath,
      `must hold at most ${maxOnPremisesTagGroups} tag groups`,
    );
  }
  const groups = list.map((group: unknown, i) => {
    const groupPath = `${listPath}[${i}]`;
    if (Array.isArray(group) && group.length === 0) {
      problems.add(DeploymentsSubject.Tag, groupPath, 'must hold at least one tag filter');
      return undefined;
    }
    return addTagFilterListProblems(problems, group, groupPath);
  });
  if (list.length > maxOnPremisesTagGroups || !groups.every((g) => g !== undefined)) {
    return undefined;
  }
  return { onPremisesTagSetList: groups };
}

/**
 * botocore `Role` has no pattern; Slipway requires an IAM role ARN,
 * `arn:<partition>:iam::<account>:role/<path and name>`, the account being 12 letters or digits
 * so that the user guide's placeholder accounts (`80398EXAMPLE`) pass as the docs state them.
 */
export const deploymentServiceRoleArnPattern =
  /^arn:aws(-[a-z]+)*:iam::[A-Za-z0-9]{12}:role\/[\w+=,.@/-]+$/;

export function addServiceRoleProblems(problems: Problems, raw: unknown): string | undefined {
  if (raw === undefined || raw === null || raw === '') {
    problems.add(DeploymentsSubject.RoleRequired, 'serviceRoleArn', 'is required');
    return undefined;
  }
  if (typeof raw !== 'string' || !deploymentServiceRoleArnPattern.test(raw)) {
    problems.add(
      DeploymentsSubject.Role,
      'serviceRoleArn',
      'must be an IAM role ARN (arn:aws:iam::123456789012:role/name)',
    );
    return undefined;
  }
  return raw;
}

/**
 * Slipway's check of a trigger target: an SNS topic ARN (`TriggerTargetArn` has no pattern in
 * botocore; triggers notify SNS topics per the user guide's "Create a trigger").
 */
export const deploymentTriggerTargetArnPattern =
  /^arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:[A-Za-z0-9]{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

function addTriggerProblems(problems: Problems, raw: unknown, path: string) {
  const subject = DeploymentsSubject.TriggerConfig;
  if (!isRecord(raw)) {
    problems.add(subject, path, 'must be {triggerName, triggerTargetArn, triggerEvents}');
    return undefined;
  }
  let ok = true;
  const fail = (at: string, message: string) => {
    problems.add(subject, `${path}.${at}`, message);
    ok = false;
  };
  if (!isNonEmptyString(raw.triggerName)) fail('triggerName', 'is required');
  const arn = raw.triggerTargetArn;
  if (typeof arn !== 'string' || !deploymentTriggerTargetArnPattern.test(arn)) {
    fail('triggerTargetArn', 'must be an SNS topic ARN (arn:aws:sns:region:account:topic)');
  }
  const events = raw.triggerEvents;
  if (!Array.isArray(events) || events.length === 0) {
    fail('triggerEvents', 'must list at least one event type');
  } else {
    events.forEach((e: unknown, i) => {
      if (!(deploymentTriggerEventTypes as readonly unknown[]).includes(e)) {
        fail(`triggerEvents[${i}]`, `must be one of ${deploymentTriggerEventTypes.join(', ')}`);
      }
    });
  }
  if (!ok) return undefined;
  const trigger: DeploymentTriggerConfig = {
    triggerName: raw.triggerName as string,
    triggerTargetArn: arn as string,
    triggerEvents: [...new Set(events as DeploymentTriggerEventType[])],
  };
  return trigger;
}

/** `triggerConfigurations`: at most 10 (TriggerTargetsLimitExceededException), unique names. */
export function addTriggerListProblems(
  problems: Problems,
  raw: unknown,
): readonly DeploymentTriggerConfig[] | undefined {
  const path = 'triggerConfigurations';
  if (!Array.isArray(raw)) {
    problems.add(DeploymentsSubject.TriggerConfig, path, 'must be a list of triggers');
    return undefined;
  }
  if (raw.length > maxDeploymentTriggers) {
    problems.add(
      DeploymentsSubject.TriggerTargetsLimit,
      path,
      `must hold at most ${maxDeploymentTriggers} triggers`,
    );
  }
  const triggers = raw.map((t: unknown, i) => addTriggerProblems(problems, t, `${path}[${i}]`));
  const names = new Set<string>();
  triggers.forEach((t, i) => {
    if (t === undefined) return;
    if (names.has(t.triggerName)) {
      problems.add(
        DeploymentsSubject.TriggerConfig,
        `${path}[${i}].triggerName`,
        `repeats the trigger name '${t.triggerName}'`,
      );
    }
    names.add(t.triggerName);
  });
  return triggers.every((t) => t !== undefined) && raw.length <= maxDeploymentTriggers
    ? triggers
    : undefined;
}

function optionalBoolean(problems: Problems, raw: unknown, path: string, subject: Subject) {
  if (raw === undefined || raw === null) return false;
  if (typeof raw !== 'boolean') problems.add(subject, path, 'must be true or false');
  return raw === true;
}
type Subject = DeploymentsSubject;

/**
 * `alarmConfiguration` (stored for the alarms work), with the causes botocore's
 * InvalidAlarmConfigException lists: a missing alarm list or alarm, a name empty or over 255
 * characters, two alarms of the same name, enabled with no alarm; over 10 alarms →
 * AlarmsLimitExceededException.
 */
export function addAlarmConfigProblems(
  problems: Problems,
  raw: unknown,
): DeploymentAlarmConfiguration | undefined {
  const subject = DeploymentsSubject.AlarmConfig;
  const path = 'alarmConfiguration';
  if (!isRecord(raw)) {
    problems.add(subject, path, 'must be {enabled, ignorePollAlarmFailure, alarms}');
    return undefined;
  }
  const before = problems.list.length;
  const enabled = optionalBoolean(problems, raw.enabled, `${path}.enabled`, subject);
  const ignore = optionalBoolean(
    problems,
    raw.ignorePollAlarmFailure,
    `${path}.ignorePollAlarmFailure`,
    subject,
  );
  const alarms = raw.alarms ?? [];
  if (!Array.isArray(alarms)) {
    problems.add(subject, `${path}.alarms`, 'must be a list of {name}');
    return undefined;
  }
  if (alarms.length > maxDeploymentAlarms) {
    problems.add(
      DeploymentsSubject.AlarmsLimit,
      `${path}.alarms`,
      `must hold at most ${maxDeploymentAlarms} alarms`,
    );
  }
  if (enabled && alarms.length === 0) {
    problems.add(subject, `${path}.alarms`, 'must list at least one alarm when enabled');
  }
  const names = new Set<string>();
  alarms.forEach((alarm: unknown, i) => {
    const name = isRecord(alarm) ? alarm.name : undefined;
    const at = `${path}.alarms[${i}].name`;
    if (!isNonEmptyString(name) || name.length > maxDeploymentAlarmNameLength) {
      problems.add(subject, at, `must be 1 to ${maxDeploymentAlarmNameLength} characters`);
    } else if (names.has(name)) {
      problems.add(subject, at, `repeats the alarm '${name}'`);
    } else {
      names.add(name);
    }
  });
  if (problems.list.length > before) return undefined;
  return {
    enabled,
    ignorePollAlarmFailure: ignore,
    alarms: [...names].map((name) => ({ name })),
  };
}

/**
 * `autoRollbackConfiguration` → InvalidAutoRollbackConfigException: "automatic rollback is
 * enabled, but an invalid triggering event type or no event types were listed" (botocore).
 */
export function addAutoRollbackProblems(
  problems: Problems,
  raw: unknown,
): AutoRollbackConfiguration | undefined {
  const subject = DeploymentsSubject.AutoRollbackConfig;
  const path = 'autoRollbackConfiguration';
  if (!isRecord(raw)) {
    problems.add(subject, path, 'must be {enabled, events}');
    return undefined;
  }
  const before = problems.list.length;
  const enabled = optionalBoolean(problems, raw.enabled, `${path}.enabled`, subject);
  const events = raw.events ?? [];
  if (!Array.isArray(events)) {
    problems.add(subject, `${path}.events`, 'must be a list of event types');
    return undefined;
  }
  if (enabled && events.length === 0) {
    problems.add(subject, `${path}.events`, 'must list at least one event when enabled');
  }
  events.forEach((e: unknown, i) => {
    if (!(autoRollbackEvents as readonly unknown[]).includes(e)) {
      problems.add(
        subject,
        `${path}.events[${i}]`,
        `must be one of ${autoRollbackEvents.join(', ')}`,
      );
    }
  });
  if (problems.list.length > before) return undefined;
  return { enabled, events: [...new Set(events as AutoRollbackEvent[])] };
}

/**
 * `deploymentStyle` → InvalidDeploymentStyleException. Slipway deploys in place without a load
 * balancer: BLUE_GREEN and WITH_TRAFFIC_CONTROL are valid AWS values it refuses explicitly.
 */
export function addDeploymentStyleProblems(
  problems: Problems,
  raw: unknown,
): DeploymentStyle | undefined {
  const subject = DeploymentsSubject.DeploymentStyle;
  const path = 'deploymentStyle';
  if (!isRecord(raw)) {
    problems.add(subject, path, 'must be {deploymentType, deploymentOption}');
    return undefined;
  }
  const type = raw.deploymentType ?? DeploymentType.InPlace;
  const option = raw.deploymentOption ?? DeploymentOption.WithoutTrafficControl;
  const before = problems.list.length;
  if (type === DeploymentType.BlueGreen) {
    problems.add(
      subject,
      `${path}.deploymentType`,
      'BLUE_GREEN is not supported: Slipway deploys in place',
    );
  } else if (type !== DeploymentType.InPlace) {
    problems.add(subject, `${path}.deploymentType`, 'must be IN_PLACE or BLUE_GREEN');
  }
  if (option === DeploymentOption.WithTrafficControl) {
    problems.add(
      subject,
      `${path}.deploymentOption`,
      'WITH_TRAFFIC_CONTROL is not supported: Slipway has no load balancer integration',
    );
  } else if (option !== DeploymentOption.WithoutTrafficControl) {
    problems.add(
      subject,
      `${path}.deploymentOption`,
      'must be WITH_TRAFFIC_CONTROL or WITHOUT_TRAFFIC_CONTROL',
    );
  }
  return problems.list.length > before ? undefined : defaultDeploymentStyle;
}

/** `outdatedInstancesStrategy` → InvalidInputException (botocore lists no narrower error). */
export function addOutdatedInstancesStrategyProblems(
  problems: Problems,
  raw: unknown,
): OutdatedInstancesStrategy | undefined {
  if (raw === OutdatedInstancesStrategy.Update || raw === OutdatedInstancesStrategy.Ignore) {
    return raw;
  }
  problems.add(DeploymentsSubject.Input, 'outdatedInstancesStrategy', 'must be UPDATE or IGNORE');
  return undefined;
}

/** The members for EC2, Auto Scaling, load balancers, blue/green and ECS, each refused. */
export function addUnsupportedTargetProblems(
  problems: Problems,
  input: Readonly<Record<string, unknown>>,
): void {
  const noEc2 = 'Slipway has no EC2 instances: tag on-premises instances instead';
  if (isNonEmptyList(input.ec2TagFilters)) {
    problems.add(DeploymentsSubject.Ec2Tag, 'ec2TagFilters', noEc2);
  }
  const ec2TagSet = input.ec2TagSet;
  if (isRecord(ec2TagSet) && isNonEmptyList(ec2TagSet.ec2TagSetList)) {
    problems.add(DeploymentsSubject.Ec2Tag, 'ec2TagSet', noEc2);
  }
  const noAsg = 'Slipway has no EC2 Auto Scaling groups';
  if (isNonEmptyList(input.autoScalingGroups)) {
    problems.add(DeploymentsSubject.AutoScalingGroup, 'autoScalingGroups', noAsg);
  }
  if (input.terminationHookEnabled === true) {
    problems.add(DeploymentsSubject.AutoScalingGroup, 'terminationHookEnabled', noAsg);
  }
  if (hasContent(input.loadBalancerInfo)) {
    problems.add(
      DeploymentsSubject.LoadBalancerInfo,
      'loadBalancerInfo',
      'is not supported: Slipway has no load balancer integration',
    );
  }
  if (hasContent(input.blueGreenDeploymentConfiguration)) {
    problems.add(
      DeploymentsSubject.BlueGreenConfig,
      'blueGreenDeploymentConfiguration',
      'is not supported: Slipway deploys in place',
    );
  }
  if (isNonEmptyList(input.ecsServices)) {
    problems.add(
      DeploymentsSubject.EcsService,
      'ecsServices',
      'applies to the ECS compute platform only; Slipway deploys to Server',
    );
  }
}

/** An object member with at least one member set (SDKs may send `{}` or empty lists). */
function hasContent(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (!isRecord(value)) return true;
  return Object.values(value).some(
    (v) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0),
  );
}
