import {
  AppError,
  AppErrorKind,
  type Clock,
  type EventRecord,
  type ListRepositoriesQuery,
  type RecordRefUpdates,
  type Random,
  type Repository,
  type RepositoryChanges,
  type RepositoryStore,
  type TriggerConfiguration,
} from '@slipway/core';
import type { Selectable, Updateable } from 'kysely';
import type { Database } from './database.ts';
import { appendEvents } from './kysely-event-log.ts';
import { newJobRow } from './kysely-job-queue.ts';
import { Channel } from './notifier.ts';
import type { Schema } from './schema.ts';

type RepositoryRow = Selectable<Schema['repositories']>;

export interface RepositoryStoreDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly random: Random;
}

export class KyselyRepositoryStore implements RepositoryStore {
  readonly #deps: RepositoryStoreDeps;

  constructor(deps: RepositoryStoreDeps) {
    this.#deps = deps;
  }

  async insert(repository: Repository): Promise<void> {
    const row = await this.#db
      .insertInto('repositories')
      .values({
        id: repository.id,
        account_id: repository.accountId,
        region: repository.region,
        name: repository.name,
        description: repository.description ?? null,
        default_branch: repository.defaultBranch ?? null,
        kms_key_id: repository.kmsKeyId ?? null,
        tags: JSON.stringify(repository.tags),
        triggers: JSON.stringify(repository.triggers),
        created_at: repository.createdAt,
        last_modified_at: repository.lastModifiedAt,
      })
      .onConflict((oc) => oc.columns(['account_id', 'region', 'name']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (row === undefined) throw nameTaken(repository.name);
  }

  async findById(id: string): Promise<Repository | undefined> {
    const row = await this.#db
      .selectFrom('repositories')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toRepository(row);
  }

  async findByName(accountId: string, region: string, name: string) {
    const row = await this.#db
      .selectFrom('repositories')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('name', '=', name)
      .executeTakeFirst();
    return row === undefined ? undefined : toRepository(row);
  }

  /** Keyset pagination on (sort key, id), so pages stay stable while repositories change. */
  async list(query: ListRepositoriesQuery): Promise<Repository[]> {
    const column = query.sortBy === 'repositoryName' ? 'name' : 'last_modified_at';
    const direction = query.order === 'ascending' ? 'asc' : 'desc';
    const past = query.order === 'ascending' ? '>' : '<';
    const { after } = query;
    const rows = await this.#db
      .selectFrom('repositories')
      .selectAll()
      .where('account_id', '=', query.accountId)
      .where('region', '=', query.region)
      .$if(after !== undefined, (qb) =>
        qb.where((eb) =>
          eb.or([
            eb(column, past, after?.key as never),
            eb.and([eb(column, '=', after?.key as never), eb('id', past, after?.id ?? '')]),
          ]),
        ),
      )
      .orderBy(column, direction)
      .orderBy('id', direction)
      .limit(query.limit)
      .execute();
    return rows.map(toRepository);
  }

  async update(id: string, changes: RepositoryChanges): Promise<Repository> {
    const set: Updateable<Schema['repositories']> = { last_modified_at: changes.lastModifiedAt };
    if (changes.name !== undefined) set.name = changes.name;
    if ('description' in changes) set.description = changes.description ?? null;
    if (changes.defaultBranch !== undefined) set.default_branch = changes.defaultBranch;
    if (changes.tags !== undefined) set.tags = JSON.stringify(changes.tags);
    if (changes.triggers !== undefined) set.triggers = JSON.stringify(changes.triggers);
    let row: RepositoryRow | undefined;
    try {
      row = await this.#db
        .updateTable('repositories')
        .set(set)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    } catch (error) {
      if (changes.name !== undefined && isUniqueViolation(error)) throw nameTaken(changes.name);
      throw error;
    }
    if (row === undefined) {
      throw new AppError(AppErrorKind.NotFound, 'The repository does not exist', {
        resource: 'repository',
      });
    }
    return toRepository(row);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('repositories')
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async recordRefUpdates(input: RecordRefUpdates): Promise<EventRecord[]> {
    const { db, dialect, notifier } = this.#deps.database;
    const now = this.#deps.clock.now();
    const records = await db.transaction().execute(async (trx) => {
      const first = await trx
        .insertInto('source_pushes')
        .values({ id: input.pushId, repository_id: input.repositoryId, recorded_at: now })
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (first === undefined) return [];
      const { defaultBranch } = input;
      await trx
        .updateTable('repositories')
        .set((eb) => ({
          last_modified_at: input.lastModifiedAt,
          // Only the first branch becomes the default; a concurrent push may have set it. The
          // row is updated either way, so the push still moves its modification time.
          ...(defaultBranch === undefined
            ? {}
            : { default_branch: eb.fn.coalesce('default_branch', eb.val(defaultBranch)) }),
        }))
        .where('id', '=', input.repositoryId)
        .execute();
      if (input.deliveries.length > 0) {
        await trx
          .insertInto('jobs')
          .values(input.deliveries.map((job) => newJobRow(job, this.#deps.random.uuid(), now)))
          .execute();
      }
      return appendEvents(trx, { dialect, events: input.events, now });
    });
    const last = records.at(-1);
    if (last !== undefined) await notifier.publish(Channel.Events, String(last.seq));
    const queues = new Set(input.deliveries.map((job) => job.queue));
    for (const queue of queues) await notifier.publish(Channel.Jobs, queue);
    return records;
  }

  get #db() {
    return this.#deps.database.db;
  }
}

function toRepository(row: RepositoryRow): Repository {
  return {
    id: row.id,
    accountId: row.account_id,
    region: row.region,
    name: row.name,
    description: row.description ?? undefined,
    defaultBranch: row.default_branch ?? undefined,
    kmsKeyId: row.kms_key_id ?? undefined,
    tags: JSON.parse(row.tags) as Record<string, string>,
    triggers: JSON.parse(row.triggers) as TriggerConfiguration,
    createdAt: Number(row.created_at),
    lastModifiedAt: Number(row.last_modified_at),
  };
}

function nameTaken(name: string): AppError {
  return new AppError(AppErrorKind.AlreadyExists, `Repository named ${name} already exists`, {
    resource: 'repository',
  });
}

/** SQLite and PostgreSQL report a unique-key violation differently. */
function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code } = error as { code?: unknown };
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
