import {
  codecommitServiceName,
  ServiceCredentialStatus,
  userArn,
  type ServiceCredential,
  type ServiceCredentialStore,
  type User,
} from '@slipway/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeClockStart } from '../fake-clock.ts';
import type { ContractFactory, ContractHarness } from './contract-harness.ts';

/** A store under test and a way to add users the way that implementation keeps them. */
export interface ServiceCredentialStoreSubject {
  readonly store: ServiceCredentialStore;
  /** Adds the user, and its account when new. */
  addUser(user: User): Promise<void>;
}

function aUser(accountId: string, id: string, name: string): User {
  return { id, accountId, name, arn: userArn(accountId, name), createdAt: fakeClockStart };
}

const alice = aUser('123456789012', 'AIDAALICEALICEALICEAL', 'alice');
const bob = aUser('123456789012', 'AIDABOBBOBBOBBOBBOBBO', 'bob');
const otherAlice = aUser('210987654321', 'AIDAOTHERALICEOTHERAL', 'alice');

function aCredential(
  user: User,
  id: string,
  overrides: Partial<Omit<ServiceCredential, 'id' | 'userId'>> = {},
): ServiceCredential {
  return {
    id,
    userId: user.id,
    serviceName: codecommitServiceName,
    serviceUserName: `${user.name}-at-${user.accountId}`,
    sealedPassword: `sealed-${id}`,
    status: ServiceCredentialStatus.Active,
    createdAt: fakeClockStart,
    ...overrides,
  };
}

const first = aCredential(alice, 'ACCAAAAAAAAAAAAAAAAAA');
const second = aCredential(alice, 'ACCABBBBBBBBBBBBBBBBB', { createdAt: fakeClockStart + 1 });
const otherService = aCredential(alice, 'ACCACCCCCCCCCCCCCCCCC', {
  serviceName: 'cassandra.amazonaws.com',
});
const bobs = aCredential(bob, 'ACCADDDDDDDDDDDDDDDDD');
const otherAlices = aCredential(otherAlice, 'ACCAEEEEEEEEEEEEEEEEE');

/** The behaviour every `ServiceCredentialStore` shares; each test opens a store of its own. */
export function serviceCredentialStoreContract(
  name: string,
  factory: ContractFactory<ServiceCredentialStoreSubject>,
): void {
  describe(`ServiceCredentialStore contract: ${name}`, () => {
    let harness: ContractHarness<ServiceCredentialStoreSubject> | undefined;

    beforeEach(async () => {
      harness = await factory();
      for (const user of [alice, bob, otherAlice]) await harness.subject.addUser(user);
    });
    afterEach(async () => {
      await harness?.close();
      harness = undefined;
    });

    function store(): ServiceCredentialStore {
      if (harness === undefined) throw new Error('the store under test did not open');
      return harness.subject.store;
    }

    async function insertAll(...credentials: ServiceCredential[]): Promise<void> {
      for (const credential of credentials) await store().insert(credential);
    }

    it('finds a user by account and name', async () => {
      expect(await store().findUserByName(alice.accountId, 'alice')).toEqual(alice);
      expect(await store().findUserByName(otherAlice.accountId, 'alice')).toEqual(otherAlice);
    });

    it('finds no user for an unknown name or another account', async () => {
      expect(await store().findUserByName(alice.accountId, 'carol')).toBeUndefined();
      expect(await store().findUserByName('999999999999', 'alice')).toBeUndefined();
    });

    it('finds no credential in an empty store', async () => {
      expect(await store().findById(first.id)).toBeUndefined();
      expect(await store().listForUser(alice.id)).toEqual([]);
    });

    it('finds an inserted credential by id, as it was stored', async () => {
      await insertAll(first);
      expect(await store().findById(first.id)).toEqual(first);
    });

    it("lists a user's credentials oldest first, and only theirs", async () => {
      await insertAll(second, bobs, otherService, first, otherAlices);
      expect(await store().listForUser(alice.id)).toEqual([first, otherService, second]);
      expect(await store().listForUser(bob.id)).toEqual([bobs]);
    });

    it("lists a user's credentials for one service", async () => {
      await insertAll(first, otherService, second);
      expect(await store().listForUser(alice.id, codecommitServiceName)).toEqual([first, second]);
      expect(await store().listForUser(alice.id, 'cassandra.amazonaws.com')).toEqual([
        otherService,
      ]);
    });

    it('finds credentials by service username, with their owner', async () => {
      await insertAll(second, first, otherService, bobs, otherAlices);
      expect(
        await store().findByServiceUserName(first.serviceUserName, codecommitServiceName),
      ).toEqual([
        { credential: first, user: alice },
        { credential: second, user: alice },
      ]);
    });

    it('finds no credential by service username for another service or an unknown name', async () => {
      await insertAll(first);
      expect(
        await store().findByServiceUserName(first.serviceUserName, 'cassandra.amazonaws.com'),
      ).toEqual([]);
      expect(
        await store().findByServiceUserName('carol-at-123456789012', codecommitServiceName),
      ).toEqual([]);
    });

    it('updates the status and returns the updated credential', async () => {
      await insertAll(first, second);
      const inactive = { ...first, status: ServiceCredentialStatus.Inactive };
      expect(await store().updateStatus(first.id, ServiceCredentialStatus.Inactive)).toEqual(
        inactive,
      );
      expect(await store().findById(first.id)).toEqual(inactive);
      expect(await store().findById(second.id)).toEqual(second);
    });

    it('updates the sealed password and returns the updated credential', async () => {
      await insertAll(first);
      const reset = { ...first, sealedPassword: 'sealed-anew' };
      expect(await store().updatePassword(first.id, 'sealed-anew')).toEqual(reset);
      expect(await store().findById(first.id)).toEqual(reset);
    });

    it('updates nothing for an unknown id', async () => {
      expect(
        await store().updateStatus(first.id, ServiceCredentialStatus.Inactive),
      ).toBeUndefined();
      expect(await store().updatePassword(first.id, 'sealed-anew')).toBeUndefined();
    });

    it('deletes a credential once', async () => {
      await insertAll(first, second);
      expect(await store().delete(first.id)).toBe(true);
      expect(await store().delete(first.id)).toBe(false);
      expect(await store().findById(first.id)).toBeUndefined();
      expect(await store().listForUser(alice.id)).toEqual([second]);
    });
  });
}
