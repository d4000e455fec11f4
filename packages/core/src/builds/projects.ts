import type { Scope } from '../source/source.deps.ts';
import { requireProject, type BuildsContext } from './builds.context.ts';
import { BuildsSubject, invalidBuildsInput } from './builds.errors.ts';
import { ProjectSortBy } from './builds.ports.ts';
import { decodePageToken, encodePageToken, isPageCursor, pageOf, SortOrderType } from './paging.ts';
import {
  checkProjectName,
  newProject,
  updatedProject,
  type ProjectInput,
  type ProjectUpdate,
} from './project-validation.ts';
import { projectNameOf, type Project } from './project.model.ts';
import { isOneOf } from './problems.ts';

export interface ListProjectsInput {
  /** NAME (the default), CREATED_TIME or LAST_MODIFIED_TIME. */
  readonly sortBy?: string | undefined;
  /** ASCENDING (the default) or DESCENDING. */
  readonly sortOrder?: string | undefined;
  readonly nextToken?: string | undefined;
}

export interface ListProjectsOutput {
  readonly projects: string[];
  readonly nextToken: string | undefined;
}

export interface BatchGetProjectsOutput {
  readonly projects: Project[];
  readonly projectsNotFound: string[];
}

/** CodeBuild pages its lists 100 at a time. */
export const codeBuildPageSize = 100;
export const codeBuildBatchLimit = 100;

/** CreateProject, UpdateProject, DeleteProject, BatchGetProjects, ListProjects. */
export class ProjectOperations {
  readonly #context: BuildsContext;

  constructor(context: BuildsContext) {
    this.#context = context;
  }

  async createProject(scope: Scope, input: ProjectInput): Promise<Project> {
    const project = newProject(scope, input, this.#context.deps.clock.now());
    await this.#context.deps.projects.insert(project);
    return project;
  }

  /** A raised or removed concurrentBuildLimit releases held builds at once. */
  async updateProject(scope: Scope, update: ProjectUpdate): Promise<Project> {
    const name = this.#nameOf(scope, update.name);
    const current = await requireProject(this.#context, scope, name);
    const next = updatedProject(current, update, this.#context.deps.clock.now());
    const stored = await this.#context.deps.projects.update(next);
    const before = current.concurrentBuildLimit ?? Infinity;
    if ((stored.concurrentBuildLimit ?? Infinity) > before) {
      await this.#context.deps.builds.releaseHeld({ ...scope, projectName: name });
    }
    return stored;
  }

  /**
   * False when there was no such project (not an error, as in CodeBuild). Its builds stay; held
   * ones are dispatched, since no limit holds them any more: a started build is never dropped.
   */
  async deleteProject(scope: Scope, nameOrArn: string): Promise<boolean> {
    const name = this.#nameOf(scope, nameOrArn);
    const deleted = await this.#context.deps.projects.delete(scope.accountId, scope.region, name);
    if (deleted) await this.#context.deps.builds.releaseHeld({ ...scope, projectName: name });
    return deleted;
  }

  findProject(scope: Scope, nameOrArn: string): Promise<Project | undefined> {
    const name = projectNameOf(scope, nameOrArn);
    if (name === undefined) return Promise.resolve(undefined);
    return this.#context.deps.projects.find(scope.accountId, scope.region, name);
  }

  getProject(scope: Scope, nameOrArn: string): Promise<Project> {
    return requireProject(this.#context, scope, this.#nameOf(scope, nameOrArn));
  }

  /** Names or ARNs, 1 to 100; the ones not found are given back as asked. */
  async batchGetProjects(scope: Scope, names: readonly string[]): Promise<BatchGetProjectsOutput> {
    checkBatchSize(names, 'names');
    const found = await Promise.all(names.map((n) => this.findProject(scope, n)));
    return {
      projects: found.filter((p): p is Project => p !== undefined),
      projectsNotFound: names.filter((_, i) => found[i] === undefined),
    };
  }

  async listProjects(scope: Scope, input: ListProjectsInput = {}): Promise<ListProjectsOutput> {
    const sortBy = input.sortBy ?? ProjectSortBy.Name;
    const sortOrder = input.sortOrder ?? SortOrderType.Ascending;
    checkSortBy(sortBy);
    checkSortOrder(sortOrder);
    const after = decodePageToken(input.nextToken, isPageCursor);
    const projects = await this.#context.deps.projects.list({
      ...scope,
      sortBy,
      sortOrder,
      after,
      limit: codeBuildPageSize + 1,
    });
    const { page, more } = pageOf(projects, codeBuildPageSize);
    const last = page.at(-1);
    return {
      projects: page.map((p) => p.name),
      nextToken:
        more && last !== undefined
          ? encodePageToken({ key: projectSortKey(last, sortBy), id: last.name })
          : undefined,
    };
  }

  #nameOf(scope: Scope, nameOrArn: string): string {
    const name = projectNameOf(scope, nameOrArn);
    if (name === undefined) {
      throw invalidBuildsInput(
        BuildsSubject.ProjectInput,
        `${nameOrArn} is not a project of this account`,
      );
    }
    checkProjectName(name);
    return name;
  }
}

export function projectSortKey(project: Project, sortBy: ProjectSortBy): string | number {
  if (sortBy === ProjectSortBy.CreatedTime) return project.created;
  if (sortBy === ProjectSortBy.LastModifiedTime) return project.lastModified;
  return project.name;
}

export function checkSortBy(sortBy: string): asserts sortBy is ProjectSortBy {
  if (!isOneOf(Object.values(ProjectSortBy), sortBy)) {
    throw invalidBuildsInput(
      BuildsSubject.ProjectInput,
      `sortBy must be one of ${Object.values(ProjectSortBy).join(', ')}`,
    );
  }
}

export function checkSortOrder(sortOrder: string): asserts sortOrder is SortOrderType {
  if (!isOneOf(Object.values(SortOrderType), sortOrder)) {
    throw invalidBuildsInput(
      BuildsSubject.ProjectInput,
      'sortOrder must be ASCENDING or DESCENDING',
    );
  }
}

export function checkBatchSize(
  items: readonly string[],
  path: string,
  max = codeBuildBatchLimit,
): void {
  if (items.length < 1 || items.length > max) {
    throw invalidBuildsInput(BuildsSubject.ProjectInput, `${path} must hold 1 to ${max} items`, [
      { path, message: `must hold 1 to ${max} items` },
    ]);
  }
}
