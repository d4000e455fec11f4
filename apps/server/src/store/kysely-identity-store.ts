import type {
  AccessKeyRecord,
  AccessKeyStatus,
  AdministratorSeed,
  IdentityStore,
} from '@slipway/core';
import { AppError, AppErrorKind } from '@slipway/core';
import type { Kysely } from 'kysely';
import type { Schema } from './schema.ts';

const administratorMarker = 'administrator-access-key';

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
}
