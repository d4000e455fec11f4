import {
  AppError,
  AppErrorKind,
  type AppErrorKind as Kind,
  type FieldProblem,
} from '../errors/app-error.ts';

/**
 * The deployments component's errors. The resource names the subject precisely enough for the
 * CodeDeploy door to pick its wire error (kind × subject → code; codes from botocore codedeploy
 * 2014-10-06, operations Create/Get/List/DeleteDeploymentConfig):
 *
 * | kind          | subject                        | code                                          |
 * | ------------- | ------------------------------ | --------------------------------------------- |
 * | InvalidInput  | deployment-config-name-required| DeploymentConfigNameRequiredException         |
 * | InvalidInput  | deployment-config-name         | InvalidDeploymentConfigNameException          |
 * | InvalidInput  | minimum-healthy-hosts          | InvalidMinimumHealthyHostValueException       |
 * | InvalidInput  | compute-platform               | InvalidComputePlatformException               |
 * | InvalidInput  | traffic-routing-config         | InvalidTrafficRoutingConfigurationException   |
 * | InvalidInput  | zonal-config                   | InvalidZonalDeploymentConfigurationException  |
 * | InvalidInput  | predefined-deployment-config   | InvalidOperationException                     |
 * | AlreadyExists | deployment-config              | DeploymentConfigAlreadyExistsException        |
 * | NotFound      | deployment-config              | DeploymentConfigDoesNotExistException         |
 * | Conflict      | deployment-config-in-use       | DeploymentConfigInUseException                |
 * | LimitExceeded | deployment-configs             | DeploymentConfigLimitExceededException        |
 * | InvalidInput  | next-token                     | InvalidNextTokenException                     |
 *
 * Applications, deployment groups and on-premises instances (botocore operations
 * Create/Update/Get/DeleteApplication, Create/UpdateDeploymentGroup, RegisterOnPremisesInstance,
 * Add/RemoveTags(To|From)OnPremisesInstances). Limits found by validation are InvalidInput
 * problems whose subject names the …LimitExceededException:
 *
 * | kind          | subject                        | code                                          |
 * | ------------- | ------------------------------ | --------------------------------------------- |
 * | InvalidInput  | application-name-required      | ApplicationNameRequiredException              |
 * | InvalidInput  | application-name               | InvalidApplicationNameException               |
 * | AlreadyExists | application                    | ApplicationAlreadyExistsException             |
 * | NotFound      | application                    | ApplicationDoesNotExistException              |
 * | LimitExceeded | applications                   | ApplicationLimitExceededException             |
 * | InvalidInput  | tags-to-add                    | InvalidTagsToAddException                     |
 * | InvalidInput  | deployment-group-name-required | DeploymentGroupNameRequiredException          |
 * | InvalidInput  | deployment-group-name          | InvalidDeploymentGroupNameException           |
 * | AlreadyExists | deployment-group               | DeploymentGroupAlreadyExistsException         |
 * | NotFound      | deployment-group               | DeploymentGroupDoesNotExistException          |
 * | LimitExceeded | deployment-groups              | DeploymentGroupLimitExceededException         |
 * | InvalidInput  | role-required                  | RoleRequiredException                         |
 * | InvalidInput  | role                           | InvalidRoleException                          |
 * | InvalidInput  | tag                            | InvalidTagException                           |
 * | InvalidInput  | on-premises-tag-combination    | InvalidOnPremisesTagCombinationException      |
 * | InvalidInput  | tag-set-list-limit             | TagSetListLimitExceededException              |
 * | InvalidInput  | ec2-tag                        | InvalidEC2TagException                        |
 * | InvalidInput  | auto-scaling-group             | InvalidAutoScalingGroupException              |
 * | InvalidInput  | trigger-config                 | InvalidTriggerConfigException                 |
 * | InvalidInput  | trigger-targets-limit          | TriggerTargetsLimitExceededException          |
 * | InvalidInput  | alarm-config                   | InvalidAlarmConfigException                   |
 * | InvalidInput  | alarms-limit                   | AlarmsLimitExceededException                  |
 * | InvalidInput  | auto-rollback-config           | InvalidAutoRollbackConfigException            |
 * | InvalidInput  | deployment-style               | InvalidDeploymentStyleException               |
 * | InvalidInput  | load-balancer-info             | InvalidLoadBalancerInfoException              |
 * | InvalidInput  | blue-green-config              | InvalidBlueGreenDeploymentConfigurationException |
 * | InvalidInput  | ecs-service                    | InvalidECSServiceException                    |
 * | InvalidInput  | input                          | InvalidInputException                         |
 * | InvalidInput  | instance-name-required         | InstanceNameRequiredException                 |
 * | InvalidInput  | instance-name                  | InvalidInstanceNameException                  |
 * | AlreadyExists | instance                       | InstanceNameAlreadyRegisteredException        |
 * | NotFound      | instance                       | InstanceNotRegisteredException                |
 * | InvalidInput  | iam-arn-required               | IamArnRequiredException                       |
 * | InvalidInput  | multiple-iam-arns              | MultipleIamArnsProvidedException              |
 * | InvalidInput  | iam-user-arn                   | InvalidIamUserArnException                    |
 * | InvalidInput  | iam-session-arn                | InvalidIamSessionArnException                 |
 * | AlreadyExists | iam-user-arn                   | IamUserArnAlreadyRegisteredException          |
 * | AlreadyExists | iam-session-arn                | IamSessionArnAlreadyRegisteredException       |
 * | InvalidInput  | tag-required                   | TagRequiredException                          |
 * | InvalidInput  | tag-limit                      | TagLimitExceededException                     |
 * | LimitExceeded | tag-limit                      | TagLimitExceededException                     |
 * | InvalidInput  | instance-limit                 | InstanceLimitExceededException                |
 *
 * Deployments, revisions and targets (CreateDeployment, Get/BatchGet/List/StopDeployment,
 * *DeploymentTarget(s), *DeploymentInstance(s), *ApplicationRevision(s), List/BatchGet
 * OnPremisesInstances):
 *
 * | kind          | subject                          | code                                            |
 * | ------------- | -------------------------------- | ----------------------------------------------- |
 * | InvalidInput  | deployment-id-required           | DeploymentIdRequiredException                   |
 * | InvalidInput  | deployment-id                    | InvalidDeploymentIdException                    |
 * | NotFound      | deployment                       | DeploymentDoesNotExistException                 |
 * | Conflict      | deployment-already-completed     | DeploymentAlreadyCompletedException             |
 * | LimitExceeded | deployment-limit                 | DeploymentLimitExceededException                |
 * | Conflict      | deployment-not-started           | DeploymentNotStartedException                   |
 * | InvalidInput  | revision-required                | RevisionRequiredException                       |
 * | InvalidInput  | revision                         | InvalidRevisionException                        |
 * | NotFound      | revision-missing                 | RevisionDoesNotExistException                   |
 * | InvalidInput  | description                      | DescriptionTooLongException                     |
 * | InvalidInput  | file-exists-behavior             | InvalidFileExistsBehaviorException              |
 * | InvalidInput  | target-instances                 | InvalidTargetInstancesException                 |
 * | InvalidInput  | update-outdated-instances-only   | InvalidUpdateOutdatedInstancesOnlyValueException|
 * | InvalidInput  | ignore-application-stop-failures | InvalidIgnoreApplicationStopFailuresValueException |
 * | InvalidInput  | batch-limit                      | BatchLimitExceededException                     |
 * | InvalidInput  | time-range                       | InvalidTimeRangeException                       |
 * | InvalidInput  | deployment-status                | InvalidDeploymentStatusException                |
 * | InvalidInput  | external-id                      | InvalidExternalIdException                      |
 * | InvalidInput  | instance-status                  | InvalidInstanceStatusException                  |
 * | InvalidInput  | target-filter-name               | InvalidTargetFilterNameException                |
 * | InvalidInput  | instance-id-required             | InstanceIdRequiredException                     |
 * | NotFound      | deployment-instance              | InstanceDoesNotExistException                   |
 * | InvalidInput  | deployment-target-id-required    | DeploymentTargetIdRequiredException             |
 * | InvalidInput  | deployment-target-id             | InvalidDeploymentTargetIdException              |
 * | NotFound      | deployment-target                | DeploymentTargetDoesNotExistException           |
 * | InvalidInput  | deployment-target-list-size      | DeploymentTargetListSizeExceededException       |
 * | InvalidInput  | sort-by / sort-order             | InvalidSortByException / InvalidSortOrderException |
 * | InvalidInput  | bucket-name-filter(-required)    | InvalidBucketNameFilterException / BucketNameFilterRequiredException |
 * | InvalidInput  | key-prefix-filter                | InvalidKeyPrefixFilterException                 |
 * | InvalidInput  | deployed-state-filter            | InvalidDeployedStateFilterException             |
 * | InvalidInput  | registration-status              | InvalidRegistrationStatusException              |
 * | InvalidInput  | tag-filter                       | InvalidTagFilterException                       |
 *
 * Resource tags (TagResource, UntagResource, ListTagsForResource on application and deployment
 * group ARNs; a missing tag list is tag-required, a bad one tags-to-add, as above):
 *
 * | kind          | subject                          | code                                            |
 * | ------------- | -------------------------------- | ----------------------------------------------- |
 * | InvalidInput  | resource-arn-required            | ResourceArnRequiredException                    |
 * | InvalidInput  | arn                              | InvalidArnException                             |
 * | InvalidInput  | arn-not-supported                | ArnNotSupportedException                        |
 *
 * The agent-facing host-command service (codedeploy-commands, decision 15):
 *
 * | kind          | subject                          | code                                            |
 * | ------------- | -------------------------------- | ----------------------------------------------- |
 * | AccessDenied  | host-identity                    | AccessDeniedException                           |
 * | NotFound      | host-command                     | ResourceNotFoundException                       |
 *
 * DeleteDeploymentConfig lists no …DoesNotExistException in botocore: deleting a missing custom
 * configuration is left to the service (see the report's open questions).
 */
