import {
  expectAppError,
  FakeClock,
  FakeSecretBox,
  InMemoryIdentityStore,
  SeededRandom,
} from '@slipway/testing';
import { describe, expect, it } from 'vitest';
import { AppErrorKind } from '../errors/app-error.ts';
import { AccessKeyStatus, IdentitySubject } from './identity.model.ts';
import { IdentityService } from './identity.service.ts';

/** A service with its administrator created, so the account exists. */
async function setUp(identityCacheMs?: number) {
  const store = new InMemoryIdentityStore();
  const secrets = new FakeSecretBox();
  const clock = new FakeClock();
  const service = new IdentityService({
    store,
    secrets,
    clock,
    random: new SeededRandom(7),
    identityCacheMs,
  });
  const administrator = await service.ensureAdministrator();
  const accountId = administrator.principal.accountId;
  return { service, store, secrets, clock, accountId, administrator };
}

const policy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:Get*'], Resource: '*' }],
});

describe('IdentityService users', () => {
  it('creates a user with an AIDA id and an ARN of its path and name', async () => {
    const { service, accountId } = await setUp();
    const user = await service.createUser(accountId, 'agent-1', '/AWS/CodeDeploy/');
    expect(user).toMatchObject({
      id: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/) as unknown,
      name: 'agent-1',
      path: '/AWS/CodeDeploy/',
      arn: `arn:aws:iam::${accountId}:user/AWS/CodeDeploy/agent-1`,
    });
  });

  it('creates a user at the path / by default', async () => {
    const { service, accountId } = await setUp();
    const user = await service.createUser(accountId, 'alice');
    expect(user.arn).toBe(`arn:aws:iam::${accountId}:user/alice`);
    expect(await service.getUser(accountId, 'alice')).toEqual(user);
  });

  it('refuses a name already taken as AlreadyExists', async () => {
    const { service, accountId } = await setUp();
    await service.createUser(accountId, 'alice');
    await expectAppError(
      service.createUser(accountId, 'alice'),
      AppErrorKind.AlreadyExists,
      IdentitySubject.User,
    );
  });

  it('refuses a bad name and a bad path together', async () => {
    const { service, accountId } = await setUp();
    const error = await expectAppError(
      service.createUser(accountId, 'no spaces', 'no-slashes'),
      AppErrorKind.InvalidInput,
    );
    expect(error.problems.map((p) => p.path)).toEqual(['userName', 'path']);
  });

  it('refuses a name longer than 64 characters', async () => {
    const { service, accountId } = await setUp();
    await expectAppError(service.createUser(accountId, 'a'.repeat(65)), AppErrorKind.InvalidInput);
  });

  it('finds no unknown user', async () => {
    const { service, accountId } = await setUp();
    await expectAppError(
      service.getUser(accountId, 'nobody'),
      AppErrorKind.NotFound,
      IdentitySubject.User,
    );
  });

  it('lists users by name, filtered by path prefix', async () => {
    const { service, accountId } = await setUp();
    await service.createUser(accountId, 'bob', '/team/');
    await service.createUser(accountId, 'alice');
    expect((await service.listUsers(accountId)).map((u) => u.name)).toEqual([
      'admin',
      'alice',
      'bob',
    ]);
    expect((await service.listUsers(accountId, '/team/')).map((u) => u.name)).toEqual(['bob']);
  });

  it('deletes a user that owns nothing', async () => {
    const { service, accountId } = await setUp();
    await service.createUser(accountId, 'alice');
    await service.deleteUser(accountId, 'alice');
    await expectAppError(service.getUser(accountId, 'alice'), AppErrorKind.NotFound);
  });

  it('refuses to delete a user with an access key as a Conflict', async () => {
    const { service, accountId } = await setUp();
    await service.createUser(accountId, 'alice');
    await service.createAccessKey(accountId, 'alice');
    const error = await expectAppError(
      service.deleteUser(accountId, 'alice'),
      AppErrorKind.Conflict,
      IdentitySubject.User,
    );
    expect(error.message).toBe('Cannot delete entity, must delete access keys first.');
  });

  it('refuses to delete a user with a policy as a Conflict', async () => {
    const { service, accountId } = await setUp();
    await service.createUser(accountId, 'alice');
    await service.putUserPolicy({
      accountId,
      userName: 'alice',
      policyName: 'p',
      document: policy,
    });
    const error = await expectAppError(
      service.deleteUser(accountId, 'alice'),
      AppErrorKind.Conflict,
    );
    expect(error.message).toBe('Cannot delete entity, must delete policies first.');
  });

  it('deleting an unknown user is NotFound', async () => {
    const { service, accountId } = await setUp();
    await expectAppError(service.deleteUser(accountId, 'nobody'), AppErrorKind.NotFound);
  });
});

