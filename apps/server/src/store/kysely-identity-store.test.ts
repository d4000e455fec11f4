import { DeleteUserOutcome, userArn } from '@slipway/core';
import { anAdministratorSeed, fakeClockStart } from '@slipway/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { KyselyIdentityStore } from './kysely-identity-store.ts';
import { KyselyServiceCredentialStore } from './kysely-service-credential-store.ts';
import { storeDatabases } from './test-databases.ts';

/** What only the SQL store sees: credentials another store keeps for a user. */
for (const [name, open] of storeDatabases) {
  describe(`KyselyIdentityStore with other stores' credentials: ${name}`, () => {
    let close: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await close?.();
      close = undefined;
    });

    it('keeps a user that has a service-specific credential', async () => {
      const opened = await open();
      close = () => opened.close();
      const identity = new KyselyIdentityStore(opened.database.db);
      const seed = anAdministratorSeed();
      await identity.ensureAdministrator(seed);
      const accountId = seed.account.id;
      const alice = {
        id: 'AIDAALICEALICEALICE00',
        accountId,
        name: 'alice',
        path: '/',
        arn: userArn(accountId, 'alice'),
        createdAt: fakeClockStart,
      };
      await identity.insertUser(alice);
      await new KyselyServiceCredentialStore(opened.database.db).insert({
        id: 'ACCAALICEALICEALICE00',
        userId: alice.id,
        serviceName: 'codecommit.amazonaws.com',
        serviceUserName: `alice-at-${accountId}`,
        sealedPassword: 'sealed',
        status: 'Active',
        createdAt: fakeClockStart,
      });
      expect(await identity.deleteUser(alice.id)).toBe(DeleteUserOutcome.HasCredentials);
      expect(await identity.findUserByName(accountId, 'alice')).toEqual(alice);
    });
  });
}
