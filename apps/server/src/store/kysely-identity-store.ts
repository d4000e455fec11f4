import type {
  AccessKeyRecord,
  AccessKeyStatus,
  AdministratorSeed,
  IamUser,
  IdentityStore,
  StoredAccessKey,
  UserPolicy,
} from '@slipway/core';
import { AppError, AppErrorKind, DeleteUserOutcome } from '@slipway/core';
import type { Kysely, Selectable } from 'kysely';
import type { Schema } from './schema.ts';

const administratorMarker = 'administrator-access-key';

type UserRow = Selectable<Schema['users']>;
type KeyRow = Selectable<Schema['access_keys']>;
type PolicyRow = Selectable<Schema['user_policies']>;

export class KyselyIdentityStore implements IdentityStore {
  readonly #db: Kysely<Schema>;

  constructor(db: Kysely<Schema>) {
    this.#db = db;
  }

  async findAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined> {
    const row = await this.#db
      .selectFrom('access_keys as k')
      .innerJoin('users as u', 'u.id', 'k.user_id')
      .select([
        'k.access_key_id',
        'k.user_id',
        'k.status',
        'k.sealed_secret',
        'k.created_at',
        'u.account_id',
        'u.name',
        'u.arn',
      ])
      .where('k.access_key_id', '=', accessKeyId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      key: {
        accessKeyId: row.access_key_id,
        userId: row.user_id,
        status: row.status as AccessKeyStatus,
        sealedSecret: row.sealed_secret,
        createdAt: row.created_at,
      },
      principal: {
        accountId: row.account_id,
        userId: row.user_id,
        userName: row.name,
        arn: row.arn,
        accessKeyId: row.access_key_id,
      },
    };
  }

