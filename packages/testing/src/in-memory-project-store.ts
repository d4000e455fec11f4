import {
  AppError,
  AppErrorKind,
  BuildsSubject,
  ProjectSortBy,
  type ListProjectsQuery,
  type Project,
  type ProjectStore,
} from '@slipway/core';
import { compareKeys, copyOf } from './in-memory-builds-support.ts';
import { settle } from './settle.ts';

interface StoredProject {
  readonly project: Project;
  /** The last build number taken; the build store takes the next one. */
  buildCounter: number;
}

/**
 * Projects in a Map, with the semantics of `KyselyProjectStore`; the contract suite holds both.
 * The build counter is the build store's to take (`takeBuildNumber`), as it is in one
 * transaction with the build on the SQL stores.
 */
export class InMemoryProjectStore implements ProjectStore {
  readonly #projects = new Map<string, StoredProject>();

  insert(project: Project): Promise<void> {
    return settle(() => {
      const key = keyOf(project.accountId, project.region, project.name);
      if (this.#projects.has(key)) throw nameTaken(project.name);
      this.#projects.set(key, { project: copyOf(project), buildCounter: 0 });
    });
  }

  find(accountId: string, region: string, name: string): Promise<Project | undefined> {
    return settle(() => this.peek(accountId, region, name));
  }

  /** Keyset pagination on (sort key, name), as the SQL stores do it. */
  list(query: ListProjectsQuery): Promise<Project[]> {
    return settle(() => {
      const keyOfProject = (p: Project): string | number =>
        query.sortBy === ProjectSortBy.Name
          ? p.name
          : query.sortBy === ProjectSortBy.CreatedTime
            ? p.created
            : p.lastModified;
      const sign = query.sortOrder === 'ASCENDING' ? 1 : -1;
      const order = (a: { key: string | number; id: string }, b: typeof a) =>
        sign * (compareKeys(a.key, b.key) || compareKeys(a.id, b.id));
      const { after } = query;
      return [...this.#projects.values()]
        .map((s) => s.project)
        .filter((p) => p.accountId === query.accountId && p.region === query.region)
        .map((p) => ({ p, entry: { key: keyOfProject(p), id: p.name } }))
        .filter(({ entry }) => after === undefined || order(entry, after) > 0)
        .sort((a, b) => order(a.entry, b.entry))
        .slice(0, Math.max(0, query.limit))
        .map(({ p }) => copyOf(p));
    });
  }

  update(project: Project): Promise<Project> {
    return settle(() => {
      const stored = this.#projects.get(keyOf(project.accountId, project.region, project.name));
      if (stored === undefined) {
        throw new AppError(AppErrorKind.NotFound, `Project cannot be found: ${project.name}`, {
          resource: BuildsSubject.Project,
        });
      }
      this.#projects.set(keyOf(project.accountId, project.region, project.name), {
        project: copyOf(project),
        buildCounter: stored.buildCounter,
      });
      return copyOf(project);
    });
  }

  delete(accountId: string, region: string, name: string): Promise<boolean> {
    return settle(() => this.#projects.delete(keyOf(accountId, region, name)));
  }

  /** Synchronously, for the in-memory build store's all-at-once transactions. */
  peek(accountId: string, region: string, name: string): Project | undefined {
    const stored = this.#projects.get(keyOf(accountId, region, name));
    return stored === undefined ? undefined : copyOf(stored.project);
  }

  /** The project's next build number, taken; undefined when there is no such project. */
  takeBuildNumber(accountId: string, region: string, name: string): number | undefined {
    const stored = this.#projects.get(keyOf(accountId, region, name));
    if (stored === undefined) return undefined;
    stored.buildCounter += 1;
    return stored.buildCounter;
  }
}

function keyOf(accountId: string, region: string, name: string): string {
  return `${accountId}\n${region}\n${name}`;
}

function nameTaken(name: string): AppError {
  return new AppError(AppErrorKind.AlreadyExists, `Project already exists: ${name}`, {
    resource: BuildsSubject.Project,
  });
}
