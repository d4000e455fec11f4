import { addResourceTagProblems } from './deployment-tags.ts';
import {
  deploymentResourceNamePattern,
  maxApplicationNameLength,
  type DeploymentApplication,
} from './application.model.ts';
import { DeploymentComputePlatform } from './deployment-config.model.ts';
import { DeploymentsProblems, DeploymentsSubject } from './deployments.errors.ts';

/** CreateApplication's input as the door parsed it (botocore member names). */
export interface CreateApplicationInput {
  readonly applicationName?: unknown;
  readonly computePlatform?: unknown;
  readonly tags?: unknown;
}

/** UpdateApplication's input: both members are optional in botocore. */
export interface UpdateApplicationInput {
  readonly applicationName?: unknown;
  readonly newApplicationName?: unknown;
}

const applicationPrecedence = [
  DeploymentsSubject.ApplicationNameRequired,
  DeploymentsSubject.ApplicationName,
  DeploymentsSubject.ComputePlatform,
  DeploymentsSubject.TagsToAdd,
] as const;

/**
 * Adds the problems of an application name: missing or empty → ApplicationNameRequiredException;
 * over 100 characters or outside `[A-Za-z0-9._+=,@-]` → InvalidApplicationNameException.
 */
export function addApplicationNameProblems(
  problems: DeploymentsProblems,
  name: unknown,
  path = 'applicationName',
): name is string {
  if (name === undefined || name === null || name === '') {
    problems.add(DeploymentsSubject.ApplicationNameRequired, path, 'is required');
    return false;
  }
  if (typeof name !== 'string' || name.length > maxApplicationNameLength) {
    problems.add(
      DeploymentsSubject.ApplicationName,
      path,
      `must be 1 to ${maxApplicationNameLength} characters`,
    );
    return false;
  }
  if (!deploymentResourceNamePattern.test(name)) {
    problems.add(
      DeploymentsSubject.ApplicationName,
      path,
      'may contain only letters, digits and . _ + = , @ -',
    );
    return false;
  }
  return true;
}

/** Checks an application name as Get/Delete/BatchGet and the group operations take it. */
export function checkApplicationName(
  name: unknown,
  path = 'applicationName',
): asserts name is string {
  const problems = new DeploymentsProblems(applicationPrecedence);
  addApplicationNameProblems(problems, name, path);
  problems.throwIfAny();
}

function addComputePlatformProblems(problems: DeploymentsProblems, platform: unknown): void {
  if (platform === undefined || platform === DeploymentComputePlatform.Server) return;
  const known = (Object.values(DeploymentComputePlatform) as unknown[]).includes(platform);
  problems.add(
    DeploymentsSubject.ComputePlatform,
    'computePlatform',
    known
      ? `${platform as string} is not supported: Slipway deploys to the Server compute platform only`
      : 'must be Server, Lambda or ECS',
  );
}

/**
 * The application CreateApplication describes, every problem reported at once. Whether the name
 * is taken (ApplicationAlreadyExistsException) and the account's limit
 * (ApplicationLimitExceededException) are the service's checks.
 */
export function newDeploymentApplication(
  input: CreateApplicationInput,
  created: { readonly id: string; readonly now: number },
): DeploymentApplication {
  const problems = new DeploymentsProblems(applicationPrecedence);
  addApplicationNameProblems(problems, input.applicationName);
  addComputePlatformProblems(problems, input.computePlatform);
  const tags = addResourceTagProblems(problems, input.tags);
  problems.throwIfAny();
  return {
    applicationId: created.id,
    applicationName: input.applicationName as string,
    createTime: created.now,
    linkedToGitHub: false,
    computePlatform: DeploymentComputePlatform.Server,
    tags,
  };
}

/**
 * UpdateApplication's names, checked together: both are required by CodeDeploy's behaviour even
 * though botocore marks neither required. Whether the current one exists
 * (ApplicationDoesNotExistException) and the new one is free (ApplicationAlreadyExistsException)
 * are the service's checks.
 */
export function parseApplicationRename(input: UpdateApplicationInput): {
  readonly applicationName: string;
  readonly newApplicationName: string;
} {
  const problems = new DeploymentsProblems(applicationPrecedence);
  addApplicationNameProblems(problems, input.applicationName, 'applicationName');
  addApplicationNameProblems(problems, input.newApplicationName, 'newApplicationName');
  problems.throwIfAny();
  return {
    applicationName: input.applicationName as string,
    newApplicationName: input.newApplicationName as string,
  };
}

/** The application under its new name; everything else, the id included, is kept. */
export function renameDeploymentApplication(
  application: DeploymentApplication,
  newApplicationName: string,
): DeploymentApplication {
  return { ...application, applicationName: newApplicationName };
}