export const DeploymentsSubject = {
  DeploymentConfigNameRequired: 'deployment-config-name-required',
  DeploymentConfigName: 'deployment-config-name',
  MinimumHealthyHosts: 'minimum-healthy-hosts',
  ComputePlatform: 'compute-platform',
  TrafficRoutingConfig: 'traffic-routing-config',
  ZonalConfig: 'zonal-config',
  PredefinedDeploymentConfig: 'predefined-deployment-config',
  DeploymentConfig: 'deployment-config',
  DeploymentConfigInUse: 'deployment-config-in-use',
  DeploymentConfigs: 'deployment-configs',
  NextToken: 'next-token',
  ApplicationNameRequired: 'application-name-required',
  ApplicationName: 'application-name',
  Application: 'application',
  Applications: 'applications',
  TagsToAdd: 'tags-to-add',
  DeploymentGroupNameRequired: 'deployment-group-name-required',
  DeploymentGroupName: 'deployment-group-name',
  DeploymentGroup: 'deployment-group',
  DeploymentGroups: 'deployment-groups',
  RoleRequired: 'role-required',
  Role: 'role',
  Tag: 'tag',
  OnPremisesTagCombination: 'on-premises-tag-combination',
  TagSetListLimit: 'tag-set-list-limit',
  Ec2Tag: 'ec2-tag',
  AutoScalingGroup: 'auto-scaling-group',
  TriggerConfig: 'trigger-config',
  TriggerTargetsLimit: 'trigger-targets-limit',
  AlarmConfig: 'alarm-config',
  AlarmsLimit: 'alarms-limit',
  AutoRollbackConfig: 'auto-rollback-config',
  DeploymentStyle: 'deployment-style',
  LoadBalancerInfo: 'load-balancer-info',
  BlueGreenConfig: 'blue-green-config',
  EcsService: 'ecs-service',
  Input: 'input',
  InstanceNameRequired: 'instance-name-required',
  InstanceName: 'instance-name',
  Instance: 'instance',
  IamArnRequired: 'iam-arn-required',
  MultipleIamArns: 'multiple-iam-arns',
  IamUserArn: 'iam-user-arn',
  IamSessionArn: 'iam-session-arn',
  TagRequired: 'tag-required',
  TagLimit: 'tag-limit',
  InstanceLimit: 'instance-limit',
  DeploymentIdRequired: 'deployment-id-required',
  DeploymentId: 'deployment-id',
  Deployment: 'deployment',
  DeploymentAlreadyCompleted: 'deployment-already-completed',
  DeploymentLimit: 'deployment-limit',
  DeploymentNotStarted: 'deployment-not-started',
  RevisionRequired: 'revision-required',
  Revision: 'revision',
  RevisionMissing: 'revision-missing',
  Description: 'description',
  FileExistsBehavior: 'file-exists-behavior',
  TargetInstances: 'target-instances',
  UpdateOutdatedInstancesOnly: 'update-outdated-instances-only',
  IgnoreApplicationStopFailures: 'ignore-application-stop-failures',
  BatchLimit: 'batch-limit',
  TimeRange: 'time-range',
  DeploymentStatus: 'deployment-status',
  ExternalId: 'external-id',
  InstanceStatus: 'instance-status',
  TargetFilterName: 'target-filter-name',
  InstanceIdRequired: 'instance-id-required',
  DeploymentInstance: 'deployment-instance',
  DeploymentTargetIdRequired: 'deployment-target-id-required',
  DeploymentTargetId: 'deployment-target-id',
  DeploymentTarget: 'deployment-target',
  DeploymentTargetListSize: 'deployment-target-list-size',
  SortBy: 'sort-by',
  SortOrder: 'sort-order',
  BucketNameFilter: 'bucket-name-filter',
  BucketNameFilterRequired: 'bucket-name-filter-required',
  KeyPrefixFilter: 'key-prefix-filter',
  DeployedStateFilter: 'deployed-state-filter',
  RegistrationStatus: 'registration-status',
  TagFilter: 'tag-filter',
  ResourceArnRequired: 'resource-arn-required',
  /** An ARN that is not one: not `arn:<partition>:<service>:<region>:<account>:<resource>`. */
  Arn: 'arn',
  /** A well-formed ARN of something that takes no tags here (another service, a configuration). */
  ArnNotSupported: 'arn-not-supported',
  /** Host-command callers: the agent's credentials are not the instance's. */
  HostIdentity: 'host-identity',
  /** A HostCommandIdentifier or DeploymentExecutionId that names nothing this host holds. */
  HostCommand: 'host-command',
} as const;
export type DeploymentsSubject = (typeof DeploymentsSubject)[keyof typeof DeploymentsSubject];

