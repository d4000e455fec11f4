import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { zeroCommitId } from '@slipway/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gitIn } from './action-task.fixture.ts';
import { GitPushedFiles } from './git-pushed-files.ts';

let root: string;
let work: string;
let repositoryId: string;
let files: GitPushedFiles;

const directoryOf = (id: string) => join(root, 'repos', `${id}.git`);
const git = (...args: string[]) => gitIn(work, args, root);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'slipway-pushed-'));
  work = join(root, 'work');
  repositoryId = randomUUID();
  await mkdir(work, { recursive: true });
  gitIn(root, ['init', '--bare', '--quiet', directoryOf(repositoryId)], root);
  git('init', '--quiet', '--initial-branch=main');
  files = new GitPushedFiles({ directoryOf });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Writes (or, for null, deletes) files, commits them and pushes main; the new commit id. */
async function commit(changes: Record<string, string | null>): Promise<string> {
  for (const [path, content] of Object.entries(changes)) {
    if (content === null) {
      git('rm', '--quiet', path);
      continue;
    }
    await mkdir(dirname(join(work, path)), { recursive: true });
    await writeFile(join(work, path), content);
    git('add', path);
  }
  git('commit', '--quiet', '-m', 'change');
  git('push', '--quiet', directoryOf(repositoryId), 'HEAD:refs/heads/main');
  return git('rev-parse', 'HEAD');
}

describe('GitPushedFiles', () => {
  it('lists the files changed between the old and new tips, deletions included', async () => {
    const first = await commit({ 'a.txt': 'a', 'src/b.ts': 'b', 'docs/c.md': 'c' });
    await commit({ 'src/b.ts': 'b2' });
    const last = await commit({ 'docs/c.md': null, 'src/new file.ts': 'n' });
    const changed = await files.changedFiles({
      repositoryId,
      oldCommitId: first,
      newCommitId: last,
    });
    expect(changed.sort()).toEqual(['docs/c.md', 'src/b.ts', 'src/new file.ts']);
  });

  it('compares a new ref with its first parent', async () => {
    await commit({ 'a.txt': 'a', 'b.txt': 'b' });
    const tip = await commit({ 'b.txt': 'b2', 'c/d.txt': 'd' });
    const changed = await files.changedFiles({
      repositoryId,
      oldCommitId: undefined,
      newCommitId: tip,
    });
    expect(changed.sort()).toEqual(['b.txt', 'c/d.txt']);
  });

  it('lists every file of a root commit, and treats the zero id as no old commit', async () => {
    const rootCommit = await commit({ 'a.txt': 'a', 'deep/er/b.txt': 'b' });
    const changed = await files.changedFiles({
      repositoryId,
      oldCommitId: zeroCommitId,
      newCommitId: rootCommit,
    });
    expect(changed.sort()).toEqual(['a.txt', 'deep/er/b.txt']);
  });

  it('reports both paths of a rename', async () => {
    const first = await commit({ 'old-name.txt': 'same content, long enough to be a rename' });
    git('mv', 'old-name.txt', 'new-name.txt');
    git('commit', '--quiet', '-m', 'rename');
    git('push', '--quiet', directoryOf(repositoryId), 'HEAD:refs/heads/main');
    const changed = await files.changedFiles({
      repositoryId,
      oldCommitId: first,
      newCommitId: git('rev-parse', 'HEAD'),
    });
    expect(changed.sort()).toEqual(['new-name.txt', 'old-name.txt']);
  });

  it('refuses a commit id that is not a full hex id', async () => {
    await expect(
      files.changedFiles({ repositoryId, oldCommitId: undefined, newCommitId: '--output=/tmp/x' }),
    ).rejects.toThrow('Invalid commit id');
  });
});
