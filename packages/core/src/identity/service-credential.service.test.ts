import {
  expectAppError,
  FakeClock,
  FakeSecretBox,
  fakeClockStart,
  InMemoryServiceCredentialStore,
  SeededRandom,
} from '@slipway/testing';
import { describe, expect, it } from 'vitest';
import { AppErrorKind } from '../errors/app-error.ts';
import { userArn, type User } from './identity.model.ts';
import { codecommitServiceName, ServiceCredentialStatus } from './service-credential.model.ts';
import { constantTimeEqual, ServiceCredentialService } from './service-credential.service.ts';

const accountId = '123456789012';
const admin: User = {
  id: 'AIDAADMINADMINADMINAD',
  accountId,
  name: 'admin',
  arn: userArn(accountId, 'admin'),
  createdAt: fakeClockStart,
};
const alice: User = {
  ...admin,
  id: 'AIDAALICEALICEALICEAL',
  name: 'alice',
  arn: userArn(accountId, 'alice'),
};
const codecommit = codecommitServiceName;

function setUp() {
  const store = new InMemoryServiceCredentialStore([admin, alice]);
  const secrets = new FakeSecretBox();
  const clock = new FakeClock();
  const service = new ServiceCredentialService({
    store,
    secrets,
    clock,
    random: new SeededRandom(7),
  });
  const create = (userName = 'alice', serviceName = codecommit) =>
    service.create({ accountId, userName, serviceName });
  const ref = (credentialId: string, userName = 'alice') => ({
    accountId,
    userName,
    callerUserName: 'admin',
    credentialId,
  });
  return { service, store, secrets, clock, create, ref };
}

describe('ServiceCredentialService.create', () => {
  it('issues an active credential with an AWS-shaped id, username and password', async () => {
    const { create } = setUp();
    const { credential, password } = await create();
    expect(credential).toEqual({
      id: expect.stringMatching(/^ACCA[A-Z2-7]{17}$/) as unknown,
      userName: 'alice',
      serviceName: codecommit,
      serviceUserName: `alice-at-${accountId}`,
      status: ServiceCredentialStatus.Active,
      createdAt: fakeClockStart,
    });
    expect(password).toMatch(/^[A-Za-z0-9+/]{44}$/);
  });

  it('stores the password sealed, never in the clear', async () => {
    const { create, store, secrets } = setUp();
    const { credential, password } = await create();
    const stored = await store.findById(credential.id);
    expect(stored?.sealedPassword).not.toContain(password);
    expect(secrets.open(stored?.sealedPassword ?? '')).toBe(password);
  });

  it('refuses a third credential for the same user and service', async () => {
    const { create } = setUp();
    await create();
    await create();
    await expectAppError(create(), AppErrorKind.LimitExceeded);
    expect((await create('admin')).credential.userName).toBe('admin');
  });

  it('refuses a service other than CodeCommit', async () => {
    const error = await expectAppError(
      setUp().create('alice', 'cassandra.amazonaws.com'),
      AppErrorKind.InvalidInput,
    );
    expect(error.resource).toBe('service-name');
  });

  it('refuses an unknown user', async () => {
    const error = await expectAppError(setUp().create('carol'), AppErrorKind.NotFound);
    expect(error.resource).toBe('user');
  });
});

describe('ServiceCredentialService.list', () => {
  it("lists the named user's credentials without passwords", async () => {
    const { service, create, clock } = setUp();
    const one = await create();
    clock.advance(1_000);
    const two = await create();
    await create('admin');
    const listed = await service.list({ accountId, userName: 'alice', callerUserName: 'admin' });
    expect(listed).toEqual([one.credential, two.credential]);
  });

  it("lists the caller's credentials when no user is named", async () => {
    const { service, create } = setUp();
    const mine = await create('admin');
    await create('alice');
    expect(await service.list({ accountId, callerUserName: 'admin' })).toEqual([mine.credential]);
  });

  it('refuses an unsupported service name', async () => {
    const { service } = setUp();
    await expectAppError(
      service.list({ accountId, callerUserName: 'admin', serviceName: 'ses.amazonaws.com' }),
      AppErrorKind.InvalidInput,
    );
  });
});