describe('IdentityService access keys', () => {
  it('creates an active AKIA key whose secret is returned once and stored sealed', async () => {
    const { service, store, secrets, accountId } = await setUp();
    await service.createUser(accountId, 'alice');
    const { key, secretAccessKey } = await service.createAccessKey(accountId, 'alice');
    expect(key).toMatchObject({ userName: 'alice', status: AccessKeyStatus.Active });
    expect(key.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(secretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    const stored = await store.findAccessKey(key.accessKeyId);
    expect(stored?.key.sealedSecret).not.toContain(secretAccessKey);
    expect(secrets.open(stored?.key.sealedSecret ?? '')).toBe(secretAccessKey);
  });

  it('signs as the new user with the new key', async () => {
    const { service, accountId } = await setUp();
    const user = await service.createUser(accountId, 'alice');
    const { key, secretAccessKey } = await service.createAccessKey(accountId, 'alice');
    const identity = await service.findSigningIdentity(key.accessKeyId);
    expect(identity?.secretAccessKey).toBe(secretAccessKey);
    expect(identity?.record.principal).toMatchObject({ userName: 'alice', arn: user.arn });
  });

  it('refuses a third key as LimitExceeded', async () => {
    const { service, accountId } = await setUp();
    await service.createUser(accountId, 'alice');
    await service.createAccessKey(accountId, 'alice');
    await service.createAccessKey(accountId, 'alice');
    await expectAppError(
      service.createAccessKey(accountId, 'alice'),
      AppErrorKind.LimitExceeded,
      IdentitySubject.AccessKey,
    );
  });

  it('counts inactive keys towards the limit', async () => {
    const { service, accountId } = await setUp();
    await service.createUser(accountId, 'alice');
    const { key } = await service.createAccessKey(accountId, 'alice');
    await service.updateAccessKey({
      accountId,
      userName: 'alice',
      accessKeyId: key.accessKeyId,
      status: AccessKeyStatus.Inactive,
    });
    await service.createAccessKey(accountId, 'alice');
    await expectAppError(service.createAccessKey(accountId, 'alice'), AppErrorKind.LimitExceeded);
  });

  it('lists keys oldest first without secrets', async () => {
    const { service, clock, accountId } = await setUp();
    await service.createUser(accountId, 'alice');
    const first = await service.createAccessKey(accountId, 'alice');
    clock.advance(1_000);
    const second = await service.createAccessKey(accountId, 'alice');
    expect(await service.listAccessKeys(accountId, 'alice')).toEqual([first.key, second.key]);
  });

  it('a deactivated key stops authenticating at once, even when it was cached', async () => {
    const { service, accountId } = await setUp(60_000);
    await service.createUser(accountId, 'alice');
    const { key } = await service.createAccessKey(accountId, 'alice');
    expect(await service.findSigningIdentity(key.accessKeyId)).toBeDefined();
    const ref = { accountId, userName: 'alice', accessKeyId: key.accessKeyId };
    await service.updateAccessKey({ ...ref, status: AccessKeyStatus.Inactive });
    expect(await service.findSigningIdentity(key.accessKeyId)).toBeUndefined();
    await service.updateAccessKey({ ...ref, status: AccessKeyStatus.Active });
    expect(await service.findSigningIdentity(key.accessKeyId)).toBeDefined();
  });

  it('a deleted key stops authenticating at once, even when it was cached', async () => {
    const { service, accountId } = await setUp(60_000);
    await service.createUser(accountId, 'alice');
    const { key } = await service.createAccessKey(accountId, 'alice');
    await service.findSigningIdentity(key.accessKeyId);
    await service.deleteAccessKey(accountId, 'alice', key.accessKeyId);
    expect(await service.findSigningIdentity(key.accessKeyId)).toBeUndefined();
    expect(await service.listAccessKeys(accountId, 'alice')).toEqual([]);
  });

  it("treats another user's key as not found", async () => {
    const { service, accountId } = await setUp();
    await service.createUser(accountId, 'alice');
    await service.createUser(accountId, 'bob');
    const { key } = await service.createAccessKey(accountId, 'bob');
    await expectAppError(
      service.deleteAccessKey(accountId, 'alice', key.accessKeyId),
      AppErrorKind.NotFound,
      IdentitySubject.AccessKey,
    );
  });

  it("refuses to deactivate or delete the administrator's key", async () => {
    const { service, accountId, administrator } = await setUp();
    const accessKeyId = administrator.principal.accessKeyId;
    await expectAppError(
      service.updateAccessKey({
        accountId,
        userName: 'admin',
        accessKeyId,
        status: AccessKeyStatus.Inactive,
      }),
      AppErrorKind.AccessDenied,
      IdentitySubject.AccessKey,
    );
    await expectAppError(
      service.deleteAccessKey(accountId, 'admin', accessKeyId),
      AppErrorKind.AccessDenied,
    );
    expect(await service.findSigningIdentity(accessKeyId)).toBeDefined();
  });

  it('lets the administrator have and delete a second key of its own', async () => {
    const { service, accountId } = await setUp();
    const { key } = await service.createAccessKey(accountId, 'admin');
    await service.deleteAccessKey(accountId, 'admin', key.accessKeyId);
    expect(await service.listAccessKeys(accountId, 'admin')).toHaveLength(1);
  });
});

describe('IdentityService.ensureUserAccessKey', () => {
  it('creates the missing user and a key that authenticates as it', async () => {
    const { service, accountId } = await setUp();
    const issued = await service.ensureUserAccessKey(accountId, 'deploy-agent');
    expect(issued.user.arn).toBe(`arn:aws:iam::${accountId}:user/deploy-agent`);
    const identity = await service.findSigningIdentity(issued.key.accessKeyId);
    expect(identity?.secretAccessKey).toBe(issued.secretAccessKey);
    expect(identity?.record.principal.userName).toBe('deploy-agent');
  });

  it('reuses an existing user and returns a new key each time', async () => {
    const { service, accountId } = await setUp();
    const user = await service.createUser(accountId, 'deploy-agent', '/agents/');
    const first = await service.ensureUserAccessKey(accountId, 'deploy-agent');
    const second = await service.ensureUserAccessKey(accountId, 'deploy-agent');
    expect(first.user).toEqual(user);
    expect(second.key.accessKeyId).not.toBe(first.key.accessKeyId);
  });

  it("still keeps to the user's key quota", async () => {
    const { service, accountId } = await setUp();
    await service.ensureUserAccessKey(accountId, 'deploy-agent');
    await service.ensureUserAccessKey(accountId, 'deploy-agent');
    await expectAppError(
      service.ensureUserAccessKey(accountId, 'deploy-agent'),
      AppErrorKind.LimitExceeded,
    );
  });

  it('refuses a bad user name', async () => {
    const { service, accountId } = await setUp();
    await expectAppError(
      service.ensureUserAccessKey(accountId, 'bad name'),
      AppErrorKind.InvalidInput,
    );
  });
});

describe('IdentityService user policies', () => {
  async function withAlice() {
    const harness = await setUp();
    await harness.service.createUser(harness.accountId, 'alice');
    return harness;
  }

  it('stores a document as given and returns it', async () => {
    const { service, accountId } = await withAlice();
    await service.putUserPolicy({
      accountId,
      userName: 'alice',
      policyName: 'p',
      document: policy,
    });
    expect(await service.getUserPolicy(accountId, 'alice', 'p')).toMatchObject({
      policyName: 'p',
      document: policy,
    });
  });

  it('replaces the document of a policy put again', async () => {
    const { service, accountId } = await withAlice();
    const other = '{"Statement":[]}';
    await service.putUserPolicy({
      accountId,
      userName: 'alice',
      policyName: 'p',
      document: policy,
    });
    await service.putUserPolicy({ accountId, userName: 'alice', policyName: 'p', document: other });
    expect((await service.getUserPolicy(accountId, 'alice', 'p')).document).toBe(other);
    expect(await service.listUserPolicies(accountId, 'alice')).toEqual(['p']);
  });

  it('lists policy names sorted', async () => {
    const { service, accountId } = await withAlice();
    for (const policyName of ['b', 'a']) {
      await service.putUserPolicy({ accountId, userName: 'alice', policyName, document: policy });
    }
    expect(await service.listUserPolicies(accountId, 'alice')).toEqual(['a', 'b']);
  });

  it('refuses a document that is not JSON as a malformed policy document', async () => {
    const { service, accountId } = await withAlice();
    await expectAppError(
      service.putUserPolicy({ accountId, userName: 'alice', policyName: 'p', document: '{' }),
      AppErrorKind.InvalidInput,
      IdentitySubject.PolicyDocument,
    );
  });

  it('refuses a JSON document without a Statement', async () => {
    const { service, accountId } = await withAlice();
    await expectAppError(
      service.putUserPolicy({ accountId, userName: 'alice', policyName: 'p', document: '{}' }),
      AppErrorKind.InvalidInput,
      IdentitySubject.PolicyDocument,
    );
  });

  it('refuses a bad policy name', async () => {
    const { service, accountId } = await withAlice();
    const error = await expectAppError(
      service.putUserPolicy({ accountId, userName: 'alice', policyName: 'a b', document: policy }),
      AppErrorKind.InvalidInput,
    );
    expect(error.problems.map((p) => p.path)).toEqual(['policyName']);
  });

  it('refuses policies over 2048 characters together, not counting white space', async () => {
    const { service, accountId } = await withAlice();
    const sized = (n: number) => `{"Statement":[],"Sid":"${'x'.repeat(n - 25)}"}`;
    expect(sized(1000)).toHaveLength(1000);
    await service.putUserPolicy({
      accountId,
      userName: 'alice',
      policyName: 'a',
      document: sized(1000).replace(',', ',\n      '),
    });
    await service.putUserPolicy({
      accountId,
      userName: 'alice',
      policyName: 'b',
      document: sized(1048),
    });
    await expectAppError(
      service.putUserPolicy({ accountId, userName: 'alice', policyName: 'c', document: sized(30) }),
      AppErrorKind.LimitExceeded,
      IdentitySubject.UserPolicy,
    );
  });

  it('counts a replaced policy only once towards the size', async () => {
    const { service, accountId } = await withAlice();
    const big = `{"Statement":[],"Sid":"${'x'.repeat(2000)}"}`;
    await service.putUserPolicy({ accountId, userName: 'alice', policyName: 'a', document: big });
    await service.putUserPolicy({ accountId, userName: 'alice', policyName: 'a', document: big });
    expect(await service.listUserPolicies(accountId, 'alice')).toEqual(['a']);
  });

  it('a missing policy is NotFound, to get and to delete', async () => {
    const { service, accountId } = await withAlice();
    await expectAppError(
      service.getUserPolicy(accountId, 'alice', 'p'),
      AppErrorKind.NotFound,
      IdentitySubject.UserPolicy,
    );
    await expectAppError(service.deleteUserPolicy(accountId, 'alice', 'p'), AppErrorKind.NotFound);
  });

  it('deletes a policy, after which the user can be deleted', async () => {
    const { service, accountId } = await withAlice();
    await service.putUserPolicy({
      accountId,
      userName: 'alice',
      policyName: 'p',
      document: policy,
    });
    await service.deleteUserPolicy(accountId, 'alice', 'p');
    expect(await service.listUserPolicies(accountId, 'alice')).toEqual([]);
    await service.deleteUser(accountId, 'alice');
  });

  it("a missing user's policies are NotFound for the user", async () => {
    const { service, accountId } = await setUp();
    await expectAppError(
      service.putUserPolicy({ accountId, userName: 'nobody', policyName: 'p', document: policy }),
      AppErrorKind.NotFound,
      IdentitySubject.User,
    );
  });
});
