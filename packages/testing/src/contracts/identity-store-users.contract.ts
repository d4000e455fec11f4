import {
  AccessKeyStatus,
  DeleteUserOutcome,
  userArn,
  type IamUser,
  type IdentityStore,
  type StoredAccessKey,
  type UserPolicy,
} from '@slipway/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anAdministratorSeed } from '../builders/administrator-seed.ts';
import { fakeClockStart } from '../fake-clock.ts';
import type { ContractFactory, ContractHarness } from './contract-harness.ts';

const seed = anAdministratorSeed();
const accountId = seed.account.id;

function aUser(id: string, name: string, path = '/'): IamUser {
  return {
    id,
    accountId,
    name,
    path,
    arn: userArn(accountId, name, path),
    createdAt: fakeClockStart,
  };
}

function aKey(accessKeyId: string, userId: string, createdAt = fakeClockStart): StoredAccessKey {
  return {
    accessKeyId,
    userId,
    status: AccessKeyStatus.Active,
    sealedSecret: `sealed-${accessKeyId}`,
    createdAt,
  };
}

function aPolicy(userId: string, policyName: string, document = '{"Statement":[]}'): UserPolicy {
  return { userId, policyName, document, updatedAt: fakeClockStart };
}

const alice = aUser('AIDAALICEALICEALICE00', 'alice');
const bob = aUser('AIDABOBBOBBOBBOBBOB00', 'bob', '/division/team/');

