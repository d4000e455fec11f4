import type { EventRecord, NewEvent } from '../events/event.model.ts';
import type { NewJob } from '../jobs/job.model.ts';
import type { Repository, TriggerConfiguration } from './repository.model.ts';

export const RepositorySortBy = {
  Name: 'repositoryName',
  LastModified: 'lastModifiedDate',
} as const;
export type RepositorySortBy = (typeof RepositorySortBy)[keyof typeof RepositorySortBy];

export const SortOrder = { Ascending: 'ascending', Descending: 'descending' } as const;
export type SortOrder = (typeof SortOrder)[keyof typeof SortOrder];

/** Where the previous page ended: the sort key and the id of its last repository. */
export interface RepositoryCursor {
  readonly key: string | number;
  readonly id: string;
}

export interface ListRepositoriesQuery {
  readonly accountId: string;
  readonly region: string;
  readonly sortBy: RepositorySortBy;
  readonly order: SortOrder;
  readonly after: RepositoryCursor | undefined;
  readonly limit: number;
}

export interface RepositoryChanges {
  readonly name?: string;
  readonly description?: string | undefined;
  readonly defaultBranch?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly triggers?: TriggerConfiguration;
  readonly lastModifiedAt: number;
}

export interface RecordRefUpdates {
  /** Recording a push id that was recorded before does nothing and returns no events. */
  readonly pushId: string;
  readonly repositoryId: string;
  /** The `source.reference-updated` events, appended in this order. */
  readonly events: readonly NewEvent[];
  /** Trigger deliveries, enqueued in the same transaction as the events. */
  readonly deliveries: readonly NewJob[];
  /** Set when the repository had no default branch and this push gives it one. */
  readonly defaultBranch: string | undefined;
  readonly lastModifiedAt: number;
}

/** Repository metadata; the git objects themselves live behind `GitRepositories`. */
export interface RepositoryStore {
  /** Fails with AlreadyExists (`repository`) when the account has the name in that region. */
  insert(repository: Repository): Promise<void>;
  findById(id: string): Promise<Repository | undefined>;
  findByName(accountId: string, region: string, name: string): Promise<Repository | undefined>;
  list(query: ListRepositoriesQuery): Promise<Repository[]>;
  /** NotFound when gone; AlreadyExists when renaming onto a taken name. */
  update(id: string, changes: RepositoryChanges): Promise<Repository>;
  /** Returns false when there was nothing to delete. */
  delete(id: string): Promise<boolean>;
  /** Events, trigger deliveries and the repository's new modification time, atomically. */
  recordRefUpdates(input: RecordRefUpdates): Promise<EventRecord[]>;
}