describe('ServiceCredentialService.reset, updateStatus and delete', () => {
  it('reset issues a new password and the old one stops working', async () => {
    const { service, create, ref } = setUp();
    const { credential, password } = await create();
    const reset = await service.reset(ref(credential.id));
    expect(reset.credential).toEqual(credential);
    expect(reset.password).not.toBe(password);
    const username = credential.serviceUserName;
    expect(await service.verify(username, password, codecommit)).toBeUndefined();
    expect(await service.verify(username, reset.password, codecommit)).toBeDefined();
  });

  it('updateStatus deactivates and reactivates a credential', async () => {
    const { service, create, ref } = setUp();
    const { credential, password } = await create();
    const username = credential.serviceUserName;
    await service.updateStatus({ ...ref(credential.id), status: ServiceCredentialStatus.Inactive });
    expect(await service.verify(username, password, codecommit)).toBeUndefined();
    await service.updateStatus({ ...ref(credential.id), status: ServiceCredentialStatus.Active });
    expect(await service.verify(username, password, codecommit)).toBeDefined();
  });

  it('delete removes the credential, and a second delete finds nothing', async () => {
    const { service, create, ref } = setUp();
    const { credential } = await create();
    await service.delete(ref(credential.id));
    expect(await service.list({ accountId, userName: 'alice', callerUserName: 'admin' })).toEqual(
      [],
    );
    const error = await expectAppError(service.delete(ref(credential.id)), AppErrorKind.NotFound);
    expect(error.resource).toBe('service-credential');
  });

  it("treats another user's credential as not found", async () => {
    const { service, create, ref } = setUp();
    const { credential } = await create('alice');
    await expectAppError(service.reset(ref(credential.id, 'admin')), AppErrorKind.NotFound);
    // No user named: the caller (admin) is meant.
    const asCaller = { accountId, callerUserName: 'admin', credentialId: credential.id };
    await expectAppError(service.delete(asCaller), AppErrorKind.NotFound);
  });

  it('refuses an unknown user', async () => {
    const { service, ref } = setUp();
    const error = await expectAppError(
      service.reset(ref('ACCAAAAAAAAAAAAAAAAAA', 'carol')),
      AppErrorKind.NotFound,
    );
    expect(error.resource).toBe('user');
  });
});

describe('ServiceCredentialService.verify', () => {
  it("authenticates as the credential's user, with the credential id as key id", async () => {
    const { service, create } = setUp();
    const { credential, password } = await create();
    expect(await service.verify(credential.serviceUserName, password, codecommit)).toEqual({
      accountId,
      userId: alice.id,
      userName: 'alice',
      arn: alice.arn,
      accessKeyId: credential.id,
    });
  });

  it('accepts either of two credentials of a user', async () => {
    const { service, create } = setUp();
    const one = await create();
    const two = await create();
    const username = one.credential.serviceUserName;
    expect((await service.verify(username, one.password, codecommit))?.accessKeyId).toBe(
      one.credential.id,
    );
    expect((await service.verify(username, two.password, codecommit))?.accessKeyId).toBe(
      two.credential.id,
    );
  });

  it('refuses a wrong password, another username, or another service', async () => {
    const { service, create } = setUp();
    const { credential, password } = await create();
    const username = credential.serviceUserName;
    expect(await service.verify(username, `${password}x`, codecommit)).toBeUndefined();
    expect(await service.verify(username, '', codecommit)).toBeUndefined();
    expect(await service.verify(`admin-at-${accountId}`, password, codecommit)).toBeUndefined();
    expect(await service.verify(username, password, 'ses.amazonaws.com')).toBeUndefined();
  });
});

describe('constantTimeEqual', () => {
  it('is true only for equal strings', () => {
    expect(constantTimeEqual('secret', 'secret')).toBe(true);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('secret', 'secreT')).toBe(false);
    expect(constantTimeEqual('secre', 'secret')).toBe(false);
    expect(constantTimeEqual('secrets', 'secret')).toBe(false);
    expect(constantTimeEqual('x', '')).toBe(false);
    expect(constantTimeEqual('', 'x')).toBe(false);
  });
});
