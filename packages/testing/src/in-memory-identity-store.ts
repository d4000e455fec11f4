import {
  AppError,
  AppErrorKind,
  type AccessKeyRecord,
  type Account,
  type AdministratorSeed,
  type IdentityStore,
  type StoredAccessKey,
  type User,
} from '@slipway/core';
import { settle } from './settle.ts';

/** Accounts, users and keys in Maps, with the semantics of `KyselyIdentityStore`. */
export class InMemoryIdentityStore implements IdentityStore {
  readonly #accounts = new Map<string, Account>();
  readonly #users = new Map<string, User>();
  readonly #keys = new Map<string, StoredAccessKey>();
  #administratorKeyId: string | undefined;

  findAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined> {
    return settle(() => this.#find(accessKeyId));
  }

  ensureAdministrator(
    seed: AdministratorSeed,
  ): Promise<{ record: AccessKeyRecord; created: boolean }> {
    return settle(() => {
      const created = this.#administratorKeyId === undefined;
      if (created) {
        this.#accounts.set(seed.account.id, { ...seed.account });
        this.#users.set(seed.user.id, { ...seed.user });
        // The key belongs to the seed's user, whatever `key.userId` says (as in the SQL store).
        this.#keys.set(seed.key.accessKeyId, { ...seed.key, userId: seed.user.id });
        this.#administratorKeyId = seed.key.accessKeyId;
      }
      const keyId = this.#administratorKeyId;
      const record = keyId === undefined ? undefined : this.#find(keyId);
      if (record === undefined) {
        throw new AppError(AppErrorKind.Internal, 'the administrator access key is missing');
      }
      return { record, created };
    });
  }

  #find(accessKeyId: string): AccessKeyRecord | undefined {
    const key = this.#keys.get(accessKeyId);
    const user = key && this.#users.get(key.userId);
    if (key === undefined || user === undefined) return undefined;
    return {
      key: { ...key },
      principal: {
        accountId: user.accountId,
        userId: user.id,
        userName: user.name,
        arn: user.arn,
        accessKeyId: key.accessKeyId,
      },
    };
  }
}
