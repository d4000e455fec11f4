import { AppError, AppErrorKind } from '../errors/app-error.ts';
import type { Scope } from '../source/source.deps.ts';
import { buildIdOf, type Build } from './build.model.ts';
import type { BuildsDeps, ResolvedBuildsOptions } from './builds.deps.ts';
import { BuildsSubject, buildsNotFound } from './builds.errors.ts';
import type { Project } from './project.model.ts';

/** What the parts of the service share. */
export interface BuildsContext {
  readonly deps: BuildsDeps;
  readonly options: ResolvedBuildsOptions;
}

export async function requireProject(
  context: BuildsContext,
  scope: Scope,
  name: string,
): Promise<Project> {
  const project = await context.deps.projects.find(scope.accountId, scope.region, name);
  if (project === undefined) {
    throw buildsNotFound(BuildsSubject.Project, `Project cannot be found: ${name}`);
  }
  return project;
}

/** The build an id (or build ARN) names, when it is the caller's. */
export async function findScopedBuild(
  context: BuildsContext,
  scope: Scope,
  idOrArn: string,
): Promise<Build | undefined> {
  const id = buildIdOf(scope, idOrArn);
  if (id === undefined) return undefined;
  const build = await context.deps.builds.find(id);
  return build !== undefined && inScope(build, scope) ? build : undefined;
}

export async function requireBuild(
  context: BuildsContext,
  scope: Scope,
  idOrArn: string,
): Promise<Build> {
  const build = await findScopedBuild(context, scope, idOrArn);
  if (build === undefined)
    throw buildsNotFound(BuildsSubject.Build, `Build cannot be found: ${idOrArn}`);
  return build;
}

export function inScope(resource: { accountId: string; region: string }, scope: Scope): boolean {
  return resource.accountId === scope.accountId && resource.region === scope.region;
}

/** Returned by a `changeBuild` step when the build changed under it: read again and retry. */
export const moved = Symbol('moved');

/** Compare-and-swap rounds before giving up; each loses only to a write that made progress. */
const changeAttempts = 8;

/**
 * Reads a build and runs `step` on it until the step's write wins (it returns anything but
 * `moved`). Every build write is a compare-and-swap on `version`, so a step that loses
 * re-decides from what the winner wrote instead of overwriting it.
 */
export async function changeBuild<T>(
  context: BuildsContext,
  buildId: string,
  step: (build: Build) => Promise<T | typeof moved>,
): Promise<T> {
  for (let attempt = 0; attempt < changeAttempts; attempt++) {
    const build = await context.deps.builds.find(buildId);
    if (build === undefined) {
      throw buildsNotFound(BuildsSubject.Build, `Build cannot be found: ${buildId}`);
    }
    const result = await step(build);
    if (result !== moved) return result;
  }
  throw new AppError(AppErrorKind.Unavailable, `Build ${buildId} is changing too fast; retry`, {
    resource: BuildsSubject.Build,
  });
}
