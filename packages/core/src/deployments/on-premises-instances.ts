import { AppErrorKind } from '../errors/app-error.ts';
import {
  maxDeploymentTagKeyLength,
  maxDeploymentTagValueLength,
  type DeploymentTag,
} from './deployment-tags.ts';
import { deploymentsError, DeploymentsProblems, DeploymentsSubject } from './deployments.errors.ts';
import {
  maxOnPremisesInstanceNameLength,
  maxOnPremisesInstancesPerCall,
  maxOnPremisesInstanceTags,
  onPremisesIamSessionArnPattern,
  onPremisesIamUserArnPattern,
  onPremisesInstanceNamePattern,
  type OnPremisesInstance,
} from './on-premises-instance.model.ts';

/** RegisterOnPremisesInstance's input as the door parsed it. */
export interface RegisterOnPremisesInstanceInput {
  readonly instanceName?: unknown;
  readonly iamUserArn?: unknown;
  readonly iamSessionArn?: unknown;
}

/** Add/RemoveTags(To|From)OnPremisesInstances' input. */
export interface OnPremisesTagsInput {
  readonly tags?: unknown;
  readonly instanceNames?: unknown;
}

/** A tag to remove: the Value, when given, must match too (Slipway's reading). */
export interface OnPremisesTagToRemove {
  readonly Key: string;
  readonly Value?: string;
}

const instancePrecedence = [
  DeploymentsSubject.InstanceNameRequired,
  DeploymentsSubject.InstanceName,
  DeploymentsSubject.InstanceLimit,
  DeploymentsSubject.IamArnRequired,
  DeploymentsSubject.MultipleIamArns,
  DeploymentsSubject.IamUserArn,
  DeploymentsSubject.IamSessionArn,
  DeploymentsSubject.TagRequired,
  DeploymentsSubject.TagLimit,
  DeploymentsSubject.Tag,
] as const;

function addInstanceNameProblems(problems: DeploymentsProblems, name: unknown, path: string) {
  if (name === undefined || name === null || name === '') {
    problems.add(DeploymentsSubject.InstanceNameRequired, path, 'is required');
  } else if (typeof name !== 'string' || name.length > maxOnPremisesInstanceNameLength) {
    problems.add(
      DeploymentsSubject.InstanceName,
      path,
      `must be 1 to ${maxOnPremisesInstanceNameLength} characters`,
    );
  } else if (!onPremisesInstanceNamePattern.test(name)) {
    problems.add(
      DeploymentsSubject.InstanceName,
      path,
      'may contain only letters, digits and + = , . @ _ -',
    );
  } else if (name.startsWith('i-')) {
    problems.add(
      DeploymentsSubject.InstanceName,
      path,
      "must not start with 'i-' (reserved for EC2 instance ids)",
    );
  }
}

/**
 * Checks an instance name as Get/Deregister take it: missing → InstanceNameRequiredException;
 * invalid → InvalidInstanceNameException.
 */
export function checkOnPremisesInstanceName(
  name: unknown,
  path = 'instanceName',
): asserts name is string {
  const problems = new DeploymentsProblems(instancePrecedence);
  addInstanceNameProblems(problems, name, path);
  problems.throwIfAny();
}

