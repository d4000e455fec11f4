import type { User } from './identity.model.ts';
import type {
  ServiceCredential,
  ServiceCredentialRecord,
  ServiceCredentialStatus,
} from './service-credential.model.ts';

/**
 * Service-specific credentials and the users they belong to. The store enforces no limits; the
 * service checks them.
 */
export interface ServiceCredentialStore {
  /** The user with this name in the account, or undefined. */
  findUserByName(accountId: string, userName: string): Promise<User | undefined>;
  insert(credential: ServiceCredential): Promise<void>;
  findById(id: string): Promise<ServiceCredential | undefined>;
  /** The user's credentials (for one service when given), oldest first (then by id). */
  listForUser(userId: string, serviceName?: string): Promise<readonly ServiceCredential[]>;
  /** Every credential of the service with this username, with its owner, oldest first. */
  findByServiceUserName(
    serviceUserName: string,
    serviceName: string,
  ): Promise<readonly ServiceCredentialRecord[]>;
  /** The updated credential, or undefined when there is none with this id. */
  updateStatus(id: string, status: ServiceCredentialStatus): Promise<ServiceCredential | undefined>;
  /** The updated credential, or undefined when there is none with this id. */
  updatePassword(id: string, sealedPassword: string): Promise<ServiceCredential | undefined>;
  /** Whether a credential with this id existed. */
  delete(id: string): Promise<boolean>;
}
