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
