import type {
  Account,
  AccessKeyRecord,
  AccessKeyStatus,
  IamUser,
  StoredAccessKey,
  User,
  UserPolicy,
} from './identity.model.ts';

export interface AdministratorSeed {
  readonly account: Account;
  readonly user: User;
  readonly key: StoredAccessKey;
}

/** What `deleteUser` did: deleted, found no such user, or kept it for what it still owns. */
export const DeleteUserOutcome = {
  Deleted: 'deleted',
  Missing: 'missing',
  HasAccessKeys: 'has-access-keys',
  HasPolicies: 'has-policies',
  /** Credentials kept by another store, such as service-specific credentials. */
  HasCredentials: 'has-credentials',
} as const;
export type DeleteUserOutcome = (typeof DeleteUserOutcome)[keyof typeof DeleteUserOutcome];

/**
 * Accounts, users, their access keys and inline policies. The store enforces uniqueness and
 * what a deletion would orphan; the service checks names, documents and quotas.
 */
export interface IdentityStore {
  findAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined>;
  /**
   * Stores the seed as the installation's administrator unless one exists already, atomically:
   * when several servers start at once on one database, exactly one seed wins and every caller
   * gets the winner back.
   */
  ensureAdministrator(
    seed: AdministratorSeed,
  ): Promise<{ record: AccessKeyRecord; created: boolean }>;
  /** The id of the administrator's access key, or undefined before the first start. */
  findAdministratorKeyId(): Promise<string | undefined>;

  /** Stores the user; false (and nothing stored) when its account has a user of that name. */
  insertUser(user: IamUser): Promise<boolean>;
  findUserByName(accountId: string, userName: string): Promise<IamUser | undefined>;
  /** The account's users (only those whose path starts with the prefix, when given), by name. */
  listUsers(accountId: string, pathPrefix?: string): Promise<readonly IamUser[]>;
  /** Deletes the user only when it owns no access keys, policies or other credentials. */
  deleteUser(userId: string): Promise<DeleteUserOutcome>;

  insertAccessKey(key: StoredAccessKey): Promise<void>;
  /** The user's access keys, oldest first (then by id). */
  listAccessKeys(userId: string): Promise<readonly StoredAccessKey[]>;
  /** The updated key, or undefined when there is none with this id. */
  updateAccessKeyStatus(
    accessKeyId: string,
    status: AccessKeyStatus,
  ): Promise<StoredAccessKey | undefined>;
  /** Whether a key with this id existed. */
  deleteAccessKey(accessKeyId: string): Promise<boolean>;

  /** Creates the user's policy of that name, or replaces its document. */
  putUserPolicy(policy: UserPolicy): Promise<void>;
  findUserPolicy(userId: string, policyName: string): Promise<UserPolicy | undefined>;
  /** The user's inline policies, by name. */
  listUserPolicies(userId: string): Promise<readonly UserPolicy[]>;
  /** Whether the user had a policy of that name. */
  deleteUserPolicy(userId: string, policyName: string): Promise<boolean>;
}

/** Encrypts secrets at rest. SigV4 needs the plaintext secret, so it cannot be hashed. */
export interface SecretBox {
  seal(plaintext: string): string;
  /** Throws when the sealed value was not made with this box's key. */
  open(sealed: string): string;
}