export function deploymentsError(
  kind: Kind,
  subject: DeploymentsSubject,
  message: string,
  problems: readonly FieldProblem[] = [],
): AppError {
  return new AppError(kind, message, { resource: subject, problems });
}

export const invalidDeploymentsInput = (
  subject: DeploymentsSubject,
  message: string,
  problems: readonly FieldProblem[] = [],
) => deploymentsError(AppErrorKind.InvalidInput, subject, message, problems);

export function deploymentConfigNotFound(name: string): AppError {
  return deploymentsError(
    AppErrorKind.NotFound,
    DeploymentsSubject.DeploymentConfig,
    `Deployment config '${name}' does not exist`,
  );
}

export function deploymentConfigAlreadyExists(name: string): AppError {
  return deploymentsError(
    AppErrorKind.AlreadyExists,
    DeploymentsSubject.DeploymentConfig,
    `Deployment config '${name}' already exists`,
  );
}

export function deploymentConfigInUse(name: string): AppError {
  return deploymentsError(
    AppErrorKind.Conflict,
    DeploymentsSubject.DeploymentConfigInUse,
    `Deployment config '${name}' is in use by a deployment group or an active deployment`,
  );
}

export function applicationNotFound(name: string): AppError {
  return deploymentsError(
    AppErrorKind.NotFound,
    DeploymentsSubject.Application,
    `Application '${name}' does not exist`,
  );
}

