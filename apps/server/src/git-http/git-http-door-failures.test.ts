import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  basicAuth,
  pktLine,
  principal,
  startGitFixture,
  type GitFixture,
} from './git-http.fixture.ts';

let f: GitFixture;
let work: string;
let first: string;

beforeAll(async () => {
  f = await startGitFixture();
  await f.createRepository('demo');
  work = join(f.root, 'work');
  await f.git(['clone', '-q', `${f.authedBase}/v1/repos/demo`, work]);
  await writeFile(join(work, 'README.md'), '# demo\n');
  await f.git(['-C', work, 'add', 'README.md']);
  await f.git(['-C', work, 'commit', '-q', '-m', 'first']);
  await f.git(['-C', work, 'push', '-q', 'origin', 'main']);
  first = (await f.git(['-C', work, 'rev-parse', 'HEAD'])).stdout.trim();
});
afterAll(() => f.close());

const uploadPackHeaders = {
  authorization: basicAuth('user', 'pass'),
  'content-type': 'application/x-git-upload-pack-request',
};
const spoolFiles = async () => readdir(join(f.workDir, 'spool'));

describe('git door: request bodies', () => {
  it('reads a gzip-compressed request', async () => {
    const body = `${pktLine(`want ${first} ofs-delta\n`)}0000${pktLine('done\n')}`;
    const response = await fetch(`${f.base}/v1/repos/demo/git-upload-pack`, {
      method: 'POST',
      headers: { ...uploadPackHeaders, 'content-encoding': 'gzip' },
      body: gzipSync(body),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-git-upload-pack-result');
    const result = Buffer.from(await response.arrayBuffer());
    expect(result.subarray(0, 8).toString()).toBe('0008NAK\n');
    expect(result.subarray(8, 12).toString()).toBe('PACK');
  });

  it('answers 400 to a body that does not decompress', async () => {
    const response = await fetch(`${f.base}/v1/repos/demo/git-upload-pack`, {
      method: 'POST',
      headers: { ...uploadPackHeaders, 'content-encoding': 'gzip' },
      body: 'not gzip at all',
    });
    expect(response.status).toBe(400);
  });

  it('answers 500 when git cannot serve the repository', async () => {
    await rm(await f.createRepository('gone'), { recursive: true });
    const response = await fetch(`${f.base}/v1/repos/gone/info/refs?service=git-upload-pack`, {
      headers: { authorization: basicAuth('user', 'pass') },
    });
    expect([response.status, await response.text()]).toEqual([500, 'git failed\n']);
  });

  it('stops git when the client goes away', async () => {
    const pattern = `upload-pack --stateless-rpc ${f.bare('demo')}`;
    const running = async () => (await processes()).some((line) => line.includes(pattern));
    const client = httpRequest(`${f.base}/v1/repos/demo/git-upload-pack`, {
      method: 'POST',
      headers: uploadPackHeaders,
    });
    client.on('error', () => undefined);
    client.write(pktLine(`want ${first}\n`));
    await waitFor(running, true);
    client.destroy();
    await waitFor(running, false);
  });
});

describe('git door: recording pushes', () => {
  it('fails the push when it cannot be recorded, and recovers it from the spool', async () => {
    await writeFile(join(work, 'b.txt'), 'b\n');
    await f.git(['-C', work, 'add', 'b.txt']);
    await f.git(['-C', work, 'commit', '-q', '-m', 'second']);
    const second = (await f.git(['-C', work, 'rev-parse', 'HEAD'])).stdout.trim();
    const recorded = f.pushes.length;
    f.failPushes = true;
    const push = await f.git(['-C', work, 'push', 'origin', 'main'], { allowFailure: true });
    f.failPushes = false;
    expect(push.code).not.toBe(0);
    expect(f.pushes).toHaveLength(recorded);
    expect(await spoolFiles()).toHaveLength(1);

    expect(await f.door.recoverSpool()).toEqual({ recorded: 1, failed: 0 });
    expect(f.pushes.at(-1)).toMatchObject({
      repositoryId: 'repo-demo',
      pusher: principal,
      updates: [{ ref: 'refs/heads/main', oldCommitId: first, newCommitId: second }],
    });
    expect(await spoolFiles()).toEqual([]);
  });

  it('recovers a spool file left by a crash, SHA-256 ids included', async () => {
    const zero = '0'.repeat(64);
    const id = 'a'.repeat(64);
    const header = JSON.stringify({ repositoryId: 'repo-x', pusher: principal });
    const spool = join(f.workDir, 'spool');
    await writeFile(join(spool, 'crashed.push'), `${header}\n${zero} ${id} refs/tags/v1\n${id} `);
    await writeFile(join(spool, 'empty.push'), `${header}\n`);
    await writeFile(join(spool, 'broken.push'), 'not json\n');
    const before = f.pushes.length;
    expect(await f.door.recoverSpool()).toEqual({ recorded: 1, failed: 1 });
    expect(f.pushes.slice(before)).toMatchObject([
      {
        repositoryId: 'repo-x',
        pusher: principal,
        updates: [{ ref: 'refs/tags/v1', oldCommitId: undefined, newCommitId: id }],
      },
    ]);
    expect(await spoolFiles()).toEqual(['broken.push']);
  });
});

function processes(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile('ps', ['-eo', 'args'], (error, stdout) => {
      if (error === null) resolve(stdout.split('\n'));
      else reject(new Error(`ps failed: ${error.message}`));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, wanted: boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while ((await check()) !== wanted) {
    if (Date.now() > deadline) throw new Error(`still ${String(!wanted)} after 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
