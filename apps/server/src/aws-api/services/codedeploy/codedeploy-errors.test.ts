import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  AppError,
  AppErrorKind,
  DeploymentsSubject,
  type AppErrorKind as Kind,
} from '@slipway/core';
import { describe, expect, it } from 'vitest';
import { resolveError, type AwsErrorRule } from '../../error-table.ts';
import { codedeployErrors } from './codedeploy-errors.ts';

const codeOf = (kind: Kind, resource?: string) =>
  resolveError(codedeployErrors, new AppError(kind, 'm', { resource })).code;

/**
 * The rows of the table in the header of deployments.errors.ts: kind, subject, code. A row that
 * names two subjects (`sort-by / sort-order`, `bucket-name-filter(-required)`) is two rows.
 */
function documentedRows(): [Kind, string, string][] {
  const require = createRequire(import.meta.url);
  const core = require.resolve('@slipway/core');
  const source = readFileSync(
    core.replace(/index\.ts$/, 'deployments/deployments.errors.ts'),
    'utf8',
  );
  const rows: [Kind, string, string][] = [];
  for (const line of source.split('\n')) {
    const cells = /^\s*\*\s*\|\s*(\w+)\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*$/.exec(line);
    const [, kind, subject, code] = cells ?? [];
    if (kind === undefined || subject === undefined || code === undefined) continue;
    if (!(kind in AppErrorKind)) continue;
    const optional = /^(.+)\((-[\w-]+)\)$/.exec(subject);
    if (optional !== null) {
      const [plain, suffixed] = code.split(' / ');
      rows.push([kind as Kind, optional[1] as string, plain as string]);
      rows.push([
        kind as Kind,
        `${optional[1] as string}${optional[2] as string}`,
        suffixed as string,
      ]);
    } else if (subject.includes(' / ')) {
      const codes = code.split(' / ');
      subject.split(' / ').forEach((s, i) => rows.push([kind as Kind, s, codes[i] as string]));
    } else {
      rows.push([kind as Kind, subject, code]);
    }
  }
  return rows;
}