function isGiven(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/**
 * Exactly one IAM ARN (botocore RegisterOnPremisesInstance): none → IamArnRequiredException,
 * both → MultipleIamArnsProvidedException, a malformed one → InvalidIam(User|Session)ArnException.
 */
function addIamArnProblems(problems: DeploymentsProblems, input: RegisterOnPremisesInstanceInput) {
  const { iamUserArn, iamSessionArn } = input;
  if (!isGiven(iamUserArn) && !isGiven(iamSessionArn)) {
    problems.add(
      DeploymentsSubject.IamArnRequired,
      'iamUserArn',
      'give the ARN of the IAM user (or session) the instance authenticates as',
    );
    return;
  }
  if (isGiven(iamUserArn) && isGiven(iamSessionArn)) {
    problems.add(
      DeploymentsSubject.MultipleIamArns,
      'iamSessionArn',
      'give either iamUserArn or iamSessionArn, not both',
    );
  }
  if (isGiven(iamUserArn)) {
    if (typeof iamUserArn !== 'string' || !onPremisesIamUserArnPattern.test(iamUserArn)) {
      problems.add(
        DeploymentsSubject.IamUserArn,
        'iamUserArn',
        'must be an IAM user ARN (arn:aws:iam::123456789012:user/name)',
      );
    }
  }
  if (isGiven(iamSessionArn)) {
    if (typeof iamSessionArn !== 'string' || !onPremisesIamSessionArnPattern.test(iamSessionArn)) {
      problems.add(
        DeploymentsSubject.IamSessionArn,
        'iamSessionArn',
        'must be an IAM session ARN (arn:aws:sts::123456789012:assumed-role/role/session)',
      );
    }
  }
}

/**
 * The instance RegisterOnPremisesInstance describes, every problem at once. Whether the name or
 * the ARN is already registered (InstanceNameAlreadyRegistered, IamUserArnAlreadyRegistered,
 * IamSessionArnAlreadyRegistered) is the service's check.
 */
export function newOnPremisesInstance(
  input: RegisterOnPremisesInstanceInput,
  registered: { readonly instanceArn: string; readonly now: number },
): OnPremisesInstance {
  const problems = new DeploymentsProblems(instancePrecedence);
  addInstanceNameProblems(problems, input.instanceName, 'instanceName');
  addIamArnProblems(problems, input);
  problems.throwIfAny();
  return {
    instanceName: input.instanceName as string,
    ...(isGiven(input.iamUserArn) ? { iamUserArn: input.iamUserArn as string } : {}),
    ...(isGiven(input.iamSessionArn) ? { iamSessionArn: input.iamSessionArn as string } : {}),
    instanceArn: registered.instanceArn,
    registerTime: registered.now,
    tags: [],
  };
}

/** The instance after DeregisterOnPremisesInstance; deregistering twice keeps the first time. */
export function deregisterOnPremisesInstance(
  instance: OnPremisesInstance,
  now: number,
): OnPremisesInstance {
  return instance.deregisterTime === undefined ? { ...instance, deregisterTime: now } : instance;
}

function addInstanceNamesProblems(problems: DeploymentsProblems, names: unknown): string[] {
  const path = 'instanceNames';
  if (!Array.isArray(names) || names.length === 0) {
    problems.add(DeploymentsSubject.InstanceNameRequired, path, 'must name at least one instance');
    return [];
  }
  if (names.length > maxOnPremisesInstancesPerCall) {
    problems.add(
      DeploymentsSubject.InstanceLimit,
      path,
      `must name at most ${maxOnPremisesInstancesPerCall} instances`,
    );
  }
  names.forEach((name: unknown, i) => addInstanceNameProblems(problems, name, `${path}[${i}]`));
  return [...new Set(names as string[])];
}

function addTagProblems(
  problems: DeploymentsProblems,
  raw: unknown,
  path: string,
  valueRequired: boolean,
): OnPremisesTagToRemove | undefined {
  if (typeof raw !== 'object' || raw === null) {
    problems.add(DeploymentsSubject.Tag, path, 'must be {Key, Value}');
    return undefined;
  }
  const { Key: key, Value: value } = raw as { Key?: unknown; Value?: unknown };
  let ok = true;
  if (typeof key !== 'string' || key.length === 0 || key.length > maxDeploymentTagKeyLength) {
    problems.add(
      DeploymentsSubject.Tag,
      `${path}.Key`,
      `must be 1 to ${maxDeploymentTagKeyLength} characters`,
    );
    ok = false;
  }
  const valueMissing = value === undefined || value === null || value === '';
  if (
    valueMissing
      ? valueRequired
      : typeof value !== 'string' || value.length > maxDeploymentTagValueLength
  ) {
    problems.add(
      DeploymentsSubject.Tag,
      `${path}.Value`,
      `must be ${valueRequired ? 1 : 0} to ${maxDeploymentTagValueLength} characters`,
    );
    ok = false;
  }
  if (!ok) return undefined;
  return valueMissing ? { Key: key as string } : { Key: key as string, Value: value as string };
}

function parseTagsInput(input: OnPremisesTagsInput, valueRequired: boolean) {
  const problems = new DeploymentsProblems(instancePrecedence);
  const instanceNames = addInstanceNamesProblems(problems, input.instanceNames);
  const raw = input.tags;
  let tags: OnPremisesTagToRemove[] = [];
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.add(DeploymentsSubject.TagRequired, 'tags', 'must list at least one tag');
  } else {
    if (raw.length > maxOnPremisesInstanceTags) {
      problems.add(
        DeploymentsSubject.TagLimit,
        'tags',
        `must list at most ${maxOnPremisesInstanceTags} tags (the limit per instance)`,
      );
    }
    const parsed = raw.map((t: unknown, i) =>
      addTagProblems(problems, t, `tags[${i}]`, valueRequired),
    );
    tags = parsed.filter((t) => t !== undefined);
    if (valueRequired) {
      const keys = new Set<string>();
      tags.forEach((t, i) => {
        if (keys.has(t.Key))
          problems.add(DeploymentsSubject.Tag, `tags[${i}].Key`, `repeats the key '${t.Key}'`);
        keys.add(t.Key);
      });
    }
  }
  problems.throwIfAny();
  return { instanceNames, tags };
}

