import { execFile } from 'node:child_process';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeCommitClient } from '@aws-sdk/client-codecommit';
import {
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  GetBranchCommand,
  GetRepositoryCommand,
  UpdateRepositoryNameCommand,
} from '@aws-sdk/client-codecommit';
import type { ReferenceUpdatedData } from '@slipway/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli.ts';
import { codeCommitClient } from '../support/codecommit.ts';
import { slipwayBin, startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let client: CodeCommitClient;
let home: string;

beforeAll(async () => {
  server = await startTestServer();
  client = codeCommitClient(server);
  home = await mkdtemp(join(tmpdir(), 'slipway-git-home-'));
});
afterAll(async () => {
  client.destroy();
  await server.close();
  await rm(home, { recursive: true, force: true });
});

interface GitResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Real git with a private HOME; `helper` picks the credential helper as a user would set it. */
function git(
  args: readonly string[],
  options: { cwd?: string; helper?: 'aws' | 'slipway' | 'none' } = {},
): Promise<GitResult> {
  const helper = {
    aws: '!f() { test "$1" = get && aws codecommit credential-helper get --ignore-host-check; }; f',
    slipway: `!"${process.execPath}" "${slipwayBin}" credential-helper --credentials-file "${server.files.credentialsPath}"`,
    none: '',
  }[options.helper ?? 'aws'];
  const config = [
    '-c',
    'user.name=Tester',
    '-c',
    'user.email=tester@example.com',
    '-c',
    'init.defaultBranch=main',
    '-c',
    `credential.helper=${helper}`,
    '-c',
    'credential.useHttpPath=true',
  ];
  return new Promise((done) => {
    execFile(
      'git',
      [...config, ...args],
      {
        cwd: options.cwd ?? home,
        env: {
          ...server.awsEnv,
          HOME: home,
          GIT_TERMINAL_PROMPT: '0',
          GIT_CONFIG_NOSYSTEM: '1',
          // Slipway's helper must find the credentials through its own option alone.
          ...(options.helper === 'slipway'
            ? { AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_CONFIG_FILE: '/nonexistent' }
            : {}),
        },
      },
      (error, stdout, stderr) =>
        done({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
    );
  });
}

async function ok(args: readonly string[], cwd?: string): Promise<string> {
  const result = await git(args, { cwd });
  if (result.code !== 0) throw new Error(`git ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout.trim();
}

async function pushEvents(repositoryName: string): Promise<ReferenceUpdatedData[]> {
  const events = await server.events.read({ after: 0, types: ['source.reference-updated'] });
  return events
    .map((e) => e.data as unknown as ReferenceUpdatedData)
    .filter((d) => d.repositoryName === repositoryName);
}

async function createRepository(name: string): Promise<string> {
  const created = await client.send(new CreateRepositoryCommand({ repositoryName: name }));
  return created.repositoryMetadata?.cloneUrlHttp ?? '';
}

describe('git over smart HTTP with the AWS CLI credential helper', () => {
  it('clones, pushes, force-pushes and deletes, recording each ref update once', async () => {
    const url = await createRepository('git-flow');
    const work = join(home, 'git-flow');
    await ok(['clone', url, work]);
    await writeFile(join(work, 'README.md'), 'hello\n');
    await ok(['add', 'README.md'], work);
    await ok(['commit', '-m', 'first'], work);
    await ok(['push', 'origin', 'main'], work);
    const main = await ok(['rev-parse', 'HEAD'], work);

    await ok(['checkout', '-b', 'feature'], work);
    await writeFile(join(work, 'feature.txt'), 'v1\n');
    await ok(['add', '.'], work);
    await ok(['commit', '-m', 'feature'], work);
    await ok(['push', 'origin', 'feature'], work);
    const feature1 = await ok(['rev-parse', 'HEAD'], work);

    await writeFile(join(work, 'feature.txt'), 'v2\n');
    await ok(['commit', '-a', '--amend', '-m', 'feature, amended'], work);
    await ok(['push', '--force', 'origin', 'feature'], work);
    const feature2 = await ok(['rev-parse', 'HEAD'], work);

    await ok(['push', 'origin', '--delete', 'feature'], work);

    const arn = `arn:aws:iam::${server.accountId}:user/admin`;
    const events = await pushEvents('git-flow');
    expect(events.map((e) => [e.ref, e.change, e.oldCommitId, e.newCommitId, e.forced])).toEqual([
      ['refs/heads/main', 'created', null, main, false],
      ['refs/heads/feature', 'created', null, feature1, false],
      ['refs/heads/feature', 'updated', feature1, feature2, true],
      ['refs/heads/feature', 'deleted', feature2, null, false],
    ]);
    expect(events.every((e) => e.pusher === arn && e.channel === 'git')).toBe(true);
    expect(new Set(events.map((e) => e.pushId)).size).toBe(4);

    const second = join(home, 'git-flow-second');
    await ok(['clone', url, second]);
    expect(await ok(['rev-parse', 'HEAD'], second)).toBe(main);
    expect(await ok(['branch', '-r'], second)).not.toContain('feature');

    const remote = await ok(['ls-remote', url, 'refs/heads/main']);
    const branch = await client.send(
      new GetBranchCommand({ repositoryName: 'git-flow', branchName: 'main' }),
    );
    expect(remote.split('\t')[0]).toBe(branch.branch?.commitId);
    const repository = await client.send(new GetRepositoryCommand({ repositoryName: 'git-flow' }));
    expect(repository.repositoryMetadata?.defaultBranch).toBe('main');
  });

  it('records nothing for a push git rejects', async () => {
    const url = await createRepository('git-rejected');
    const work = join(home, 'git-rejected');
    await ok(['clone', url, work]);
    await writeFile(join(work, 'a'), '1');
    await ok(['add', 'a'], work);
    await ok(['commit', '-m', 'one'], work);
    await ok(['push', 'origin', 'main'], work);
    // Deleting the branch HEAD points at is refused by receive-pack (denyDeleteCurrent).
    const refused = await git(['push', 'origin', '--delete', 'main'], { cwd: work });
    expect(refused.code).not.toBe(0);
    expect((await pushEvents('git-rejected')).map((e) => e.change)).toEqual(['created']);
  });

  it('refuses clones without credentials or with a wrong password', async () => {
    const url = await createRepository('git-private');
    const bare = await fetch(`${url}/info/refs?service=git-upload-pack`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toMatch(/^Basic/);
    const anonymous = await git(['clone', url, join(home, 'anon')], { helper: 'none' });
    expect(anonymous.code).not.toBe(0);
    const wrong = new URL(url);
    wrong.username = server.accessKeyId;
    wrong.password = '20260101T000000Z' + '0'.repeat(64);
    const forged = await git(['clone', wrong.toString(), join(home, 'forged')], { helper: 'none' });
    expect(forged.code).not.toBe(0);
  });

  it('keeps working under a new name and removes the directory on delete', async () => {
    const url = await createRepository('git-before');
    await ok(['clone', url, join(home, 'git-before')]);
    await client.send(
      new UpdateRepositoryNameCommand({ oldName: 'git-before', newName: 'git-after' }),
    );
    const renamed = url.replace('git-before', 'git-after');
    await ok(['ls-remote', renamed]);
    const old = await git(['ls-remote', url]);
    expect(old.code).not.toBe(0);
    const { repositoryMetadata } = await client.send(
      new GetRepositoryCommand({ repositoryName: 'git-after' }),
    );
    const directory = join(
      server.dataDir,
      'git',
      'repositories',
      `${repositoryMetadata?.repositoryId}.git`,
    );
    await access(directory);
    await client.send(new DeleteRepositoryCommand({ repositoryName: 'git-after' }));
    await expect(access(directory)).rejects.toThrow();
  });
});

describe('git with Slipway’s own credentials', () => {
  it('clones and pushes with `slipway credential-helper` and no AWS CLI', async () => {
    const url = await createRepository('git-helper');
    const work = join(home, 'git-helper');
    const clone = await git(['clone', url, work], { helper: 'slipway' });
    expect(clone.stderr).not.toMatch(/fatal/);
    await writeFile(join(work, 'x'), 'x');
    await ok(['add', 'x'], work);
    await ok(['commit', '-m', 'x'], work);
    const push = await git(['push', 'origin', 'main'], { cwd: work, helper: 'slipway' });
    expect(push.code).toBe(0);
    expect((await pushEvents('git-helper')).map((e) => e.change)).toEqual(['created']);
  });

  it('clones with a static git credential from CreateServiceSpecificCredential', async () => {
    const url = await createRepository('git-static');
    const created = await aws(
      [
        'iam',
        'create-service-specific-credential',
        '--user-name',
        'admin',
        '--service-name',
        'codecommit.amazonaws.com',
        '--output',
        'json',
      ],
      server.awsEnv,
    );
    const { ServiceSpecificCredential: credential } = JSON.parse(created.stdout) as {
      ServiceSpecificCredential: { ServiceUserName: string; ServicePassword: string };
    };
    const withPassword = new URL(url);
    withPassword.username = credential.ServiceUserName;
    withPassword.password = encodeURIComponent(credential.ServicePassword);
    const clone = await git(['clone', withPassword.toString(), join(home, 'git-static')], {
      helper: 'none',
    });
    expect(clone.code).toBe(0);
  });
});
