import type {
  ServiceCredential,
  ServiceCredentialRecord,
  ServiceCredentialStatus,
  ServiceCredentialStore,
  User,
} from '@slipway/core';
import type { Kysely, Selectable } from 'kysely';
import type { Schema } from './schema.ts';

type CredentialRow = Selectable<Schema['service_credentials']>;
type UserRow = Omit<Selectable<Schema['users']>, 'path'>;

/** Service-specific credentials in the `service_credentials` table; users from `users`. */
export class KyselyServiceCredentialStore implements ServiceCredentialStore {
  readonly #db: Kysely<Schema>;

  constructor(db: Kysely<Schema>) {
    this.#db = db;
  }

  async findUserByName(accountId: string, userName: string): Promise<User | undefined> {
    const row = await this.#db
      .selectFrom('users')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('name', '=', userName)
      .executeTakeFirst();
    return row === undefined ? undefined : toUser(row);
  }

  async insert(credential: ServiceCredential): Promise<void> {
    await this.#db
      .insertInto('service_credentials')
      .values({
        id: credential.id,
        user_id: credential.userId,
        service_name: credential.serviceName,
        service_user_name: credential.serviceUserName,
        sealed_password: credential.sealedPassword,
        status: credential.status,
        created_at: credential.createdAt,
      })
      .execute();
  }

  async findById(id: string): Promise<ServiceCredential | undefined> {
    const row = await this.#db
      .selectFrom('service_credentials')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toCredential(row);
  }

  async listForUser(userId: string, serviceName?: string): Promise<readonly ServiceCredential[]> {
    let query = this.#db
      .selectFrom('service_credentials')
      .selectAll()
      .where('user_id', '=', userId);
    if (serviceName !== undefined) query = query.where('service_name', '=', serviceName);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map(toCredential);
  }

  async findByServiceUserName(
    serviceUserName: string,
    serviceName: string,
  ): Promise<readonly ServiceCredentialRecord[]> {
    const rows = await this.#db
      .selectFrom('service_credentials as c')
      .innerJoin('users as u', 'u.id', 'c.user_id')
      .selectAll('c')
      .select([
        'u.account_id as user_account_id',
        'u.name as user_name',
        'u.arn as user_arn',
        'u.created_at as user_created_at',
      ])
      .where('c.service_user_name', '=', serviceUserName)
      .where('c.service_name', '=', serviceName)
      .orderBy('c.created_at')
      .orderBy('c.id')
      .execute();
    return rows.map((row) => ({
      credential: toCredential(row),
      user: toUser({
        id: row.user_id,
        account_id: row.user_account_id,
        name: row.user_name,
        arn: row.user_arn,
        created_at: row.user_created_at,
      }),
    }));
  }

  async updateStatus(
    id: string,
    status: ServiceCredentialStatus,
  ): Promise<ServiceCredential | undefined> {
    const row = await this.#db
      .updateTable('service_credentials')
      .set({ status })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : toCredential(row);
  }

  async updatePassword(id: string, sealedPassword: string): Promise<ServiceCredential | undefined> {
    const row = await this.#db
      .updateTable('service_credentials')
      .set({ sealed_password: sealedPassword })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : toCredential(row);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('service_credentials')
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

function toCredential(row: CredentialRow): ServiceCredential {
  return {
    id: row.id,
    userId: row.user_id,
    serviceName: row.service_name,
    serviceUserName: row.service_user_name,
    sealedPassword: row.sealed_password,
    status: row.status as ServiceCredentialStatus,
    createdAt: Number(row.created_at),
  };
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    arn: row.arn,
    createdAt: Number(row.created_at),
  };
}