/** Users, access keys and inline policies beyond the administrator, on every `IdentityStore`. */
export function identityStoreUsersContract(
  name: string,
  factory: ContractFactory<IdentityStore>,
): void {
  describe(`IdentityStore contract (users, keys, policies): ${name}`, () => {
    let harness: ContractHarness<IdentityStore> | undefined;

    beforeEach(async () => {
      harness = await factory();
      await harness.subject.ensureAdministrator(seed);
    });
    afterEach(async () => {
      await harness?.close();
      harness = undefined;
    });

    function store(): IdentityStore {
      if (harness === undefined) throw new Error('the store under test did not open');
      return harness.subject;
    }

    it('names the administrator key once there is one', async () => {
      expect(await store().findAdministratorKeyId()).toBe(seed.key.accessKeyId);
    });

    it('finds the administrator by name, with the path /', async () => {
      expect(await store().findUserByName(accountId, 'admin')).toEqual({ ...seed.user, path: '/' });
    });

    it('stores a user and finds it by name, path included', async () => {
      expect(await store().insertUser(bob)).toBe(true);
      expect(await store().findUserByName(accountId, 'bob')).toEqual(bob);
    });

    it('refuses a second user of the same name and keeps the first', async () => {
      await store().insertUser(alice);
      expect(await store().insertUser({ ...alice, id: 'AIDAOTHEROTHEROTHER00' })).toBe(false);
      expect((await store().findUserByName(accountId, 'alice'))?.id).toBe(alice.id);
    });

    it('finds no user of an unknown name, or in another account', async () => {
      await store().insertUser(alice);
      expect(await store().findUserByName(accountId, 'carol')).toBeUndefined();
      expect(await store().findUserByName('210987654321', 'alice')).toBeUndefined();
    });

    it('lists the account users by name in byte order', async () => {
      const zed = aUser('AIDAZEDZEDZEDZEDZED00', 'Zed');
      for (const user of [bob, alice, zed]) await store().insertUser(user);
      const names = (await store().listUsers(accountId)).map((user) => user.name);
      expect(names).toEqual(['Zed', 'admin', 'alice', 'bob']);
    });

    it('lists only the users under a path prefix', async () => {
      await store().insertUser(alice);
      await store().insertUser(bob);
      expect(await store().listUsers(accountId, '/division/')).toEqual([bob]);
    });

    it('finds a new access key with its user as the principal', async () => {
      await store().insertUser(alice);
      await store().insertAccessKey(aKey('AKIAALICEALICEALICE0', alice.id));
      expect((await store().findAccessKey('AKIAALICEALICEALICE0'))?.principal).toEqual({
        accountId,
        userId: alice.id,
        userName: 'alice',
        arn: alice.arn,
        accessKeyId: 'AKIAALICEALICEALICE0',
      });
    });

    it("lists a user's access keys oldest first", async () => {
      await store().insertUser(alice);
      const newer = aKey('AKIAAAAANEWERNEWER00', alice.id, fakeClockStart + 1_000);
      const older = aKey('AKIAZZZZOLDEROLDER00', alice.id);
      await store().insertAccessKey(newer);
      await store().insertAccessKey(older);
      expect(await store().listAccessKeys(alice.id)).toEqual([older, newer]);
    });

    it("updates a key's status and returns the key", async () => {
      await store().insertUser(alice);
      const key = aKey('AKIAALICEALICEALICE0', alice.id);
      await store().insertAccessKey(key);
      const updated = await store().updateAccessKeyStatus(
        key.accessKeyId,
        AccessKeyStatus.Inactive,
      );
      expect(updated).toEqual({ ...key, status: AccessKeyStatus.Inactive });
      const found = await store().findAccessKey(key.accessKeyId);
      expect(found?.key.status).toBe(AccessKeyStatus.Inactive);
    });

    it('updates no unknown key', async () => {
      expect(
        await store().updateAccessKeyStatus('AKIAUNKNOWNUNKNOWN00', AccessKeyStatus.Inactive),
      ).toBeUndefined();
    });

    it('deletes a key once', async () => {
      await store().insertUser(alice);
      await store().insertAccessKey(aKey('AKIAALICEALICEALICE0', alice.id));
      expect(await store().deleteAccessKey('AKIAALICEALICEALICE0')).toBe(true);
      expect(await store().deleteAccessKey('AKIAALICEALICEALICE0')).toBe(false);
      expect(await store().findAccessKey('AKIAALICEALICEALICE0')).toBeUndefined();
    });

    it('stores a policy and replaces its document on a second put', async () => {
      await store().insertUser(alice);
      await store().putUserPolicy(aPolicy(alice.id, 'deploy'));
      const replaced = { ...aPolicy(alice.id, 'deploy', '{"Statement":{}}'), updatedAt: 5 };
      await store().putUserPolicy(replaced);
      expect(await store().findUserPolicy(alice.id, 'deploy')).toEqual(replaced);
    });

    it("lists a user's policies by name, not another user's", async () => {
      await store().insertUser(alice);
      await store().insertUser(bob);
      for (const policyName of ['b', 'B', 'a']) {
        await store().putUserPolicy(aPolicy(alice.id, policyName));
      }
      await store().putUserPolicy(aPolicy(bob.id, 'c'));
      const listed = await store().listUserPolicies(alice.id);
      expect(listed.map((policy) => policy.policyName)).toEqual(['B', 'a', 'b']);
    });

    it('deletes a policy once', async () => {
      await store().insertUser(alice);
      await store().putUserPolicy(aPolicy(alice.id, 'deploy'));
      expect(await store().deleteUserPolicy(alice.id, 'deploy')).toBe(true);
      expect(await store().deleteUserPolicy(alice.id, 'deploy')).toBe(false);
      expect(await store().findUserPolicy(alice.id, 'deploy')).toBeUndefined();
    });

    it('deletes a user that owns nothing', async () => {
      await store().insertUser(alice);
      expect(await store().deleteUser(alice.id)).toBe(DeleteUserOutcome.Deleted);
      expect(await store().findUserByName(accountId, 'alice')).toBeUndefined();
    });

    it('lets a new user take the name of a deleted one', async () => {
      await store().insertUser(alice);
      await store().deleteUser(alice.id);
      expect(await store().insertUser({ ...alice, id: 'AIDAOTHEROTHEROTHER00' })).toBe(true);
    });

    it('keeps a user that has an access key', async () => {
      await store().insertUser(alice);
      await store().insertAccessKey(aKey('AKIAALICEALICEALICE0', alice.id));
      await store().putUserPolicy(aPolicy(alice.id, 'deploy'));
      expect(await store().deleteUser(alice.id)).toBe(DeleteUserOutcome.HasAccessKeys);
      expect(await store().findUserByName(accountId, 'alice')).toEqual(alice);
    });

    it('keeps a user that has a policy', async () => {
      await store().insertUser(alice);
      await store().putUserPolicy(aPolicy(alice.id, 'deploy'));
      expect(await store().deleteUser(alice.id)).toBe(DeleteUserOutcome.HasPolicies);
      expect(await store().findUserByName(accountId, 'alice')).toEqual(alice);
    });

    it('says an unknown user is missing', async () => {
      expect(await store().deleteUser('AIDAUNKNOWNUNKNOWN000')).toBe(DeleteUserOutcome.Missing);
    });
  });
}
