import { randomBytes } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, principal, startGitFixture, type GitFixture } from './git-http.fixture.ts';

let f: GitFixture;
let work: string;

beforeAll(async () => {
  f = await startGitFixture();
  await f.createRepository('demo');
  work = join(f.root, 'work');
});
afterAll(() => f.close());

const head = async (dir: string, rev = 'HEAD') =>
  (await f.git(['-C', dir, 'rev-parse', rev])).stdout.trim();

async function commit(dir: string, file: string, content: string | Buffer) {
  await writeFile(join(dir, file), content);
  await f.git(['-C', dir, 'add', file]);
  await f.git(['-C', dir, 'commit', '-q', '-m', `change ${file}`]);
  return head(dir);
}

describe('git door: authentication and routing', () => {
  const infoRefs = '/v1/repos/demo/info/refs?service=git-upload-pack';

  it('asks for Basic credentials, refuses wrong ones, and hides unknown repositories', async () => {
    const anonymous = await fetch(`${f.base}${infoRefs}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="Slipway"');
    const wrong = await fetch(`${f.base}${infoRefs}`, {
      headers: { authorization: basicAuth('user', 'nope') },
    });
    expect(wrong.status).toBe(401);
    const unknownAnonymous = await fetch(
      `${f.base}/v1/repos/nothing/info/refs?service=git-upload-pack`,
    );
    expect(unknownAnonymous.status).toBe(401);
    const unknown = await fetch(`${f.base}/v1/repos/nothing/info/refs?service=git-upload-pack`, {
      headers: { authorization: basicAuth('user', 'pass') },
    });
    expect(unknown.status).toBe(404);
    const clone = await f.git(['clone', `${f.base}/v1/repos/demo`, join(f.root, 'anon')], {
      allowFailure: true,
    });
    expect(clone.code).not.toBe(0);
    expect(clone.stderr).toMatch(/Username|Authentication failed/);
  });

  it('serves only the smart protocol, and leaves signed requests to the AWS door', async () => {
    const auth = { authorization: basicAuth('user', 'pass') };
    const ok = await fetch(`${f.base}${infoRefs}`, { headers: auth });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/x-git-upload-pack-advertisement');
    expect(ok.headers.get('cache-control')).toMatch(/no-cache/);
    expect(await ok.text()).toMatch(/^001e# service=git-upload-pack\n0000/);
    const status = async (path: string, init: RequestInit = {}) =>
      (await fetch(`${f.base}${path}`, { ...init, headers: { ...auth, ...init.headers } })).status;
    expect(await status('/v1/repos/demo/info/refs')).toBe(404);
    expect(await status('/v1/repos/demo/HEAD')).toBe(404);
    expect(await status('/v1/repos/demo/objects/info/packs')).toBe(404);
    expect(await status('/v1/repos/demo/git-upload-pack')).toBe(405);
    expect(await status('/v1/repos/demo/git-upload-pack', { method: 'POST', body: '0000' })).toBe(
      415,
    );
    expect(await status('/regions/us-east-1/v1/repos/demo/info/refs?service=git-upload-pack')).toBe(
      200,
    );
    expect(await status('/regions/eu-west-1/v1/repos/demo/info/refs?service=git-upload-pack')).toBe(
      404,
    );
    const signed = await fetch(`${f.base}${infoRefs}`, {
      headers: {
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/s3/aws4_request',
      },
    });
    expect([signed.status, await signed.text()]).toEqual([400, 'aws door']);
  });

  it('advertises protocol v2 when git asks for it', async () => {
    const response = await fetch(`${f.base}${infoRefs}`, {
      headers: { authorization: basicAuth('user', 'pass'), 'git-protocol': 'version=2' },
    });
    expect(await response.text()).toMatch(/^000eversion 2\n/);
  });
});

describe('git door: clone and push', () => {
  it('clones the empty repository and records the first push', async () => {
    await f.git(['clone', '-q', `${f.authedBase}/v1/repos/demo`, work]);
    const first = await commit(work, 'README.md', '# demo\n');
    await f.git(['-C', work, 'push', '-q', 'origin', 'main']);
    expect(f.pushes).toMatchObject([
      {
        repositoryId: 'repo-demo',
        pusher: principal,
        updates: [{ ref: 'refs/heads/main', oldCommitId: undefined, newCommitId: first }],
      },
    ]);
  });

  it('records moved, created, forced and deleted refs', async () => {
    const before = await head(work);
    const second = await commit(work, 'a.txt', 'a\n');
    await f.git(['-C', work, 'branch', 'b']);
    await f.git(['-C', work, 'push', '-q', 'origin', 'main', 'b']);
    expect(f.pushes.at(-1)?.updates).toEqual([
      { ref: 'refs/heads/main', oldCommitId: before, newCommitId: second },
      { ref: 'refs/heads/b', oldCommitId: undefined, newCommitId: second },
    ]);
    await f.git(['-C', work, 'commit', '-q', '--amend', '-m', 'amended']);
    const amended = await head(work);
    await f.git(['-C', work, 'push', '-q', '-f', 'origin', 'main']);
    expect(f.pushes.at(-1)?.updates).toEqual([
      { ref: 'refs/heads/main', oldCommitId: second, newCommitId: amended },
    ]);
    await f.git(['-C', work, 'push', '-q', 'origin', '--delete', 'b']);
    expect(f.pushes.at(-1)?.updates).toEqual([
      { ref: 'refs/heads/b', oldCommitId: second, newCommitId: undefined },
    ]);
    expect(f.pushes).toHaveLength(4);
  });

  it('lets a second clone, over protocol v2, see everything', async () => {
    const second = join(f.root, 'second');
    await f.git([
      '-c',
      'protocol.version=2',
      'clone',
      '-q',
      `${f.authedBase}/v1/repos/demo`,
      second,
    ]);
    expect(await head(second)).toBe(await head(work));
    const branches = await f.git(['-C', second, 'branch', '-r']);
    expect(branches.stdout).not.toMatch(/origin\/b\b/);
  });

  it('records only the updates git accepts, and never runs the repository’s own hooks', async () => {
    const bare = f.bare('demo');
    await f.git(['-C', bare, 'config', 'receive.denyDeletes', 'true']);
    await writeFile(join(bare, 'hooks', 'pre-receive'), '#!/bin/sh\nexit 1\n');
    await chmod(join(bare, 'hooks', 'pre-receive'), 0o755);
    await f.git(['-C', work, 'push', '-q', 'origin', 'main:keep', 'main:doomed']);
    const count = f.pushes.length;
    const mixed = await f.git(['-C', work, 'push', 'origin', 'main:c', ':doomed'], {
      allowFailure: true,
    });
    expect(mixed.code).not.toBe(0);
    expect(mixed.stderr).toMatch(/deletion prohibited/);
    expect(f.pushes.slice(count).map((p) => p.updates)).toEqual([
      [{ ref: 'refs/heads/c', oldCommitId: undefined, newCommitId: await head(work) }],
    ]);
    const refused = await f.git(['-C', work, 'push', 'origin', ':keep'], { allowFailure: true });
    expect(refused.code).not.toBe(0);
    expect(f.pushes).toHaveLength(count + 1);
    await f.git(['-C', bare, 'config', '--unset', 'receive.denyDeletes']);
  });

  it('streams a push larger than git’s post buffer (chunked, after a probe)', async () => {
    const id = await commit(work, 'big.bin', randomBytes(3 * 1024 * 1024));
    await f.git(['-C', work, 'push', '-q', 'origin', 'main']);
    expect(f.pushes.at(-1)?.updates).toEqual([
      { ref: 'refs/heads/main', oldCommitId: await head(work, 'HEAD~1'), newCommitId: id },
    ]);
  });
});
