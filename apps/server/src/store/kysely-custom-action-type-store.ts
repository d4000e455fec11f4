import {
  AppErrorKind,
  PipelinesSubject,
  pipelinesError,
  type CustomActionType,
  type CustomActionTypeKey,
  type CustomActionTypeStore,
  type Scope,
} from '@slipway/core';
import type { Selectable } from 'kysely';
import type { Database } from './database.ts';
import { isUniqueViolation } from './kysely-object-rows.ts';
import type { Schema } from './schema.ts';

type Row = Selectable<Schema['custom_action_types']>;
type Document = Omit<CustomActionType, keyof CustomActionTypeKey | 'deleted' | 'created'>;

/** Custom action types on either dialect: one row each, deletion a mark on the row. */
export class KyselyCustomActionTypeStore implements CustomActionTypeStore {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  async insertCustomActionType(type: CustomActionType): Promise<void> {
    const { accountId, region, category, provider, version, created, deleted, ...rest } = type;
    const document: Document = rest;
    try {
      await this.#database.db
        .insertInto('custom_action_types')
        .values({
          account_id: accountId,
          region,
          category,
          provider,
          version,
          created_at: created,
          deleted_at: deleted ?? null,
          document: JSON.stringify(document),
        })
        .execute();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw pipelinesError(
        AppErrorKind.AlreadyExists,
        PipelinesSubject.CustomActionType,
        `Custom action type ${category}/Custom/${provider}/${version} already exists`,
      );
    }
  }

  async findCustomActionType(key: CustomActionTypeKey): Promise<CustomActionType | undefined> {
    const row = await this.#byKey(key).selectAll().executeTakeFirst();
    return row && toType(row);
  }

  async listCustomActionTypes(scope: Scope): Promise<CustomActionType[]> {
    const rows = await this.#database.db
      .selectFrom('custom_action_types')
      .selectAll()
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('deleted_at', 'is', null)
      .orderBy('category')
      .orderBy('provider')
      .orderBy('version')
      .execute();
    return rows.map(toType);
  }

  async markCustomActionTypeDeleted(key: CustomActionTypeKey, at: number): Promise<boolean> {
    const result = await this.#update(key)
      .set({ deleted_at: at })
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async restoreCustomActionType(key: CustomActionTypeKey): Promise<boolean> {
    const result = await this.#update(key)
      .set({ deleted_at: null })
      .where('deleted_at', 'is not', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  #byKey(key: CustomActionTypeKey) {
    return this.#database.db
      .selectFrom('custom_action_types')
      .where('account_id', '=', key.accountId)
      .where('region', '=', key.region)
      .where('category', '=', key.category)
      .where('provider', '=', key.provider)
      .where('version', '=', key.version);
  }

  #update(key: CustomActionTypeKey) {
    return this.#database.db
      .updateTable('custom_action_types')
      .where('account_id', '=', key.accountId)
      .where('region', '=', key.region)
      .where('category', '=', key.category)
      .where('provider', '=', key.provider)
      .where('version', '=', key.version);
  }
}

function toType(row: Row): CustomActionType {
  const document = JSON.parse(row.document) as Document;
  return {
    accountId: row.account_id,
    region: row.region,
    category: row.category as CustomActionType['category'],
    provider: row.provider,
    version: row.version,
    ...document,
    created: Number(row.created_at),
    deleted: row.deleted_at === null ? undefined : Number(row.deleted_at),
  };
}
