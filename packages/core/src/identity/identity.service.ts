import { AppError, AppErrorKind } from '../errors/app-error.ts';
import type { Clock } from '../platform/clock.ts';
import { randomBase32, randomDigits, type Random } from '../platform/random.ts';
import {
  AccessKeyStatus,
  administratorUserName,
  IdentitySubject,
  maxAccessKeysPerUser,
  userArn,
  type AccessKeyRecord,
  type AccessKeySummary,
  type AdministratorCredentials,
  type IamUser,
  type IssuedAccessKey,
  type StoredAccessKey,
  type UserPolicy,
} from './identity.model.ts';
import { DeleteUserOutcome, type IdentityStore, type SecretBox } from './identity.ports.ts';
import {
  checkPolicyDocument,
  checkUserPolicySize,
  IdentityProblems,
  policySize,
} from './identity.validation.ts';

export interface IdentityDeps {
  readonly store: IdentityStore;
  readonly secrets: SecretBox;
  readonly clock: Clock;
  readonly random: Random;
  /**
   * How long a looked-up key and its opened secret are reused (default 5 s). A key deactivated
   * on another server is refused within this time; 0 looks up every request.
   */
  readonly identityCacheMs?: number;
}

const defaultIdentityCacheMs = 5_000;
const maxCachedIdentities = 10_000;

/** An active access key with its secret opened, ready to verify a signature with. */
export interface SigningIdentity {
  readonly record: AccessKeyRecord;
  readonly secretAccessKey: string;
}

export interface UpdateAccessKeyInput {
  readonly accountId: string;
  readonly userName: string;
  readonly accessKeyId: string;
  readonly status: AccessKeyStatus;
}

export interface PutUserPolicyInput {
  readonly accountId: string;
  readonly userName: string;
  readonly policyName: string;
  /** JSON, as the client sent it. */
  readonly document: string;
}

/** A new access key of a user the server made sure exists, for a process it starts itself. */
export interface UserAccessKey extends IssuedAccessKey {
  readonly user: IamUser;
}

const secretAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export class IdentityService {
  readonly #deps: IdentityDeps;
  readonly #cacheMs: number;
  /** Per access key: every signed request needs it, and a store round trip plus a decrypt. */
  readonly #cache = new Map<string, { identity: SigningIdentity; until: number }>();

  constructor(deps: IdentityDeps) {
    this.#deps = deps;
    this.#cacheMs = deps.identityCacheMs ?? defaultIdentityCacheMs;
  }

  /** Creates the account and its administrator key on first start; returns the existing ones after. */
  async ensureAdministrator(): Promise<AdministratorCredentials> {
    const { store, secrets, clock, random } = this.#deps;
    const now = clock.now();
    const accountId = randomDigits(random, 12);
    const secretAccessKey = generateSecret(random);
    const userId = `AIDA${randomBase32(random, 17)}`;
    const { record, created } = await store.ensureAdministrator({
      account: { id: accountId, createdAt: now },
      user: {
        id: userId,
        accountId,
        name: administratorUserName,
        arn: userArn(accountId, administratorUserName),
        createdAt: now,
      },
      key: {
        accessKeyId: `AKIA${randomBase32(random, 16)}`,
        userId,
        status: AccessKeyStatus.Active,
        sealedSecret: secrets.seal(secretAccessKey),
        createdAt: now,
      },
    });
    return {
      principal: record.principal,
      secretAccessKey: created ? secretAccessKey : secrets.open(record.key.sealedSecret),
      created,
    };
  }

  /** The active key with this id and its secret, or undefined when unknown or inactive. */
  async findSigningIdentity(accessKeyId: string): Promise<SigningIdentity | undefined> {
    const now = this.#deps.clock.now();
    const cached = this.#cache.get(accessKeyId);
    if (cached !== undefined && cached.until > now) return cached.identity;
    this.#cache.delete(accessKeyId);
    const record = await this.#deps.store.findAccessKey(accessKeyId);
    if (record === undefined || record.key.status !== AccessKeyStatus.Active) return undefined;
    const identity = { record, secretAccessKey: this.#deps.secrets.open(record.key.sealedSecret) };
    if (this.#cacheMs > 0) {
      if (this.#cache.size >= maxCachedIdentities) this.#cache.clear();
      this.#cache.set(accessKeyId, { identity, until: now + this.#cacheMs });
    }
    return identity;
  }

  /** Creates a user; a name taken in the account is AlreadyExists. */
  async createUser(accountId: string, userName: string, path = '/'): Promise<IamUser> {
    new IdentityProblems().userName(userName).path(path).check();
    const user = this.#newUser(accountId, userName, path);
    if (!(await this.#deps.store.insertUser(user))) {
      throw new AppError(AppErrorKind.AlreadyExists, `User with name ${userName} already exists.`, {
        resource: IdentitySubject.User,
      });
    }
    return user;
  }

  /** The user with this name; NotFound when there is none. */
  async getUser(accountId: string, userName: string): Promise<IamUser> {
    const user = await this.#deps.store.findUserByName(accountId, userName);
    if (user === undefined) {
      throw AppError.notFound(
        IdentitySubject.User,
        `The user with name ${userName} cannot be found.`,
      );
    }
    return user;
  }

  /** The account's users by name, only those under the path prefix when one is given. */
  async listUsers(accountId: string, pathPrefix?: string): Promise<readonly IamUser[]> {
    if (pathPrefix !== undefined) new IdentityProblems().pathPrefix(pathPrefix).check();
    return this.#deps.store.listUsers(accountId, pathPrefix);
  }

  /** Deletes a user that owns nothing any more, as IAM refuses to orphan keys and policies. */
  async deleteUser(accountId: string, userName: string): Promise<void> {
    const user = await this.getUser(accountId, userName);
    const outcome = await this.#deps.store.deleteUser(user.id);
    switch (outcome) {
      case DeleteUserOutcome.Deleted:
        return;
      case DeleteUserOutcome.Missing:
        throw AppError.notFound(
          IdentitySubject.User,
          `The user with name ${userName} cannot be found.`,
        );
      case DeleteUserOutcome.HasAccessKeys:
        throw deleteConflict('Cannot delete entity, must delete access keys first.');
      case DeleteUserOutcome.HasPolicies:
        throw deleteConflict('Cannot delete entity, must delete policies first.');
      case DeleteUserOutcome.HasCredentials:
        throw deleteConflict(
          'Cannot delete entity, must delete service specific credentials first.',
        );
    }
  }

  /** A new active key for the user, with its secret: the only time the secret is shown. */
  async createAccessKey(accountId: string, userName: string): Promise<IssuedAccessKey> {
    const user = await this.getUser(accountId, userName);
    return this.#issueAccessKey(user);
  }

  /** The user's access keys, oldest first, without secrets. */
  async listAccessKeys(accountId: string, userName: string): Promise<readonly AccessKeySummary[]> {
    const user = await this.getUser(accountId, userName);
    const keys = await this.#deps.store.listAccessKeys(user.id);
    return keys.map((key) => summarizeKey(key, user));
  }

  /** Activates or deactivates a key; an inactive key fails authentication from then on. */
  async updateAccessKey(input: UpdateAccessKeyInput): Promise<void> {
    const key = await this.#userKey(input.accountId, input.userName, input.accessKeyId);
    if (input.status !== AccessKeyStatus.Active) await this.#refuseAdministratorKey(key);
    const updated = await this.#deps.store.updateAccessKeyStatus(key.accessKeyId, input.status);
    this.#cache.delete(key.accessKeyId);
    if (updated === undefined) throw accessKeyNotFound(key.accessKeyId);
  }

  async deleteAccessKey(accountId: string, userName: string, accessKeyId: string): Promise<void> {
    const key = await this.#userKey(accountId, userName, accessKeyId);
    await this.#refuseAdministratorKey(key);
    const deleted = await this.#deps.store.deleteAccessKey(key.accessKeyId);
    this.#cache.delete(key.accessKeyId);
    if (!deleted) throw accessKeyNotFound(key.accessKeyId);
  }

  /**
   * For the server's own use (credentials for the deployment agents it starts): the user,
   * created when missing, and a new access key of it. The user's key quota still applies.
   */
  async ensureUserAccessKey(accountId: string, userName: string): Promise<UserAccessKey> {
    const { store } = this.#deps;
    let user = await store.findUserByName(accountId, userName);
    if (user === undefined) {
      new IdentityProblems().userName(userName).check();
      const fresh = this.#newUser(accountId, userName, '/');
      // Another caller may create it at the same time; then its user is the one.
      user = (await store.insertUser(fresh)) ? fresh : await this.getUser(accountId, userName);
    }
    return { user, ...(await this.#issueAccessKey(user)) };
  }

  /** Creates or replaces an inline policy. It is stored and shown, not enforced. */
  async putUserPolicy(input: PutUserPolicyInput): Promise<void> {
    const { store, clock } = this.#deps;
    new IdentityProblems().userName(input.userName).policyName(input.policyName).check();
    checkPolicyDocument(input.document);
    const user = await this.getUser(input.accountId, input.userName);
    const others = (await store.listUserPolicies(user.id)).filter(
      (policy) => policy.policyName !== input.policyName,
    );
    const total = others.reduce((sum, policy) => sum + policySize(policy.document), 0);
    checkUserPolicySize(user.name, total + policySize(input.document));
    await store.putUserPolicy({
      userId: user.id,
      policyName: input.policyName,
      document: input.document,
      updatedAt: clock.now(),
    });
  }

  async getUserPolicy(
    accountId: string,
    userName: string,
    policyName: string,
  ): Promise<UserPolicy> {
    const user = await this.getUser(accountId, userName);
    const policy = await this.#deps.store.findUserPolicy(user.id, policyName);
    if (policy === undefined) throw policyNotFound(userName, policyName);
    return policy;
  }

  /** The names of the user's inline policies, sorted. */
  async listUserPolicies(accountId: string, userName: string): Promise<readonly string[]> {
    const user = await this.getUser(accountId, userName);
    const policies = await this.#deps.store.listUserPolicies(user.id);
    return policies.map((policy) => policy.policyName);
  }

  async deleteUserPolicy(accountId: string, userName: string, policyName: string): Promise<void> {
    const user = await this.getUser(accountId, userName);
    if (!(await this.#deps.store.deleteUserPolicy(user.id, policyName))) {
      throw policyNotFound(userName, policyName);
    }
  }

  #newUser(accountId: string, userName: string, path: string): IamUser {
    const { clock, random } = this.#deps;
    return {
      id: `AIDA${randomBase32(random, 17)}`,
      accountId,
      name: userName,
      path,
      arn: userArn(accountId, userName, path),
      createdAt: clock.now(),
    };
  }

  async #issueAccessKey(user: IamUser): Promise<IssuedAccessKey> {
    const { store, secrets, clock, random } = this.#deps;
    const existing = await store.listAccessKeys(user.id);
    if (existing.length >= maxAccessKeysPerUser) {
      throw new AppError(
        AppErrorKind.LimitExceeded,
        `Cannot exceed quota for AccessKeysPerUser: ${maxAccessKeysPerUser}`,
        { resource: IdentitySubject.AccessKey },
      );
    }
    const secretAccessKey = generateSecret(random);
    const key: StoredAccessKey = {
      accessKeyId: `AKIA${randomBase32(random, 16)}`,
      userId: user.id,
      status: AccessKeyStatus.Active,
      sealedSecret: secrets.seal(secretAccessKey),
      createdAt: clock.now(),
    };
    await store.insertAccessKey(key);
    return { key: summarizeKey(key, user), secretAccessKey };
  }

  /** The user's key with this id; another user's key counts as not found. */
  async #userKey(accountId: string, userName: string, accessKeyId: string) {
    const user = await this.getUser(accountId, userName);
    const record = await this.#deps.store.findAccessKey(accessKeyId);
    if (record?.key.userId !== user.id) throw accessKeyNotFound(accessKeyId);
    return record.key;
  }

  /**
   * The administrator's key is the one the server writes to its credentials file and signs its
   * own requests with on every start: deactivating or deleting it would lock the server out.
   */
  async #refuseAdministratorKey(key: StoredAccessKey): Promise<void> {
    if ((await this.#deps.store.findAdministratorKeyId()) === key.accessKeyId) {
      throw new AppError(
        AppErrorKind.AccessDenied,
        `The access key ${key.accessKeyId} is the Slipway administrator's; it cannot be deactivated or deleted.`,
        { resource: IdentitySubject.AccessKey },
      );
    }
  }
}

function summarizeKey(key: StoredAccessKey, user: IamUser): AccessKeySummary {
  return {
    accessKeyId: key.accessKeyId,
    userName: user.name,
    status: key.status,
    createdAt: key.createdAt,
  };
}

function deleteConflict(message: string): AppError {
  return new AppError(AppErrorKind.Conflict, message, { resource: IdentitySubject.User });
}

function accessKeyNotFound(accessKeyId: string): AppError {
  return AppError.notFound(
    IdentitySubject.AccessKey,
    `The Access Key with id ${accessKeyId} cannot be found.`,
  );
}

function policyNotFound(userName: string, policyName: string): AppError {
  return AppError.notFound(
    IdentitySubject.UserPolicy,
    `The user policy with name ${policyName} cannot be found for user ${userName}.`,
  );
}

function generateSecret(random: Random): string {
  let out = '';
  for (const byte of random.bytes(40)) out += secretAlphabet[byte & 63];
  return out;
}
