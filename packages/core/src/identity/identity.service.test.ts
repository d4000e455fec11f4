import {
  anAdministratorSeed,
  FakeClock,
  FakeSecretBox,
  InMemoryIdentityStore,
  SeededRandom,
} from '@slipway/testing';
import { describe, expect, it } from 'vitest';
import { AccessKeyStatus } from './identity.model.ts';
import { IdentityService } from './identity.service.ts';

function setUp(seed = 1, identityCacheMs?: number) {
  const store = new InMemoryIdentityStore();
  const secrets = new FakeSecretBox();
  const clock = new FakeClock();
  const service = new IdentityService({
    store,
    secrets,
    clock,
    random: new SeededRandom(seed),
    identityCacheMs,
  });
  return { service, store, secrets, clock };
}

describe('IdentityService.ensureAdministrator', () => {
  it('creates an AKIA access key id of 20 characters', async () => {
    const { principal } = await setUp().service.ensureAdministrator();
    expect(principal.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
  });

  it('creates a 12-digit account id', async () => {
    const { principal } = await setUp().service.ensureAdministrator();
    expect(principal.accountId).toMatch(/^[1-9][0-9]{11}$/);
  });

  it('creates a secret access key of 40 characters', async () => {
    const { secretAccessKey } = await setUp().service.ensureAdministrator();
    expect(secretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
  });

  it('creates the admin user of the account', async () => {
    const { principal } = await setUp().service.ensureAdministrator();
    expect(principal).toMatchObject({
      userId: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/) as unknown,
      userName: 'admin',
      arn: `arn:aws:iam::${principal.accountId}:user/admin`,
    });
  });

  it('says it created the administrator on the first call', async () => {
    expect((await setUp().service.ensureAdministrator()).created).toBe(true);
  });

  it('stores the secret sealed, never in the clear', async () => {
    const { service, store, secrets } = setUp();
    const { principal, secretAccessKey } = await service.ensureAdministrator();
    const record = await store.findAccessKey(principal.accessKeyId);
    expect(record?.key.sealedSecret).not.toContain(secretAccessKey);
    expect(secrets.open(record?.key.sealedSecret ?? '')).toBe(secretAccessKey);
  });

  it('returns the existing administrator and its secret on a second call', async () => {
    const { service, clock } = setUp();
    const first = await service.ensureAdministrator();
    clock.advance(60_000);
    expect(await service.ensureAdministrator()).toEqual({ ...first, created: false });
  });
});

describe('IdentityService.findSigningIdentity', () => {
  it('returns an active key with its opened secret', async () => {
    const { service } = setUp();
    const { principal, secretAccessKey } = await service.ensureAdministrator();
    const identity = await service.findSigningIdentity(principal.accessKeyId);
    expect(identity?.record.principal).toEqual(principal);
    expect(identity?.secretAccessKey).toBe(secretAccessKey);
  });

  it('returns undefined for an unknown key', async () => {
    const { service } = setUp();
    await service.ensureAdministrator();
    expect(await service.findSigningIdentity('AKIAUNKNOWNUNKNOWN00')).toBeUndefined();
  });

  it('returns undefined for an inactive key', async () => {
    const { service, store, secrets } = setUp();
    const seed = anAdministratorSeed({
      status: AccessKeyStatus.Inactive,
      sealedSecret: secrets.seal('inactive-secret'),
    });
    await store.ensureAdministrator(seed);
    expect(await service.findSigningIdentity(seed.key.accessKeyId)).toBeUndefined();
  });
});

describe('IdentityService.findSigningIdentity caching', () => {
  function counting(store: InMemoryIdentityStore) {
    let lookups = 0;
    const find = store.findAccessKey.bind(store);
    store.findAccessKey = (id: string) => {
      lookups++;
      return find(id);
    };
    return () => lookups;
  }

  it('reuses a found key for the cache time, then looks it up again', async () => {
    const { service, store, clock } = setUp(1, 5_000);
    const { principal } = await service.ensureAdministrator();
    const lookups = counting(store);
    await service.findSigningIdentity(principal.accessKeyId);
    clock.advance(4_999);
    await service.findSigningIdentity(principal.accessKeyId);
    expect(lookups()).toBe(1);
    clock.advance(1);
    await service.findSigningIdentity(principal.accessKeyId);
    expect(lookups()).toBe(2);
  });

  it('never caches an unknown key', async () => {
    const { service, store } = setUp(1, 5_000);
    await service.ensureAdministrator();
    const lookups = counting(store);
    await service.findSigningIdentity('AKIAUNKNOWNUNKNOWN00');
    await service.findSigningIdentity('AKIAUNKNOWNUNKNOWN00');
    expect(lookups()).toBe(2);
  });

  it('looks up every time when the cache time is 0', async () => {
    const { service, store } = setUp(1, 0);
    const { principal } = await service.ensureAdministrator();
    const lookups = counting(store);
    await service.findSigningIdentity(principal.accessKeyId);
    await service.findSigningIdentity(principal.accessKeyId);
    expect(lookups()).toBe(2);
  });
});
