import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchGitSource, GitSourceError } from './git-source.ts';

const run = promisify(execFile);
const gitEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

async function git(dir: string, ...args: string[]): Promise<string> {
  return (await run('git', ['-C', dir, ...args], { env: gitEnv })).stdout.trim();
}

describe('fetchGitSource', () => {
  let root: string;
  let url: string;
  const commits: Record<string, string> = {};

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'slipway-git-source-'));
    const work = join(root, 'work');
    await run('git', ['init', '-q', '-b', 'main', work], { env: gitEnv });
    for (const name of ['one', 'two', 'three']) {
      await writeFile(join(work, 'file.txt'), name);
      await git(work, 'add', 'file.txt');
      await git(work, 'commit', '-q', '-m', name);
      commits[name] = await git(work, 'rev-parse', 'HEAD');
    }
    await git(work, 'tag', '-a', 'v1', '-m', 'release one', commits.one ?? '');
    await git(work, 'branch', 'feature', commits.two ?? '');
    await run('git', ['clone', '-q', '--bare', work, join(root, 'repo.git')], { env: gitEnv });
    url = `file://${join(root, 'repo.git')}`;
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  let checkout = 0;
  const target = () => join(root, `checkout-${(checkout += 1)}`);

  it("checks out the remote's HEAD when no version is given, on its branch", async () => {
    const directory = target();
    const result = await fetchGitSource({ url, directory, depth: 1 });
    expect(result).toEqual({ commitId: commits.three, ref: 'refs/heads/main' });
    expect(await readFile(join(directory, 'file.txt'), 'utf8')).toBe('three');
    expect(await git(directory, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(await git(directory, 'rev-list', '--count', 'HEAD')).toBe('1');
  });

  it.each([
    ['a branch name', 'feature', 'two', 'refs/heads/feature'],
    ['a full ref', 'refs/heads/feature', 'two', 'refs/heads/feature'],
    ['an annotated tag', 'v1', 'one', 'refs/tags/v1'],
  ])('resolves %s', async (_, version, commit, ref) => {
    const directory = target();
    const result = await fetchGitSource({ url, directory, version });
    expect(result).toEqual({ commitId: commits[commit], ref });
    expect(await readFile(join(directory, 'file.txt'), 'utf8')).toBe(commit);
  });

  it('fetches a commit by id, with its whole history when depth is 0', async () => {
    const directory = target();
    const result = await fetchGitSource({ url, directory, version: commits.two, depth: 0 });
    expect(result).toEqual({ commitId: commits.two, ref: undefined });
    expect(await git(directory, 'rev-list', '--count', 'HEAD')).toBe('2');
  });

  it.each([['no-such-branch'], ['--upload-pack=touch /tmp/pwned'], ['a b']])(
    'refuses the version %j',
    async (version) => {
      await expect(fetchGitSource({ url, directory: target(), version })).rejects.toThrow(
        GitSourceError,
      );
    },
  );
});
