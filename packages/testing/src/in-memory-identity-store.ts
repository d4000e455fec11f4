import {
  AppError,
  AppErrorKind,
  DeleteUserOutcome,
  type AccessKeyRecord,
  type AccessKeyStatus,
  type Account,
  type AdministratorSeed,
  type IamUser,
  type IdentityStore,
  type StoredAccessKey,
  type UserPolicy,
} from '@slipway/core';
import { settle } from './settle.ts';

/**
 * Accounts, users, keys and policies in Maps, with the semantics of `KyselyIdentityStore` —
 * except that it cannot see credentials other stores keep for a user (service-specific
 * credentials), so `deleteUser` never answers `has-credentials`.
 */
export class InMemoryIdentityStore implements IdentityStore {
  readonly #accounts = new Map<string, Account>();
  readonly #users = new Map<string, IamUser>();
  readonly #keys = new Map<string, StoredAccessKey>();
  /** By user id, then policy name. */
  readonly #policies = new Map<string, Map<string, UserPolicy>>();
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
        this.#users.set(seed.user.id, { ...seed.user, path: '/' });
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

  findAdministratorKeyId(): Promise<string | undefined> {
    return settle(() => this.#administratorKeyId);
  }

  insertUser(user: IamUser): Promise<boolean> {
    return settle(() => {
      if (this.#userNamed(user.accountId, user.name) !== undefined) return false;
      if (this.#users.has(user.id)) throw new Error(`duplicate user id ${user.id}`);
      if (!this.#accounts.has(user.accountId)) throw new Error(`no account ${user.accountId}`);
      this.#users.set(user.id, { ...user });
      return true;
    });
  }

  findUserByName(accountId: string, userName: string): Promise<IamUser | undefined> {
    return settle(() => {
      const user = this.#userNamed(accountId, userName);
      return user === undefined ? undefined : { ...user };
    });
  }

  listUsers(accountId: string, pathPrefix?: string): Promise<readonly IamUser[]> {
    return settle(() =>
      [...this.#users.values()]
        .filter((u) => u.accountId === accountId)
        .filter((u) => pathPrefix === undefined || u.path.startsWith(pathPrefix))
        .sort((a, b) => compare(a.name, b.name))
        .map((u) => ({ ...u })),
    );
  }

  deleteUser(userId: string): Promise<DeleteUserOutcome> {
    return settle(() => {
      if (!this.#users.has(userId)) return DeleteUserOutcome.Missing;
      if ([...this.#keys.values()].some((k) => k.userId === userId)) {
        return DeleteUserOutcome.HasAccessKeys;
      }
      if ((this.#policies.get(userId)?.size ?? 0) > 0) return DeleteUserOutcome.HasPolicies;
      this.#users.delete(userId);
      this.#policies.delete(userId);
      return DeleteUserOutcome.Deleted;
    });
  }

  insertAccessKey(key: StoredAccessKey): Promise<void> {
    return settle(() => {
      if (this.#keys.has(key.accessKeyId)) {
        throw new Error(`duplicate access key id ${key.accessKeyId}`);
      }
      if (!this.#users.has(key.userId)) throw new Error(`no user ${key.userId} for the key`);
      this.#keys.set(key.accessKeyId, { ...key });
    });
  }

  listAccessKeys(userId: string): Promise<readonly StoredAccessKey[]> {
    return settle(() =>
      [...this.#keys.values()]
        .filter((k) => k.userId === userId)
        .sort((a, b) => a.createdAt - b.createdAt || compare(a.accessKeyId, b.accessKeyId))
        .map((k) => ({ ...k })),
    );
  }

  updateAccessKeyStatus(
    accessKeyId: string,
    status: AccessKeyStatus,
  ): Promise<StoredAccessKey | undefined> {
    return settle(() => {
      const key = this.#keys.get(accessKeyId);
      if (key === undefined) return undefined;
      const updated = { ...key, status };
      this.#keys.set(accessKeyId, updated);
      return { ...updated };
    });
  }

  deleteAccessKey(accessKeyId: string): Promise<boolean> {
    return settle(() => this.#keys.delete(accessKeyId));
  }

  putUserPolicy(policy: UserPolicy): Promise<void> {
    return settle(() => {
      if (!this.#users.has(policy.userId)) {
        throw new Error(`no user ${policy.userId} for the policy`);
      }
      const policies = this.#policies.get(policy.userId) ?? new Map<string, UserPolicy>();
      policies.set(policy.policyName, { ...policy });
      this.#policies.set(policy.userId, policies);
    });
  }

  findUserPolicy(userId: string, policyName: string): Promise<UserPolicy | undefined> {
    return settle(() => {
      const policy = this.#policies.get(userId)?.get(policyName);
      return policy === undefined ? undefined : { ...policy };
    });
  }

  listUserPolicies(userId: string): Promise<readonly UserPolicy[]> {
    return settle(() =>
      [...(this.#policies.get(userId)?.values() ?? [])]
        .sort((a, b) => compare(a.policyName, b.policyName))
        .map((p) => ({ ...p })),
    );
  }

  deleteUserPolicy(userId: string, policyName: string): Promise<boolean> {
    return settle(() => this.#policies.get(userId)?.delete(policyName) ?? false);
  }

  #userNamed(accountId: string, userName: string): IamUser | undefined {
    for (const user of this.#users.values()) {
      if (user.accountId === accountId && user.name === userName) return user;
    }
    return undefined;
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

/** By UTF-16 code units, as SQL's binary collation sorts ASCII names. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
