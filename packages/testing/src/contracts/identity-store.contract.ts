import { AccessKeyStatus, type IdentityStore } from '@slipway/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anAdministratorSeed } from '../builders/administrator-seed.ts';
import type { ContractFactory, ContractHarness } from './contract-harness.ts';
import { identityStoreUsersContract } from './identity-store-users.contract.ts';

const firstSeed = anAdministratorSeed();
const secondSeed = anAdministratorSeed({
  accountId: '210987654321',
  userId: 'AIDABBBBBBBBBBBBBBBBB',
  accessKeyId: 'AKIABBBBBBBBBBBBBBBB',
  sealedSecret: 'another-sealed-secret',
});

const firstRecord = {
  key: firstSeed.key,
  principal: {
    accountId: firstSeed.account.id,
    userId: firstSeed.user.id,
    userName: firstSeed.user.name,
    arn: firstSeed.user.arn,
    accessKeyId: firstSeed.key.accessKeyId,
  },
};

/**
 * The behaviour every `IdentityStore` shares. The administrator is one per installation, so
 * every test opens a store of its own. Users, keys and policies have a suite of their own.
 */
export function identityStoreContract(name: string, factory: ContractFactory<IdentityStore>): void {
  identityStoreUsersContract(name, factory);
  describe(`IdentityStore contract: ${name}`, () => {
    let harness: ContractHarness<IdentityStore> | undefined;

    beforeEach(async () => {
      harness = await factory();
    });
    afterEach(async () => {
      await harness?.close();
      harness = undefined;
    });

    function store(): IdentityStore {
      if (harness === undefined) throw new Error('the store under test did not open');
      return harness.subject;
    }

    it('names no administrator key in an empty store', async () => {
      expect(await store().findAdministratorKeyId()).toBeUndefined();
    });

    it('finds no access key in an empty store', async () => {
      expect(await store().findAccessKey(firstSeed.key.accessKeyId)).toBeUndefined();
    });

    it('stores the first administrator seed and says it created it', async () => {
      expect(await store().ensureAdministrator(firstSeed)).toEqual({
        record: firstRecord,
        created: true,
      });
    });

    it('keeps the first administrator when called again with another seed', async () => {
      await store().ensureAdministrator(firstSeed);
      expect(await store().ensureAdministrator(secondSeed)).toEqual({
        record: firstRecord,
        created: false,
      });
      expect(await store().findAccessKey(secondSeed.key.accessKeyId)).toBeUndefined();
    });

    it('finds the administrator key with its principal', async () => {
      await store().ensureAdministrator(firstSeed);
      expect(await store().findAccessKey(firstSeed.key.accessKeyId)).toEqual(firstRecord);
    });

    it('finds no access key for an unknown id', async () => {
      await store().ensureAdministrator(firstSeed);
      expect(await store().findAccessKey('AKIAUNKNOWNUNKNOWN00')).toBeUndefined();
    });

    it('keeps the status of the key it stores', async () => {
      const seed = anAdministratorSeed({ status: AccessKeyStatus.Inactive });
      await store().ensureAdministrator(seed);
      const record = await store().findAccessKey(seed.key.accessKeyId);
      expect(record?.key.status).toBe(AccessKeyStatus.Inactive);
    });

    it('lets exactly one of two concurrent seeds win, and tells both callers the winner', async () => {
      const results = await Promise.all([
        store().ensureAdministrator(firstSeed),
        store().ensureAdministrator(secondSeed),
      ]);
      expect(results.filter((result) => result.created)).toHaveLength(1);
      const [one, two] = results;
      expect(one?.record).toEqual(two?.record);
    });
  });
}
