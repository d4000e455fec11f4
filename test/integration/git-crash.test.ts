import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRepositoryCommand } from '@aws-sdk/client-codecommit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeCommitClient } from '../support/codecommit.ts';
import {
  readCredentials,
  spawnServer,
  startTestServer,
  type SpawnedServer,
} from '../support/test-server.ts';

let dataDir: string;
let home: string;
let child: SpawnedServer | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'slipway-crash-'));
  home = await mkdtemp(join(tmpdir(), 'slipway-crash-home-'));
});
afterAll(async () => {
  child?.child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

function git(args: readonly string[], env: Record<string, string>, cwd = home) {
  return new Promise<string>((done, fail) => {
    execFile(
      'git',
      ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args],
      { cwd, env: { PATH: process.env.PATH ?? '', HOME: home, GIT_TERMINAL_PROMPT: '0', ...env } },
      (error, stdout, stderr) => (error ? fail(new Error(stderr)) : done(stdout.trim())),
    );
  });
}

describe('a push the client saw succeed', () => {
  it('has its event even when the server is killed the moment git push returns', async () => {
    child = await spawnServer(['--port', '0', '--data-dir', dataDir]);
    const { accessKeyId, secretAccessKey } = await readCredentials(join(dataDir, 'credentials'));
    const client = codeCommitClient({ url: child.url, accessKeyId, secretAccessKey });
    await client.send(new CreateRepositoryCommand({ repositoryName: 'crash' }));
    client.destroy();
    const helper = [
      '-c',
      `credential.helper=!f() { test "$1" = get && aws codecommit credential-helper get --ignore-host-check; }; f`,
      '-c',
      'credential.useHttpPath=true',
    ];
    const env = {
      AWS_SHARED_CREDENTIALS_FILE: join(dataDir, 'credentials'),
      AWS_CONFIG_FILE: join(dataDir, 'aws-config'),
    };
    const work = join(home, 'work');
    await git([...helper, 'clone', `${child.url}/v1/repos/crash`, work], env);
    await writeFile(join(work, 'a'), 'a');
    await git(['add', 'a'], env, work);
    await git(['commit', '-m', 'a'], env, work);
    await git([...helper, 'push', 'origin', 'main'], env, work);
    child.child.kill('SIGKILL');
    await child.exited;
    const commitId = await git(['rev-parse', 'HEAD'], env, work);

    const restarted = await startTestServer({ dataDir });
    try {
      const events = await restarted.events.read({ after: 0, types: ['source.reference-updated'] });
      expect(events.map((e) => (e.data as { newCommitId: string }).newCommitId)).toEqual([
        commitId,
      ]);
    } finally {
      await restarted.close();
    }
  });
});