/** The exceptions of botocore's codedeploy 2014-10-06 model. */
const modelled = new Set(
  `AlarmsLimitExceededException ApplicationAlreadyExistsException ApplicationDoesNotExistException
  ApplicationLimitExceededException ApplicationNameRequiredException ArnNotSupportedException
  BatchLimitExceededException BucketNameFilterRequiredException DeploymentAlreadyCompletedException
  DeploymentAlreadyStartedException DeploymentConfigAlreadyExistsException
  DeploymentConfigDoesNotExistException DeploymentConfigInUseException
  DeploymentConfigLimitExceededException DeploymentConfigNameRequiredException
  DeploymentDoesNotExistException DeploymentGroupAlreadyExistsException
  DeploymentGroupDoesNotExistException DeploymentGroupLimitExceededException
  DeploymentGroupNameRequiredException DeploymentIdRequiredException
  DeploymentIsNotInReadyStateException DeploymentLimitExceededException
  DeploymentNotStartedException DeploymentTargetDoesNotExistException
  DeploymentTargetIdRequiredException DeploymentTargetListSizeExceededException
  DescriptionTooLongException ECSServiceMappingLimitExceededException
  GitHubAccountTokenDoesNotExistException GitHubAccountTokenNameRequiredException
  IamArnRequiredException IamSessionArnAlreadyRegisteredException
  IamUserArnAlreadyRegisteredException IamUserArnRequiredException InstanceDoesNotExistException
  InstanceIdRequiredException InstanceLimitExceededException InstanceNameAlreadyRegisteredException
  InstanceNameRequiredException InstanceNotRegisteredException InvalidAlarmConfigException
  InvalidApplicationNameException InvalidArnException InvalidAutoRollbackConfigException
  InvalidAutoScalingGroupException InvalidBlueGreenDeploymentConfigurationException
  InvalidBucketNameFilterException InvalidComputePlatformException
  InvalidDeployedStateFilterException InvalidDeploymentConfigNameException
  InvalidDeploymentGroupNameException InvalidDeploymentIdException
  InvalidDeploymentInstanceTypeException InvalidDeploymentStatusException
  InvalidDeploymentStyleException InvalidDeploymentTargetIdException
  InvalidDeploymentWaitTypeException InvalidEC2TagCombinationException InvalidEC2TagException
  InvalidECSServiceException InvalidExternalIdException InvalidFileExistsBehaviorException
  InvalidGitHubAccountTokenException InvalidGitHubAccountTokenNameException
  InvalidIamSessionArnException InvalidIamUserArnException
  InvalidIgnoreApplicationStopFailuresValueException InvalidInputException
  InvalidInstanceIdException InvalidInstanceNameException InvalidInstanceStatusException
  InvalidInstanceTypeException InvalidKeyPrefixFilterException
  InvalidLifecycleEventHookExecutionIdException InvalidLifecycleEventHookExecutionStatusException
  InvalidLoadBalancerInfoException InvalidMinimumHealthyHostValueException
  InvalidNextTokenException InvalidOnPremisesTagCombinationException InvalidOperationException
  InvalidRegistrationStatusException InvalidRevisionException InvalidRoleException
  InvalidSortByException InvalidSortOrderException InvalidTagException InvalidTagFilterException
  InvalidTagsToAddException InvalidTargetException InvalidTargetFilterNameException
  InvalidTargetGroupPairException InvalidTargetInstancesException InvalidTimeRangeException
  InvalidTrafficRoutingConfigurationException InvalidTriggerConfigException
  InvalidUpdateOutdatedInstancesOnlyValueException InvalidZonalDeploymentConfigurationException
  LifecycleEventAlreadyCompletedException LifecycleHookLimitExceededException
  MultipleIamArnsProvidedException OperationNotSupportedException ResourceArnRequiredException
  ResourceValidationException RevisionDoesNotExistException RevisionRequiredException
  RoleRequiredException TagLimitExceededException TagRequiredException
  TagSetListLimitExceededException ThrottlingException TriggerTargetsLimitExceededException
  UnsupportedActionForDeploymentTypeException`.split(/\s+/),
);
/** What every AWS JSON service may answer, whatever its model lists. */
const common = new Set([
  'UnrecognizedClientException',
  'AccessDeniedException',
  'ThrottlingException',
  'ServiceUnavailableException',
  'InternalFailure',
  // Fallbacks for a subject no table row names: a bug, shown as what it is.
  'ResourceNotFoundException',
  'LimitExceededException',
]);

describe('CodeDeploy error table', () => {
  const rows = documentedRows();

  it('reads every row of the documented table', () => {
    // The three tables of deployments.errors.ts, less the host-command door's two rows.
    expect(rows.length).toBeGreaterThanOrEqual(90);
  });

  // One case per row of the header table of deployments.errors.ts.
  it.each(rows.filter(([, subject]) => !subject.startsWith('host-')))(
    '%s × %s → %s',
    (kind, subject, code) => {
      expect(codeOf(kind, subject)).toBe(code);
    },
  );

  it('has a documented row for every deployments subject', () => {
    const documented = new Set(rows.map(([, subject]) => subject));
    for (const subject of Object.values(DeploymentsSubject)) {
      expect(documented, `subject ${subject}`).toContain(subject);
    }
  });

  it('answers only codes of the model, or the ones every JSON service shares', () => {
    const codes = Object.values(codedeployErrors).flatMap((rule: AwsErrorRule) =>
      'byResource' in rule ? [...Object.values(rule.byResource), rule.otherwise] : [rule],
    );
    for (const { code, status } of codes) {
      expect(modelled.has(code) || common.has(code), code).toBe(true);
      expect(status === 400 || status >= 500, `${code} ${status}`).toBe(true);
    }
  });

  it.each([
    [AppErrorKind.NotFound, 'ResourceNotFoundException'],
    [AppErrorKind.AlreadyExists, 'InvalidInputException'],
    [AppErrorKind.InvalidInput, 'InvalidInputException'],
    [AppErrorKind.Conflict, 'InvalidOperationException'],
    [AppErrorKind.LimitExceeded, 'LimitExceededException'],
    [AppErrorKind.Internal, 'InternalFailure'],
  ])('falls back for a subject it does not know: %s → %s', (kind, code) => {
    expect(codeOf(kind, 'unheard-of')).toBe(code);
  });
});
