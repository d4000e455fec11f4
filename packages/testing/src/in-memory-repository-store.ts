import {
  AppError,
  AppErrorKind,
  type EventRecord,
  type ListRepositoriesQuery,
  type NewJob,
  type RecordRefUpdates,
  type Repository,
  type RepositoryChanges,
  type RepositoryStore,
} from '@slipway/core';
import type { InMemoryEventLog } from './in-memory-event-log.ts';
import type { InMemoryJobQueue } from './in-memory-job-queue.ts';
import { settle } from './settle.ts';

export interface InMemoryRepositoryStoreDeps {
  /** Where `recordRefUpdates` appends its events. */
  readonly events: InMemoryEventLog;
  /** Where `recordRefUpdates` enqueues its trigger deliveries. */
  readonly jobs: InMemoryJobQueue;
}

/**
 * Repositories in a Map, with the semantics of `KyselyRepositoryStore`; the contract suite holds
 * both. `recordRefUpdates` writes through the given in-memory event log and job queue, whose
 * writes happen synchronously, so a push is recorded all at once or not at all.
 */
export class InMemoryRepositoryStore implements RepositoryStore {
  readonly #deps: InMemoryRepositoryStoreDeps;
  readonly #repositories = new Map<string, Repository>();
  /** Push ids recorded so far: recording one again does nothing. */
  readonly #pushes = new Set<string>();

  constructor(deps: InMemoryRepositoryStoreDeps) {
    this.#deps = deps;
  }

  insert(repository: Repository): Promise<void> {
    return settle(() => {
      if (this.#nameTakenBy(repository, repository.name) !== undefined) {
        throw nameTaken(repository.name);
      }
      if (this.#repositories.has(repository.id)) {
        throw new Error(`duplicate repository id ${repository.id}`);
      }
      this.#repositories.set(repository.id, stored(repository));
    });
  }

  findById(id: string): Promise<Repository | undefined> {
    return settle(() => this.#copy(id));
  }

  findByName(accountId: string, region: string, name: string): Promise<Repository | undefined> {
    return settle(() => {
      for (const repository of this.#repositories.values()) {
        if (
          repository.accountId === accountId &&
          repository.region === region &&
          repository.name === name
        ) {
          return stored(repository);
        }
      }
      return undefined;
    });
  }

  /** Keyset pagination on (sort key, id), as the SQL stores do it. */
  list(query: ListRepositoriesQuery): Promise<Repository[]> {
    return settle(() => {
      const keyOf = (r: Repository): string | number =>
        query.sortBy === 'repositoryName' ? r.name : r.lastModifiedAt;
      const sign = query.order === 'ascending' ? 1 : -1;
      const byKeyThenId = (a: { key: string | number; id: string }, b: typeof a) =>
        sign * (compare(a.key, b.key) || compare(a.id, b.id));
      const { after } = query;
      return [...this.#repositories.values()]
        .filter((r) => r.accountId === query.accountId && r.region === query.region)
        .filter((r) => after === undefined || byKeyThenId({ key: keyOf(r), id: r.id }, after) > 0)
        .sort((a, b) => byKeyThenId({ key: keyOf(a), id: a.id }, { key: keyOf(b), id: b.id }))
        .slice(0, Math.max(0, query.limit))
        .map(stored);
    });
  }

  update(id: string, changes: RepositoryChanges): Promise<Repository> {
    return settle(() => {
      const current = this.#repositories.get(id);
      if (current === undefined) {
        throw new AppError(AppErrorKind.NotFound, 'The repository does not exist', {
          resource: 'repository',
        });
      }
      if (changes.name !== undefined && this.#nameTakenBy(current, changes.name) !== undefined) {
        throw nameTaken(changes.name);
      }
      const updated: Repository = {
        ...current,
        ...(changes.name === undefined ? {} : { name: changes.name }),
        ...('description' in changes ? { description: changes.description } : {}),
        ...(changes.defaultBranch === undefined ? {} : { defaultBranch: changes.defaultBranch }),
        ...(changes.tags === undefined ? {} : { tags: changes.tags }),
        ...(changes.triggers === undefined ? {} : { triggers: changes.triggers }),
        lastModifiedAt: changes.lastModifiedAt,
      };
      this.#repositories.set(id, stored(updated));
      return stored(updated);
    });
  }

  delete(id: string): Promise<boolean> {
    return settle(() => this.#repositories.delete(id));
  }

  async recordRefUpdates(input: RecordRefUpdates): Promise<EventRecord[]> {
    // Everything up to the first await happens at once, as in the SQL stores' transaction.
    if (this.#pushes.has(input.pushId)) return [];
    // What could fail is checked before anything changes, so a failure records nothing.
    for (const job of input.deliveries) checkMaxAttempts(job);
    this.#pushes.add(input.pushId);
    const current = this.#repositories.get(input.repositoryId);
    if (current !== undefined) {
      this.#repositories.set(current.id, {
        ...current,
        // Only the first branch becomes the default; a concurrent push may have set it.
        defaultBranch: current.defaultBranch ?? input.defaultBranch,
        lastModifiedAt: input.lastModifiedAt,
      });
    }
    // The SQL stores give each delivery an id of their own, whatever the caller put in `id`.
    const queued = input.deliveries.map((job) =>
      this.#deps.jobs.enqueue({
        queue: job.queue,
        payload: job.payload,
        maxAttempts: job.maxAttempts,
        availableAt: job.availableAt,
      }),
    );
    const appended = this.#deps.events.append(input.events);
    await Promise.all(queued);
    return appended;
  }

  /** The repository other than `self` that has `name` in self's account and region. */
  #nameTakenBy(self: Repository, name: string): Repository | undefined {
    for (const other of this.#repositories.values()) {
      if (
        other.id !== self.id &&
        other.accountId === self.accountId &&
        other.region === self.region &&
        other.name === name
      ) {
        return other;
      }
    }
    return undefined;
  }

  #copy(id: string): Repository | undefined {
    const repository = this.#repositories.get(id);
    return repository === undefined ? undefined : stored(repository);
  }
}

/** A repository as it comes back from the SQL stores: tags and triggers through JSON text. */
function stored(repository: Repository): Repository {
  return {
    ...repository,
    tags: JSON.parse(JSON.stringify(repository.tags)) as Repository['tags'],
    triggers: JSON.parse(JSON.stringify(repository.triggers)) as Repository['triggers'],
  };
}

/** Code-unit order, which is byte order for the ASCII names and ids repositories have. */
function compare(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkMaxAttempts(job: NewJob): void {
  const maxAttempts = job.maxAttempts ?? 1;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw AppError.invalidInput('maxAttempts must be a positive integer', [
      { path: 'maxAttempts', message: 'must be a positive integer' },
    ]);
  }
}

function nameTaken(name: string): AppError {
  return new AppError(AppErrorKind.AlreadyExists, `Repository named ${name} already exists`, {
    resource: 'repository',
  });
}
