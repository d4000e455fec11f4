import type { Account, AccessKeyRecord, StoredAccessKey, User } from './identity.model.ts';

export interface AdministratorSeed {
  readonly account: Account;
  readonly user: User;
  readonly key: StoredAccessKey;
}

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
}

/** Encrypts secrets at rest. SigV4 needs the plaintext secret, so it cannot be hashed. */
export interface SecretBox {
  seal(plaintext: string): string;
  /** Throws when the sealed value was not made with this box's key. */
  open(sealed: string): string;
}
