import { AppError, AppErrorKind } from '../errors/app-error.ts';
import type { Clock } from '../platform/clock.ts';
import { randomBase32, type Random } from '../platform/random.ts';
import type { Principal, User } from './identity.model.ts';
import type { SecretBox } from './identity.ports.ts';
import {
  codecommitServiceName,
  maxServiceCredentialsPerService,
  serviceUserName,
  ServiceCredentialStatus,
  ServiceCredentialSubject,
  type ServiceCredential,
  type ServiceCredentialSummary,
} from './service-credential.model.ts';
import type { ServiceCredentialStore } from './service-credential.ports.ts';

export interface ServiceCredentialDeps {
  readonly store: ServiceCredentialStore;
  readonly secrets: SecretBox;
  readonly clock: Clock;
  readonly random: Random;
}

export interface CreateServiceCredentialInput {
  readonly accountId: string;
  readonly userName: string;
  readonly serviceName: string;
}

/** Whose credentials: the user the request names, or the caller when it names none (as in IAM). */
export interface CredentialOwner {
  readonly accountId: string;
  readonly userName?: string | undefined;
  readonly callerUserName: string;
}

export interface ListServiceCredentialsInput extends CredentialOwner {
  readonly serviceName?: string | undefined;
}

export interface ServiceCredentialRef extends CredentialOwner {
  readonly credentialId: string;
}

export interface UpdateServiceCredentialInput extends ServiceCredentialRef {
  readonly status: ServiceCredentialStatus;
}

/** A credential with its password in the clear: only create and reset ever return one. */
export interface IssuedServiceCredential {
  readonly credential: ServiceCredentialSummary;
  readonly password: string;
}

const supportedServices: ReadonlySet<string> = new Set([codecommitServiceName]);
const passwordAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const passwordLength = 44;

/** Static git credentials per user (IAM ServiceSpecificCredential), sealed at rest. */
export class ServiceCredentialService {
  readonly #deps: ServiceCredentialDeps;

  constructor(deps: ServiceCredentialDeps) {
    this.#deps = deps;
  }

  async create(input: CreateServiceCredentialInput): Promise<IssuedServiceCredential> {
    const { store, secrets, clock, random } = this.#deps;
    checkService(input.serviceName);
    const user = await this.#user(input.accountId, input.userName);
    const existing = await store.listForUser(user.id, input.serviceName);
    if (existing.length >= maxServiceCredentialsPerService) {
      throw new AppError(
        AppErrorKind.LimitExceeded,
        `Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: ${maxServiceCredentialsPerService}`,
        { resource: ServiceCredentialSubject.Credential },
      );
    }
    const password = generatePassword(random);
    const credential: ServiceCredential = {
      id: `ACCA${randomBase32(random, 17)}`,
      userId: user.id,
      serviceName: input.serviceName,
      serviceUserName: serviceUserName(user.name, user.accountId),
      sealedPassword: secrets.seal(password),
      status: ServiceCredentialStatus.Active,
      createdAt: clock.now(),
    };
    await store.insert(credential);
    return { credential: summarize(credential, user), password };
  }

  async list(input: ListServiceCredentialsInput): Promise<readonly ServiceCredentialSummary[]> {
    if (input.serviceName !== undefined) checkService(input.serviceName);
    const user = await this.#owner(input);
    const credentials = await this.#deps.store.listForUser(user.id, input.serviceName);
    return credentials.map((credential) => summarize(credential, user));
  }

  /** A new password for the credential; the old one stops working. */
  async reset(input: ServiceCredentialRef): Promise<IssuedServiceCredential> {
    const { store, secrets, random } = this.#deps;
    const { user, credential } = await this.#credential(input);
    const password = generatePassword(random);
    const updated = await store.updatePassword(credential.id, secrets.seal(password));
    if (updated === undefined) throw credentialNotFound(credential.id);
    return { credential: summarize(updated, user), password };
  }

  async updateStatus(input: UpdateServiceCredentialInput): Promise<void> {
    const { credential } = await this.#credential(input);
    const updated = await this.#deps.store.updateStatus(credential.id, input.status);
    if (updated === undefined) throw credentialNotFound(credential.id);
  }

  async delete(input: ServiceCredentialRef): Promise<void> {
    const { credential } = await this.#credential(input);
    if (!(await this.#deps.store.delete(credential.id))) throw credentialNotFound(credential.id);
  }

  /**
   * The principal a username/password pair authenticates as, or undefined. Only active
   * credentials count; the principal's `accessKeyId` is the credential id.
   */
  async verify(
    serviceUserName: string,
    password: string,
    serviceName: string,
  ): Promise<Principal | undefined> {
    if (!supportedServices.has(serviceName)) return undefined;
    const records = await this.#deps.store.findByServiceUserName(serviceUserName, serviceName);
    for (const { credential, user } of records) {
      if (credential.status !== ServiceCredentialStatus.Active) continue;
      const expected = this.#deps.secrets.open(credential.sealedPassword);
      if (constantTimeEqual(password, expected)) {
        return {
          accountId: user.accountId,
          userId: user.id,
          userName: user.name,
          arn: user.arn,
          accessKeyId: credential.id,
        };
      }
    }
    return undefined;
  }

  async #user(accountId: string, userName: string): Promise<User> {
    const user = await this.#deps.store.findUserByName(accountId, userName);
    if (user === undefined) {
      throw AppError.notFound(
        ServiceCredentialSubject.User,
        `The user with name ${userName} cannot be found.`,
      );
    }
    return user;
  }

  #owner(owner: CredentialOwner): Promise<User> {
    return this.#user(owner.accountId, owner.userName ?? owner.callerUserName);
  }

  /** The user's credential with this id; another user's counts as not found. */
  async #credential(
    ref: ServiceCredentialRef,
  ): Promise<{ user: User; credential: ServiceCredential }> {
    const user = await this.#owner(ref);
    const credential = await this.#deps.store.findById(ref.credentialId);
    if (credential?.userId !== user.id) throw credentialNotFound(ref.credentialId);
    return { user, credential };
  }
}

function checkService(serviceName: string): void {
  if (!supportedServices.has(serviceName)) {
    throw new AppError(
      AppErrorKind.InvalidInput,
      `Service ${serviceName} does not support service-specific credentials.`,
      { resource: ServiceCredentialSubject.ServiceName },
    );
  }
}

function credentialNotFound(id: string): AppError {
  return AppError.notFound(
    ServiceCredentialSubject.Credential,
    `No such credential ${id} exists for the user.`,
  );
}

function summarize(credential: ServiceCredential, user: User): ServiceCredentialSummary {
  return {
    id: credential.id,
    userName: user.name,
    serviceName: credential.serviceName,
    serviceUserName: credential.serviceUserName,
    status: credential.status,
    createdAt: credential.createdAt,
  };
}

/** 44 characters of a 64-character alphabet: 264 bits, unbiased (256 is a multiple of 64). */
function generatePassword(random: Random): string {
  let out = '';
  for (const byte of random.bytes(passwordLength)) out += passwordAlphabet[byte & 63];
  return out;
}

/**
 * Compares without stopping at the first difference, so the time taken says nothing about how
 * much of the password was right. (The core cannot use node:crypto's timingSafeEqual.)
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  let diff = given.length ^ expected.length;
  const width = Math.max(expected.length, 1);
  for (let i = 0; i < given.length; i++) {
    diff |= given.charCodeAt(i) ^ (expected.charCodeAt(i % width) || 0);
  }
  return diff === 0;
}