  async ensureAdministrator(
    seed: AdministratorSeed,
  ): Promise<{ record: AccessKeyRecord; created: boolean }> {
    // The marker row is the arbiter: of two concurrent first starts, one inserts it and the
    // other's insert waits on the row lock, then does nothing and reads the winner's key.
    const created = await this.#db.transaction().execute(async (trx) => {
      const marked = await trx
        .insertInto('installation')
        .values({ key: administratorMarker, value: seed.key.accessKeyId })
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('key')
        .executeTakeFirst();
      if (marked === undefined) return false;
      await trx
        .insertInto('accounts')
        .values({ id: seed.account.id, created_at: seed.account.createdAt })
        .execute();
      await trx
        .insertInto('users')
        .values({
          id: seed.user.id,
          account_id: seed.user.accountId,
          name: seed.user.name,
          arn: seed.user.arn,
          created_at: seed.user.createdAt,
        })
        .execute();
      await trx
        .insertInto('access_keys')
        .values({
          access_key_id: seed.key.accessKeyId,
          user_id: seed.user.id,
          status: seed.key.status,
          sealed_secret: seed.key.sealedSecret,
          created_at: seed.key.createdAt,
        })
        .execute();
      return true;
    });
    const marker = await this.#db
      .selectFrom('installation')
      .select('value')
      .where('key', '=', administratorMarker)
      .executeTakeFirstOrThrow();
    const record = await this.findAccessKey(marker.value);
    if (record === undefined) {
      throw new AppError(AppErrorKind.Internal, 'the administrator access key is missing');
    }
    return { record, created };
  }

  async findAdministratorKeyId(): Promise<string | undefined> {
    const marker = await this.#db
      .selectFrom('installation')
      .select('value')
      .where('key', '=', administratorMarker)
      .executeTakeFirst();
    return marker?.value;
  }

  async insertUser(user: IamUser): Promise<boolean> {
    const inserted = await this.#db
      .insertInto('users')
      .values({
        id: user.id,
        account_id: user.accountId,
        name: user.name,
        path: user.path,
        arn: user.arn,
        created_at: user.createdAt,
      })
      .onConflict((oc) => oc.columns(['account_id', 'name']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  async findUserByName(accountId: string, userName: string): Promise<IamUser | undefined> {
    const row = await this.#db
      .selectFrom('users')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('name', '=', userName)
      .executeTakeFirst();
    return row === undefined ? undefined : toUser(row);
  }

  async listUsers(accountId: string, pathPrefix?: string): Promise<readonly IamUser[]> {
    const rows = await this.#db
      .selectFrom('users')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('name')
      .execute();
    // Paths may hold LIKE's wildcards, so the prefix is matched here rather than in SQL.
    return rows
      .map(toUser)
      .filter((user) => pathPrefix === undefined || user.path.startsWith(pathPrefix));
  }

  async deleteUser(userId: string): Promise<DeleteUserOutcome> {
    // One statement, so a key or policy added meanwhile cannot be orphaned.
    const deleted = await this.#db
      .deleteFrom('users')
      .where('id', '=', userId)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('access_keys')
              .select('user_id')
              .where('user_id', '=', userId)
              .union(eb.selectFrom('user_policies').select('user_id').where('user_id', '=', userId))
              .union(
                eb
                  .selectFrom('service_credentials')
                  .select('user_id')
                  .where('user_id', '=', userId),
              ),
          ),
        ),
      )
      .executeTakeFirst();
    if (deleted.numDeletedRows > 0n) return DeleteUserOutcome.Deleted;
    return this.#whyKept(userId);
  }

  async insertAccessKey(key: StoredAccessKey): Promise<void> {
    await this.#db
      .insertInto('access_keys')
      .values({
        access_key_id: key.accessKeyId,
        user_id: key.userId,
        status: key.status,
        sealed_secret: key.sealedSecret,
        created_at: key.createdAt,
      })
      .execute();
  }

  async listAccessKeys(userId: string): Promise<readonly StoredAccessKey[]> {
    const rows = await this.#db
      .selectFrom('access_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('access_key_id')
      .execute();
    return rows.map(toKey);
  }

  async updateAccessKeyStatus(
    accessKeyId: string,
    status: AccessKeyStatus,
  ): Promise<StoredAccessKey | undefined> {
    const row = await this.#db
      .updateTable('access_keys')
      .set({ status })
      .where('access_key_id', '=', accessKeyId)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : toKey(row);
  }

  async deleteAccessKey(accessKeyId: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('access_keys')
      .where('access_key_id', '=', accessKeyId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async putUserPolicy(policy: UserPolicy): Promise<void> {
    await this.#db
      .insertInto('user_policies')
      .values({
        user_id: policy.userId,
        policy_name: policy.policyName,
        document: policy.document,
        updated_at: policy.updatedAt,
      })
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'policy_name'])
          .doUpdateSet({ document: policy.document, updated_at: policy.updatedAt }),
      )
      .execute();
  }

  async findUserPolicy(userId: string, policyName: string): Promise<UserPolicy | undefined> {
    const row = await this.#db
      .selectFrom('user_policies')
      .selectAll()
      .where('user_id', '=', userId)
      .where('policy_name', '=', policyName)
      .executeTakeFirst();
    return row === undefined ? undefined : toPolicy(row);
  }

  async listUserPolicies(userId: string): Promise<readonly UserPolicy[]> {
    const rows = await this.#db
      .selectFrom('user_policies')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('policy_name')
      .execute();
    return rows.map(toPolicy);
  }

  async deleteUserPolicy(userId: string, policyName: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('user_policies')
      .where('user_id', '=', userId)
      .where('policy_name', '=', policyName)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Why `deleteUser` deleted nothing: the first thing the user still owns, or no user. */
  async #whyKept(userId: string): Promise<DeleteUserOutcome> {
    const owns = async (table: 'access_keys' | 'user_policies' | 'service_credentials') =>
      (await this.#db
        .selectFrom(table)
        .select('user_id')
        .where('user_id', '=', userId)
        .limit(1)
        .executeTakeFirst()) !== undefined;
    const user = await this.#db
      .selectFrom('users')
      .select('id')
      .where('id', '=', userId)
      .executeTakeFirst();
    if (user === undefined) return DeleteUserOutcome.Missing;
    if (await owns('access_keys')) return DeleteUserOutcome.HasAccessKeys;
    if (await owns('user_policies')) return DeleteUserOutcome.HasPolicies;
    if (await owns('service_credentials')) return DeleteUserOutcome.HasCredentials;
    // Whatever it owned went away between the two statements: try again.
    return this.deleteUser(userId);
  }
}

function toUser(row: UserRow): IamUser {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    path: row.path,
    arn: row.arn,
    createdAt: row.created_at,
  };
}

function toKey(row: KeyRow): StoredAccessKey {
  return {
    accessKeyId: row.access_key_id,
    userId: row.user_id,
    status: row.status as AccessKeyStatus,
    sealedSecret: row.sealed_secret,
    createdAt: row.created_at,
  };
}

function toPolicy(row: PolicyRow): UserPolicy {
  return {
    userId: row.user_id,
    policyName: row.policy_name,
    document: row.document,
    updatedAt: row.updated_at,
  };
}
