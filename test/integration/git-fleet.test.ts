import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRepositoryCommand, GetBranchCommand } from '@aws-sdk/client-codecommit';
import { eventually } from '@slipway/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeCommitClient } from '../support/codecommit.ts';
import { freshPostgresUrl } from '../support/fresh-postgres.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/** Two servers on one PostgreSQL database and one data directory, as a small fleet runs. */
let one: TestServer;
let other: TestServer;
let shared: string;
let home: string;

beforeAll(async () => {
  const databaseUrl = await freshPostgresUrl();
  shared = await mkdtemp(join(tmpdir(), 'slipway-fleet-'));
  home = await mkdtemp(join(tmpdir(), 'slipway-fleet-home-'));
  one = await startTestServer({ databaseUrl, dataDir: shared });
  other = await startTestServer({ databaseUrl, dataDir: shared });
});
afterAll(async () => {
  await one.close();
  await other.close();
  await rm(shared, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

const clientOf = (server: TestServer) => codeCommitClient(server);

function git(server: TestServer, args: readonly string[], cwd = home): Promise<string> {
  const helper =
    '!f() { test "$1" = get && aws codecommit credential-helper get --ignore-host-check; }; f';
  const config = ['-c', `credential.helper=${helper}`, '-c', 'credential.useHttpPath=true'];
  return new Promise((done, fail) => {
    execFile(
      'git',
      ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...config, ...args],
      { cwd, env: { ...server.awsEnv, HOME: home, GIT_TERMINAL_PROMPT: '0' } },
      (error, stdout, stderr) => (error ? fail(new Error(stderr)) : done(stdout.trim())),
    );
  });
}

/** Every push event each server's event log shows, as the subscribers on it see them. */
function watchPushes(server: TestServer) {
  const seen: string[] = [];
  let after = 0;
  const pull = async () => {
    for (const e of await server.events.read({ after, types: ['source.reference-updated'] })) {
      after = e.seq;
      seen.push((e.data as { newCommitId: string }).newCommitId);
    }
  };
  // Pulls one at a time, so two wake-ups close together never read the same events twice.
  let pulling = Promise.resolve();
  const stop = server.events.watch(() => {
    pulling = pulling.then(pull);
  });
  return { seen, stop };
}

describe('two servers sharing PostgreSQL and a data directory', () => {
  it('a push through either is seen by both', async () => {
    const watchers = [watchPushes(one), watchPushes(other)];
    const created = await clientOf(one).send(
      new CreateRepositoryCommand({ repositoryName: 'fleet' }),
    );
    const name = created.repositoryMetadata?.repositoryName ?? '';
    const work = join(home, 'work');
    await git(one, ['clone', `${one.url}/v1/repos/${name}`, work]);
    await writeFile(join(work, 'a'), '1');
    await git(one, ['add', 'a'], work);
    await git(one, ['commit', '-m', 'one'], work);
    await git(one, ['push', 'origin', 'main'], work);
    const first = await git(one, ['rev-parse', 'HEAD'], work);

    // The second push goes through the other server.
    await git(other, ['remote', 'set-url', 'origin', `${other.url}/v1/repos/${name}`], work);
    await writeFile(join(work, 'a'), '2');
    await git(other, ['commit', '-am', 'two'], work);
    await git(other, ['push', 'origin', 'main'], work);
    const second = await git(other, ['rev-parse', 'HEAD'], work);

    for (const server of [one, other]) {
      const branch = await clientOf(server).send(
        new GetBranchCommand({ repositoryName: name, branchName: 'main' }),
      );
      expect(branch.branch?.commitId).toBe(second);
    }
    for (const watcher of watchers) {
      await eventually(() => watcher.seen.length === 2, { message: 'both pushes seen' });
      expect(watcher.seen).toEqual([first, second]);
      watcher.stop();
    }
  });
});