export function applicationAlreadyExists(name: string): AppError {
  return deploymentsError(
    AppErrorKind.AlreadyExists,
    DeploymentsSubject.Application,
    `Application '${name}' already exists`,
  );
}

export function deploymentGroupNotFound(applicationName: string, name: string): AppError {
  return deploymentsError(
    AppErrorKind.NotFound,
    DeploymentsSubject.DeploymentGroup,
    `Deployment group '${name}' does not exist in application '${applicationName}'`,
  );
}

export function deploymentGroupAlreadyExists(applicationName: string, name: string): AppError {
  return deploymentsError(
    AppErrorKind.AlreadyExists,
    DeploymentsSubject.DeploymentGroup,
    `Deployment group '${name}' already exists in application '${applicationName}'`,
  );
}

export function onPremisesInstanceNotRegistered(name: string): AppError {
  return deploymentsError(
    AppErrorKind.NotFound,
    DeploymentsSubject.Instance,
    `On-premises instance '${name}' is not registered`,
  );
}

export function onPremisesInstanceAlreadyRegistered(name: string): AppError {
  return deploymentsError(
    AppErrorKind.AlreadyExists,
    DeploymentsSubject.Instance,
    `On-premises instance '${name}' is already registered`,
  );
}

/** A validation problem with the subject (and so the AWS error) it belongs to. */
export interface DeploymentsProblem extends FieldProblem {
  readonly subject: DeploymentsSubject;
}

/**
 * Collects every problem of an input with its path and subject (STYLE: "Validation reports every
 * problem at once, with its path"). AWS answers one error per call; the error's subject is the
 * first in `precedence` that has a problem (AWS's own order is not documented).
 */
export class DeploymentsProblems {
  readonly list: DeploymentsProblem[] = [];
  readonly #precedence: readonly DeploymentsSubject[];

  constructor(precedence: readonly DeploymentsSubject[]) {
    this.#precedence = precedence;
  }

  add(subject: DeploymentsSubject, path: string, message: string): void {
    this.list.push({ subject, path, message });
  }

  throwIfAny(): void {
    if (this.list.length === 0) return;
    const subject =
      this.#precedence.find((s) => this.list.some((p) => p.subject === s)) ??
      this.list[0]?.subject ??
      DeploymentsSubject.DeploymentConfigName;
    const message = this.list.map((p) => `${p.path}: ${p.message}`).join('; ');
    throw invalidDeploymentsInput(subject, message, this.list);
  }
}
