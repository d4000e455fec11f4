import type { Principal, SigningIdentity } from '@slipway/core';
import { describe, expect, it } from 'vitest';
import { GitAuthenticator, type GitAuthAttempt } from './git-authenticator.ts';
import { deriveGitPassword } from './git-password.ts';
import { hostnameOf, parseBasicAuth } from './git-request.ts';

const principal: Principal = {
  accountId: '123456789012',
  userId: 'AIDAEXAMPLE',
  userName: 'admin',
  arn: 'arn:aws:iam::123456789012:user/admin',
  accessKeyId: 'AKIAEXAMPLE',
};
const secretAccessKey = 'secret/key+EXAMPLE';

function setup() {
  const clock = { time: Date.UTC(2026, 0, 1), now: () => clock.time };
  const calls = { identity: 0, service: 0 };
  const authenticator = new GitAuthenticator({
    clock,
    identity: {
      findSigningIdentity: (accessKeyId: string) => {
        calls.identity += 1;
        const identity = { record: { principal }, secretAccessKey } as unknown as SigningIdentity;
        return Promise.resolve(accessKeyId === 'AKIAEXAMPLE' ? identity : undefined);
      },
    },
    verifyServiceCredential: (username, password) => {
      calls.service += 1;
      return Promise.resolve(
        username === 'admin-at-1' && password === 'static' ? principal : undefined,
      );
    },
  });
  const attempt = (overrides: Partial<GitAuthAttempt> = {}): GitAuthAttempt => ({
    username: 'AKIAEXAMPLE',
    password: deriveGitPassword({
      secretAccessKey,
      region: 'us-east-1',
      hostname: 'localhost',
      path: '/v1/repos/demo',
      now: clock.time,
    }),
    hostname: 'localhost',
    path: '/v1/repos/demo',
    regions: ['us-east-1'],
    ...overrides,
  });
  return { clock, calls, authenticator, attempt };
}

describe('GitAuthenticator', () => {
  it('accepts a SigV4 git password and remembers it for a few seconds', async () => {
    const { clock, calls, authenticator, attempt } = setup();
    expect(await authenticator.authenticate(attempt())).toEqual(principal);
    expect(await authenticator.authenticate(attempt())).toEqual(principal);
    expect(calls.identity).toBe(1);
    clock.time += 6_000;
    expect(await authenticator.authenticate(attempt())).toEqual(principal);
    expect(calls.identity).toBe(2);
  });

  it('refuses unknown keys, session credentials and passwords for another path', async () => {
    const { authenticator, attempt } = setup();
    expect(await authenticator.authenticate(attempt({ username: 'AKIAOTHER' }))).toBeUndefined();
    expect(
      await authenticator.authenticate(attempt({ username: 'AKIAEXAMPLE%token' })),
    ).toBeUndefined();
    expect(await authenticator.authenticate(attempt({ path: '/v1/repos/x' }))).toBeUndefined();
  });

  it('accepts the host `[` the AWS CLI signs for a bracketed IPv6 address', async () => {
    const { authenticator, attempt } = setup();
    const password = deriveGitPassword({
      secretAccessKey,
      region: 'us-east-1',
      hostname: '[',
      path: '/v1/repos/demo',
      now: Date.UTC(2026, 0, 1),
    });
    expect(await authenticator.authenticate(attempt({ password, hostname: '[::1]' }))).toEqual(
      principal,
    );
  });

  it('hands other passwords to the static git credentials', async () => {
    const { calls, authenticator, attempt } = setup();
    const staticAttempt = attempt({ username: 'admin-at-1', password: 'static' });
    expect(await authenticator.authenticate(staticAttempt)).toEqual(principal);
    expect(
      await authenticator.authenticate({ ...staticAttempt, password: 'wrong' }),
    ).toBeUndefined();
    expect(calls).toEqual({ identity: 0, service: 2 });
  });
});

describe('git request helpers', () => {
  it('read Basic credentials and the Host without its port', () => {
    const header = `Basic ${Buffer.from('user:pa:ss').toString('base64')}`;
    expect(parseBasicAuth(header)).toEqual({ username: 'user', password: 'pa:ss' });
    expect(parseBasicAuth('Bearer abc')).toBeUndefined();
    expect(parseBasicAuth(undefined)).toBeUndefined();
    expect(hostnameOf('example.com:8080')).toBe('example.com');
    expect(hostnameOf('example.com')).toBe('example.com');
    expect(hostnameOf('[::1]:4750')).toBe('[::1]');
    expect(hostnameOf('[::1')).toBeUndefined();
  });
});
