import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SigningIdentity } from '@slipway/core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../../test/support/aws-cli.ts';
import type { AwsDoor } from '../aws-api/aws-door.ts';
import { buildHttpApp, closeHttpApp } from '../http/app.ts';
import { GitAuthenticator } from './git-authenticator.ts';
import { GitHttpDoor } from './git-http-door.ts';
import { principal } from './git-http.fixture.ts';

const secretAccessKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
let root: string;
let app: ReturnType<typeof buildHttpApp>;
let base: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'slipway-git-helper-'));
  await mkdir(join(root, 'home'));
  for (const name of ['demo', 'eu']) await git(['init', '--bare', '-q', join(root, `${name}.git`)]);
  const identity = { record: { principal }, secretAccessKey } as unknown as SigningIdentity;
  const door = new GitHttpDoor({
    authenticator: new GitAuthenticator({
      clock: { now: () => Date.now() },
      identity: {
        findSigningIdentity: (key) => Promise.resolve(key === 'AKIAEXAMPLE' ? identity : undefined),
      },
      verifyServiceCredential: () => Promise.resolve(undefined),
    }),
    findRepository: ({ region, name }) => {
      const found =
        (name === 'demo' && region === 'us-east-1') || (name === 'eu' && region === 'eu-west-1');
      return Promise.resolve(
        found ? { id: name, directory: join(root, `${name}.git`) } : undefined,
      );
    },
    recordPush: () => Promise.resolve(),
    defaultRegion: 'us-east-1',
    workDir: join(root, 'door'),
    log: pino({ level: 'silent' }),
  });
  app = buildHttpApp({ log: pino({ level: 'silent' }), aws: {} as AwsDoor, git: door });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await closeHttpApp(app);
  await rm(root, { recursive: true, force: true });
});

function git(args: readonly string[], region = 'us-east-1', secret = secretAccessKey) {
  // As `aws codecommit credential-helper` is configured for CodeCommit, plus the host check
  // off (it only signs for *.amazonaws.com hosts otherwise).
  const helper =
    `!f() { [ "$1" = get ] && aws --region ${region} codecommit credential-helper get ` +
    `--ignore-host-check; }; f`;
  return run(
    'git',
    ['-c', `credential.helper=${helper}`, '-c', 'credential.useHttpPath=true', ...args],
    {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: join(root, 'home'),
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_NOSYSTEM: '1',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: secret,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  );
}

describe('git door with the AWS CLI’s credential helper', () => {
  it('authenticates git with SigV4 git passwords, in the default and a prefixed region', async () => {
    expect((await git(['ls-remote', `${base}/v1/repos/demo`])).code).toBe(0);
    const eu = await git(['ls-remote', `${base}/regions/eu-west-1/v1/repos/eu`], 'eu-west-1');
    expect(eu.code).toBe(0);
  });

  it('refuses a password signed with another secret or for another region', async () => {
    const wrongSecret = await git(['ls-remote', `${base}/v1/repos/demo`], 'us-east-1', 'nope');
    expect(wrongSecret.code).not.toBe(0);
    const wrongRegion = await git(['ls-remote', `${base}/v1/repos/demo`], 'eu-west-1');
    expect(wrongRegion.code).not.toBe(0);
  });
});
