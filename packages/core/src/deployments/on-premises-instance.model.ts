import type { DeploymentTag } from './deployment-tags.ts';

/**
 * A registered (or deregistered) on-premises instance: botocore codedeploy 2014-10-06
 * `InstanceInfo`, with its field names; times are epoch milliseconds. Exactly one of
 * `iamUserArn` and `iamSessionArn` is set: it is the identity the instance's agent presents
 * (its HostIdentifier, reference/aws-compat.md §5.8).
 */
export interface OnPremisesInstance {
  readonly instanceName: string;
  readonly iamUserArn?: string;
  readonly iamSessionArn?: string;
  readonly instanceArn: string;
  readonly registerTime: number;
  /** Set once DeregisterOnPremisesInstance was called; the instance is then never targeted. */
  readonly deregisterTime?: number;
  readonly tags: readonly DeploymentTag[];
}

/** botocore `RegistrationStatus`, the filter of ListOnPremisesInstances. */
export const OnPremisesRegistrationStatus = {
  Registered: 'Registered',
  Deregistered: 'Deregistered',
} as const;
export type OnPremisesRegistrationStatus =
  (typeof OnPremisesRegistrationStatus)[keyof typeof OnPremisesRegistrationStatus];

export function onPremisesRegistrationStatus(
  instance: OnPremisesInstance,
): OnPremisesRegistrationStatus {
  return instance.deregisterTime === undefined
    ? OnPremisesRegistrationStatus.Registered
    : OnPremisesRegistrationStatus.Deregistered;
}

/**
 * Instance name rules botocore does not state (its `InstanceName` has no constraint) but the AWS
 * CLI's `deploy register` enforces (awscli `customizations/codedeploy/utils.py`): letters, digits
 * and `+ = , . @ _ -`, at most 100 characters, not starting with `i-` (EC2 instance ids).
 */
export const maxOnPremisesInstanceNameLength = 100;
export const onPremisesInstanceNamePattern = /^[A-Za-z0-9+=,.@_-]+$/;

/**
 * At most 10 tags per on-premises instance: awscli `MAX_TAGS_PER_INSTANCE` (checked by `deploy
 * register`) and the user guide's console steps ("You can repeat this for up to 10 tags");
 * the API reference states no figure.
 */
export const maxOnPremisesInstanceTags = 10;

/**
 * How many instance names one Add/RemoveTags call may name before InstanceLimitExceededException:
 * not documented; Slipway uses the BatchGetOnPremisesInstances limit (quotas: 100).
 */
export const maxOnPremisesInstancesPerCall = 100;

/**
 * An IAM user ARN as awscli's IAM_USER_ARN_PATTERN, with any AWS partition and a 12-character
 * alphanumeric account: the user guide's own example is
 * `arn:aws:iam::80398EXAMPLE:user/CodeDeployUser-OnPrem` (register-on-premises-instance-iam-user-arn).
 */
export const onPremisesIamUserArnPattern =
  /^arn:aws(-[a-z]+)*:iam::[A-Za-z0-9]{12}:user\/[A-Za-z0-9/+=,.@_-]+$/;
/** An STS assumed-role session ARN (arn:aws:sts::<account>:assumed-role/<role>/<session>). */
export const onPremisesIamSessionArnPattern =
  /^arn:aws(-[a-z]+)*:sts::[A-Za-z0-9]{12}:assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+$/;
