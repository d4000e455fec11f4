import type {
  ServiceCredential,
  ServiceCredentialRecord,
  ServiceCredentialStatus,
  ServiceCredentialStore,
  User,
} from '@slipway/core';
import { settle } from './settle.ts';

/**
 * Credentials in a Map, with the semantics of `KyselyServiceCredentialStore`. Users are added
 * with `addUser` (in the server they come from the identity tables).
 */
export class InMemoryServiceCredentialStore implements ServiceCredentialStore {
  readonly #users = new Map<string, User>();
  readonly #credentials = new Map<string, ServiceCredential>();

  constructor(users: readonly User[] = []) {
    for (const user of users) this.addUser(user);
  }

  addUser(user: User): void {
    this.#users.set(user.id, { ...user });
  }

  findUserByName(accountId: string, userName: string): Promise<User | undefined> {
    return settle(() => {
      for (const user of this.#users.values()) {
        if (user.accountId === accountId && user.name === userName) return { ...user };
      }
      return undefined;
    });
  }

  insert(credential: ServiceCredential): Promise<void> {
    return settle(() => {
      if (this.#credentials.has(credential.id)) {
        throw new Error(`duplicate service credential id ${credential.id}`);
      }
      if (!this.#users.has(credential.userId)) {
        throw new Error(`no user ${credential.userId} for the service credential`);
      }
      this.#credentials.set(credential.id, { ...credential });
    });
  }

  findById(id: string): Promise<ServiceCredential | undefined> {
    return settle(() => this.#copy(id));
  }

  listForUser(userId: string, serviceName?: string): Promise<readonly ServiceCredential[]> {
    return settle(() =>
      this.#sorted().filter(
        (c) => c.userId === userId && (serviceName === undefined || c.serviceName === serviceName),
      ),
    );
  }

  findByServiceUserName(
    serviceUserName: string,
    serviceName: string,
  ): Promise<readonly ServiceCredentialRecord[]> {
    return settle(() =>
      this.#sorted()
        .filter((c) => c.serviceUserName === serviceUserName && c.serviceName === serviceName)
        .flatMap((credential) => {
          const user = this.#users.get(credential.userId);
          return user === undefined ? [] : [{ credential, user: { ...user } }];
        }),
    );
  }

  updateStatus(
    id: string,
    status: ServiceCredentialStatus,
  ): Promise<ServiceCredential | undefined> {
    return settle(() => this.#update(id, { status }));
  }

  updatePassword(id: string, sealedPassword: string): Promise<ServiceCredential | undefined> {
    return settle(() => this.#update(id, { sealedPassword }));
  }

  delete(id: string): Promise<boolean> {
    return settle(() => this.#credentials.delete(id));
  }

  #update(id: string, change: Partial<ServiceCredential>): ServiceCredential | undefined {
    const current = this.#credentials.get(id);
    if (current === undefined) return undefined;
    this.#credentials.set(id, { ...current, ...change });
    return this.#copy(id);
  }

  #copy(id: string): ServiceCredential | undefined {
    const credential = this.#credentials.get(id);
    return credential === undefined ? undefined : { ...credential };
  }

  #sorted(): ServiceCredential[] {
    return [...this.#credentials.values()]
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((c) => ({ ...c }));
  }
}
