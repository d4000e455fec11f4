import { AppErrorKind } from '../errors/app-error.ts';
import {
  DeploymentComputePlatform,
  isPredefinedDeploymentConfigName,
  settableMinimumHealthyHostsTypes,
  type DeploymentConfig,
  type MinimumHealthyHosts,
  type SettableMinimumHealthyHostsType,
} from './deployment-config.model.ts';
import {
  deploymentConfigAlreadyExists,
  deploymentsError,
  DeploymentsProblems,
  DeploymentsSubject,
} from './deployments.errors.ts';

/** CreateDeploymentConfig's input as the door parsed it (botocore member names). */
export interface DeploymentConfigInput {
  readonly deploymentConfigName?: string | undefined;
  readonly minimumHealthyHosts?:
    { readonly type?: string | undefined; readonly value?: number | undefined } | undefined;
  readonly computePlatform?: string | undefined;
  readonly trafficRoutingConfig?: unknown;
  readonly zonalConfig?: unknown;
}

/** botocore `DeploymentConfigName`: 1 to 100 characters, no pattern. */
export const maxDeploymentConfigNameLength = 100;
/** botocore `MinimumHealthyHostsValue` is an integer; AWS documents no bound beyond that. */
const maxHostCount = 2 ** 31 - 1;
const maxFleetPercent = 100;

const createPrecedence = [
  DeploymentsSubject.DeploymentConfigNameRequired,
  DeploymentsSubject.DeploymentConfigName,
  DeploymentsSubject.ComputePlatform,
  DeploymentsSubject.MinimumHealthyHosts,
  DeploymentsSubject.TrafficRoutingConfig,
  DeploymentsSubject.ZonalConfig,
] as const;

/**
 * Checks a deployment configuration name as Get/Delete/CreateDeploymentConfig take it: missing or
 * empty → DeploymentConfigNameRequiredException; longer than 100 → InvalidDeploymentConfigName.
 */
export function checkDeploymentConfigName(
  name: string | undefined,
  path = 'deploymentConfigName',
): asserts name is string {
  const problems = new DeploymentsProblems(createPrecedence);
  addNameProblems(problems, name, path);
  problems.throwIfAny();
}

function addNameProblems(problems: DeploymentsProblems, name: unknown, path: string): void {
  if (name === undefined || name === '') {
    problems.add(DeploymentsSubject.DeploymentConfigNameRequired, path, 'is required');
  } else if (typeof name !== 'string' || name.length > maxDeploymentConfigNameLength) {
    problems.add(
      DeploymentsSubject.DeploymentConfigName,
      path,
      `must be 1 to ${maxDeploymentConfigNameLength} characters`,
    );
  }
}

function addMinimumHealthyHostsProblems(
  problems: DeploymentsProblems,
  given: DeploymentConfigInput['minimumHealthyHosts'],
): MinimumHealthyHosts | undefined {
  const subject = DeploymentsSubject.MinimumHealthyHosts;
  const path = 'minimumHealthyHosts';
  if (given === undefined) {
    // AWS: "minimum healthy hosts argument is missing" (InvalidMinimumHealthyHostValueException,
    // quoted in https://github.com/awsdocs/aws-cloudformation-user-guide/pull/451).
    problems.add(subject, path, 'is required for the Server compute platform');
    return undefined;
  }
  const { type, value } = given;
  const typeOk = (settableMinimumHealthyHostsTypes as readonly unknown[]).includes(type);
  if (!typeOk) {
    problems.add(subject, `${path}.type`, 'must be HOST_COUNT or FLEET_PERCENT');
  }
  if (value === undefined) {
    problems.add(subject, `${path}.value`, 'is required');
    return undefined;
  }
  const max = type === 'FLEET_PERCENT' ? maxFleetPercent : maxHostCount;
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    const what = type === 'FLEET_PERCENT' ? 'a percentage' : 'a number of instances';
    problems.add(subject, `${path}.value`, `must be a whole number from 0 to ${max} (${what})`);
    return undefined;
  }
  return typeOk ? { type: type as SettableMinimumHealthyHostsType, value } : undefined;
}

/**
 * The custom Server configuration CreateDeploymentConfig describes, every input problem reported
 * at once; a predefined name (`CodeDeployDefault.*`) already exists in every account.
 */
export function newDeploymentConfig(
  input: DeploymentConfigInput,
  created: { readonly id: string; readonly now: number },
): DeploymentConfig {
  const problems = new DeploymentsProblems(createPrecedence);
  addNameProblems(problems, input.deploymentConfigName, 'deploymentConfigName');
  const platform = input.computePlatform ?? DeploymentComputePlatform.Server;
  if (platform !== DeploymentComputePlatform.Server) {
    const known = (Object.values(DeploymentComputePlatform) as string[]).includes(platform);
    problems.add(
      DeploymentsSubject.ComputePlatform,
      'computePlatform',
      known
        ? `${platform} is not supported: Slipway deploys to the Server compute platform only`
        : 'must be Server, Lambda or ECS',
    );
  }
  const minimumHealthyHosts = addMinimumHealthyHostsProblems(problems, input.minimumHealthyHosts);
  if (input.trafficRoutingConfig !== undefined) {
    problems.add(
      DeploymentsSubject.TrafficRoutingConfig,
      'trafficRoutingConfig',
      'applies to the Lambda and ECS compute platforms only',
    );
  }
  if (input.zonalConfig !== undefined) {
    problems.add(DeploymentsSubject.ZonalConfig, 'zonalConfig', 'is not supported by Slipway');
  }
  problems.throwIfAny();
  const name = input.deploymentConfigName as string;
  if (isPredefinedDeploymentConfigName(name)) throw deploymentConfigAlreadyExists(name);
  return {
    name,
    id: created.id,
    minimumHealthyHosts: minimumHealthyHosts as MinimumHealthyHosts,
    computePlatform: DeploymentComputePlatform.Server,
    createTime: created.now,
    predefined: false,
  };
}

/**
 * DeleteDeploymentConfig's own checks: predefined configurations cannot be deleted (botocore
 * `DeleteDeploymentConfig` documentation) → InvalidOperationException. Whether a custom one is in
 * use (DeploymentConfigInUseException) needs the store and is the service's check.
 */
export function checkDeletableDeploymentConfig(name: string | undefined): void {
  checkDeploymentConfigName(name);
  if (isPredefinedDeploymentConfigName(name)) {
    throw deploymentsError(
      AppErrorKind.InvalidInput,
      DeploymentsSubject.PredefinedDeploymentConfig,
      `Deployment config '${name}' is predefined and cannot be deleted`,
    );
  }
}