/**
 * AddTagsToOnPremisesInstances' input: "Keys and values are both required. Keys cannot be null or
 * empty strings. Value-only tags are not allowed" (botocore) → TagRequired/InvalidTag; an
 * instance name list → InstanceNameRequired/InvalidInstanceName/InstanceLimitExceeded.
 */
export function parseAddOnPremisesTags(input: OnPremisesTagsInput): {
  readonly instanceNames: readonly string[];
  readonly tags: readonly DeploymentTag[];
} {
  const { instanceNames, tags } = parseTagsInput(input, true);
  return { instanceNames, tags: tags as DeploymentTag[] };
}

/** RemoveTagsFromOnPremisesInstances' input: a Value is optional (it narrows the removal). */
export function parseRemoveOnPremisesTags(input: OnPremisesTagsInput): {
  readonly instanceNames: readonly string[];
  readonly tags: readonly OnPremisesTagToRemove[];
} {
  return parseTagsInput(input, false);
}

/**
 * An instance's tags after adding: a tag whose key the instance has replaces its value (Slipway's
 * choice: one value per key, as EC2 tags). Over 10 → TagLimitExceededException.
 */
export function addOnPremisesInstanceTags(
  instance: OnPremisesInstance,
  added: readonly DeploymentTag[],
): OnPremisesInstance {
  const byKey = new Map(instance.tags.map((t) => [t.Key, t.Value]));
  for (const tag of added) byKey.set(tag.Key, tag.Value);
  if (byKey.size > maxOnPremisesInstanceTags) {
    throw deploymentsError(
      AppErrorKind.LimitExceeded,
      DeploymentsSubject.TagLimit,
      `On-premises instance '${instance.instanceName}' would have ${byKey.size} tags; the limit is ${maxOnPremisesInstanceTags}`,
    );
  }
  return { ...instance, tags: [...byKey].map(([Key, Value]) => ({ Key, Value })) };
}

/** An instance's tags after removing those that match by key (and by value when one is given). */
export function removeOnPremisesInstanceTags(
  instance: OnPremisesInstance,
  removed: readonly OnPremisesTagToRemove[],
): OnPremisesInstance {
  const matches = (tag: DeploymentTag) =>
    removed.some((r) => r.Key === tag.Key && (r.Value === undefined || r.Value === tag.Value));
  return { ...instance, tags: instance.tags.filter((t) => !matches(t)) };
}
