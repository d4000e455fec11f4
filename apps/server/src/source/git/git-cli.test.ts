import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TreeChange } from '@slipway/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { looseCommitParents } from './git-parse.ts';
import { GitCli } from './git-cli.ts';

const time = 1_484_167_798_000;
const author = { name: 'Mary Major', email: 'mary@example.com' };
const missingId = '1234567890123456789012345678901234567890';

let root: string;
let git: GitCli;
let id: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'slipway-git-'));
  git = new GitCli({ root });
  id = randomUUID();
  await git.create(id, 'main');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The real git, as a user or a test fixture runs it (not through the adapter). */
function gitCommand(
  args: string[],
  options: { cwd?: string; input?: string | Buffer } = {},
): string {
  return execFileSync('git', args, {
    cwd: options.cwd ?? root,
    input: options.input ?? '',
    encoding: 'utf8',
    stdio: 'pipe', // git's hints and warnings are expected here.
    env: {
      PATH: process.env.PATH,
      HOME: root,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Jane Doe',
      GIT_AUTHOR_EMAIL: 'jane@example.com',
      GIT_AUTHOR_DATE: '1484167798 -0800',
      GIT_COMMITTER_NAME: 'Jane Doe',
      GIT_COMMITTER_EMAIL: 'jane@example.com',
      GIT_COMMITTER_DATE: '1484167800 -0800',
    },
  }).trim();
}

function inRepository(args: string[], input?: string | Buffer): string {
  return gitCommand([`--git-dir=${git.directoryOf(id)}`, ...args], { input });
}

type Files = Record<string, string | { content: string; mode: string } | null>;

/** Writes the blobs and a commit on top of `parent`: null deletes a path. */
async function commit(parent: string | undefined, files: Files, message = 'change') {
  const changes: TreeChange[] = [];
  for (const [path, file] of Object.entries(files)) {
    if (file === null) {
      changes.push({ kind: 'delete', path });
      continue;
    }
    const { content, mode } = typeof file === 'string' ? { content: file, mode: '100644' } : file;
    const blobId = await git.writeBlob(id, Buffer.from(content));
    changes.push({ kind: 'put', path, blobId, mode });
  }
  return git.writeCommit(id, { parentCommitId: parent, changes, message, author, time });
}

async function branch(name: string, commitId: string) {
  const ref = `refs/heads/${name}`;
  expect(await git.updateRef(id, { ref, expectedCommitId: undefined, newCommitId: commitId })).toBe(
    'updated',
  );
}

async function text(blobId: string) {
  const blob = await git.readBlob(id, blobId, 1_000_000);
  return 'content' in blob ? Buffer.from(blob.content).toString('utf8') : undefined;
}

describe('create and remove', () => {
  it('creates a bare repository whose HEAD names the default branch, idempotently', async () => {
    expect(await git.readHead(id)).toBe('main');
    expect(await git.listRefs(id)).toEqual([]);
    await git.create(id, 'trunk');
    expect(await git.readHead(id)).toBe('main');
    expect(inRepository(['config', 'receive.fsckObjects'])).toBe('true');
    expect(inRepository(['rev-parse', '--is-bare-repository'])).toBe('true');
    expect((await readdir(root)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('survives concurrent creates of the same repository', async () => {
    const other = randomUUID();
    await Promise.all([1, 2, 3].map(() => git.create(other, 'main')));
    expect(await git.readHead(other)).toBe('main');
    expect((await readdir(root)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('moves HEAD to another branch', async () => {
    await git.setHead(id, 'develop');
    expect(await git.readHead(id)).toBe('develop');
    await expect(git.setHead(id, '-x')).rejects.toThrow();
  });

  it('removes the repository, idempotently', async () => {
    await git.remove(id);
    expect(existsSync(git.directoryOf(id))).toBe(false);
    await git.remove(id);
    expect(await readdir(root)).toEqual([]);
  });

  it('reports a git that cannot be run', async () => {
    const broken = new GitCli({ root, gitBinary: join(root, 'no-such-git') });
    await expect(broken.listRefs(id)).rejects.toThrow(/ENOENT/);
  });

  it('accepts only repository ids as directories', () => {
    expect(git.directoryOf(id)).toBe(join(root, `${id}.git`));
    for (const bad of ['../x', id.toUpperCase(), `${id}/..`, '', `-${id.slice(1)}`]) {
      expect(() => git.directoryOf(bad)).toThrow(/Invalid repository id/);
    }
  });
});

describe('writing commits', () => {
  it('writes a first commit, then changes on top of it', async () => {
    const odd = 'docs/with space/ünïcødé "quoted"\nnewline.md';
    const first = await commit(undefined, {
      'README.md': 'hello\n',
      'src/app/main.ts': 'main()\n',
      'run.sh': { content: '#!/bin/sh\n', mode: '100755' },
      link: { content: 'README.md', mode: '120000' },
      [odd]: 'odd\n',
    });
    const files = inRepository(['ls-tree', '-r', '-z', first.commitId]).split('\0');
    expect(files.filter(Boolean).map((line) => line.split('\t')[1])).toEqual([
      'README.md',
      odd,
      'link',
      'run.sh',
      'src/app/main.ts',
    ]);
    expect(await git.findEntry(id, first.commitId, 'run.sh')).toMatchObject({ mode: '100755' });
    expect(await git.findEntry(id, first.commitId, 'link')).toMatchObject({ mode: '120000' });
    const oddEntry = await git.findEntry(id, first.commitId, odd);
    expect(await text(oddEntry?.objectId ?? '')).toBe('odd\n');

    const second = await commit(first.commitId, { 'README.md': 'bye\n', 'run.sh': null });
    const commits = await git.readCommits(id, [first.commitId, second.commitId]);
    expect(commits.get(first.commitId)?.parents).toEqual([]);
    expect(commits.get(second.commitId)).toMatchObject({
      treeId: second.treeId,
      parents: [first.commitId],
    });
    expect(await git.findEntry(id, second.commitId, 'run.sh')).toBeUndefined();
    const readme = await git.findEntry(id, second.commitId, 'README.md');
    expect(await text(readme?.objectId ?? '')).toBe('bye\n');
    expect(await git.findEntry(id, second.commitId, 'src/app/main.ts')).toBeDefined();
  });

  it('stores binary content unchanged', async () => {
    const bytes = Buffer.from([0, 255, 13, 10, 1, 2, 3, 0]);
    const blobId = await git.writeBlob(id, bytes);
    expect(await git.readBlob(id, blobId, 100)).toEqual({ found: true, size: 8, content: bytes });
  });

  it('replaces a file with a folder of the same name (git resolves the clash)', async () => {
    const first = await commit(undefined, { a: 'file' });
    const second = await commit(first.commitId, { 'a/b': 'nested' });
    expect(await git.findEntry(id, second.commitId, 'a')).toMatchObject({ type: 'tree' });
  });

  it('refuses unsafe paths, bad modes and missing blobs', async () => {
    for (const path of ['.git/config', 'a/../b', 'a//b', '/abs', '', 'x/.GIT/y', 'a/./b']) {
      await expect(commit(undefined, { [path]: 'x' })).rejects.toThrow(/Invalid path/);
    }
    const blobId = await git.writeBlob(id, Buffer.from('x'));
    const put = (mode: string, blob = blobId): TreeChange => ({
      kind: 'put',
      path: 'f',
      mode,
      blobId: blob,
    });
    const write = (change: TreeChange) =>
      git.writeCommit(id, {
        parentCommitId: undefined,
        changes: [change],
        message: '',
        author,
        time,
      });
    await expect(write(put('040000'))).rejects.toThrow(/Invalid mode/);
    await expect(write(put('100644', missingId))).rejects.toThrow(/write-tree/);
  });
});

describe('updateRef', () => {
  it('creates, moves and deletes a ref with compare-and-swap', async () => {
    const one = (await commit(undefined, { f: '1' })).commitId;
    const two = (await commit(one, { f: '2' })).commitId;
    const ref = 'refs/heads/main';
    const update = (expectedCommitId: string | undefined, newCommitId: string | undefined) =>
      git.updateRef(id, { ref, expectedCommitId, newCommitId });

    expect(await update(undefined, one)).toBe('updated');
    expect(await update(undefined, two)).toBe('stale');
    expect(await update(two, one)).toBe('stale');
    expect(await update(one, two)).toBe('updated');
    expect(await git.listRefs(id)).toEqual([{ name: ref, commitId: two }]);
    expect(await update(one, undefined)).toBe('stale');
    expect(await update(undefined, undefined)).toBe('stale');
    expect(await update(two, undefined)).toBe('updated');
    expect(await git.listRefs(id)).toEqual([]);
    expect(await update(one, undefined)).toBe('stale');
    expect(await update(undefined, undefined)).toBe('updated');
  });

  it('refuses refs that are not branches or tags, and non-commits on branches', async () => {
    const { commitId, treeId } = await commit(undefined, { f: '1' });
    for (const ref of ['HEAD', '-x', 'refs/heads/../x', 'refs/heads/a..b', 'refs/notes/x']) {
      await expect(
        git.updateRef(id, { ref, expectedCommitId: undefined, newCommitId: commitId }),
      ).rejects.toThrow(/Invalid ref/);
    }
    await expect(
      git.updateRef(id, { ref: 'refs/heads/t', expectedCommitId: undefined, newCommitId: treeId }),
    ).rejects.toThrow(/non-commit/);
    await branch('a', commitId);
    await expect(
      git.updateRef(id, {
        ref: 'refs/heads/a/b',
        expectedCommitId: undefined,
        newCommitId: commitId,
      }),
    ).rejects.toThrow(/exists/);
  });
});

describe('resolveCommit', () => {
  it('resolves ids, branches, tags, full refs and HEAD', async () => {
    const one = (await commit(undefined, { f: '1' })).commitId;
    const two = (await commit(one, { f: '2' })).commitId;
    expect(await git.resolveCommit(id, 'HEAD')).toBeUndefined(); // Unborn.
    await branch('main', two);
    await branch('feature/x', one);
    inRepository(['tag', 'light', one]);
    inRepository(['tag', '-a', '-m', 'annotated', 'v1', one]);
    inRepository(['tag', '-a', '-m', 'tag of a tag', 'v1-again', 'v1']);
    inRepository(['tag', '-a', '-m', 'a tree', 'tree-tag', `${one}^{tree}`]);

    expect(await git.resolveCommit(id, one)).toBe(one);
    expect(await git.resolveCommit(id, 'main')).toBe(two);
    expect(await git.resolveCommit(id, 'feature/x')).toBe(one);
    expect(await git.resolveCommit(id, 'refs/heads/main')).toBe(two);
    expect(await git.resolveCommit(id, 'HEAD')).toBe(two);
    expect(await git.resolveCommit(id, 'light')).toBe(one);
    expect(await git.resolveCommit(id, 'v1')).toBe(one);
    expect(await git.resolveCommit(id, 'refs/tags/v1')).toBe(one);
    expect(await git.resolveCommit(id, 'v1-again')).toBe(one);
    expect(await git.resolveCommit(id, 'tree-tag')).toBeUndefined();
    expect(await git.listRefs(id)).toEqual([
      { name: 'refs/heads/feature/x', commitId: one },
      { name: 'refs/heads/main', commitId: two },
      { name: 'refs/tags/light', commitId: one },
      { name: 'refs/tags/v1', commitId: one },
      { name: 'refs/tags/v1-again', commitId: one },
    ]);
  });

  it('prefers a branch over a tag of the same name', async () => {
    const one = (await commit(undefined, { f: '1' })).commitId;
    const two = (await commit(one, { f: '2' })).commitId;
    await branch('same', one);
    inRepository(['tag', 'same', two]);
    expect(await git.resolveCommit(id, 'same')).toBe(one);
    expect(await git.resolveCommit(id, 'refs/tags/same')).toBe(two);
  });

  it('answers undefined, without throwing, for anything else', async () => {
    const { commitId, treeId } = await commit(undefined, { f: '1' });
    await branch('main', commitId);
    const blobId = await git.writeBlob(id, Buffer.from('1'));
    const hostile = [
      '--help',
      '-x',
      '--all',
      '../../etc',
      'HEAD..main',
      'main~1',
      'main^',
      'main@{0}',
      ':/change',
      'main:f',
      '@',
      '',
      ' main',
      'main\n',
      'refs/heads/../main',
      missingId,
      commitId.slice(0, 12),
      `nope-g${commitId.slice(0, 7)}`, // `git describe` syntax.
      commitId.toUpperCase(),
      treeId,
      blobId,
      'refs/heads',
      'heads/main',
    ];
    for (const specifier of hostile) {
      expect(await git.resolveCommit(id, specifier), specifier).toBeUndefined();
    }
  });
});

describe('readCommits', () => {
  it('parses commits written through the adapter', async () => {
    const first = await commit(undefined, { f: '1' }, 'First\n\nWith a body.\n');
    const second = await commit(first.commitId, { f: '2' }, 'no newline');
    const blobId = await git.writeBlob(id, Buffer.from('1'));
    const commits = await git.readCommits(id, [
      second.commitId,
      first.commitId,
      first.commitId,
      missingId,
      blobId,
      first.treeId,
      '--batch',
    ]);
    expect([...commits.keys()].sort()).toEqual([first.commitId, second.commitId].sort());
    const person = { ...author, date: '1484167798 +0000' };
    expect(commits.get(first.commitId)).toEqual({
      commitId: first.commitId,
      treeId: first.treeId,
      parents: [],
      message: 'First\n\nWith a body.\n',
      author: person,
      committer: person,
    });
    expect(commits.get(second.commitId)?.message).toBe('no newline');
  });

  it('parses a signed commit in another encoding', async () => {
    const tree = (await commit(undefined, { f: '1' })).treeId;
    const raw = Buffer.concat([
      Buffer.from(`tree ${tree}\nauthor `),
      Buffer.from('Zoë <z@example.com> 1484167798 +0100\n', 'latin1'),
      Buffer.from('committer C <c@example.com> 1484167799 -0800\nencoding ISO-8859-1\n'),
      Buffer.from('gpgsig -----BEGIN PGP SIGNATURE-----\n \n abc\n -----END PGP SIGNATURE-----\n'),
      Buffer.from('\nCafé\n', 'latin1'),
    ]);
    const commitId = inRepository(['hash-object', '-t', 'commit', '-w', '--stdin'], raw);
    const parsed = (await git.readCommits(id, [commitId])).get(commitId);
    expect(parsed).toMatchObject({
      treeId: tree,
      parents: [],
      author: { name: 'Zoë', email: 'z@example.com', date: '1484167798 +0100' },
      committer: { name: 'C', email: 'c@example.com', date: '1484167799 -0800' },
      message: 'Café\n',
    });
  });
});

describe('reading trees and blobs', () => {
  let commitId: string;

  beforeEach(async () => {
    ({ commitId } = await commit(undefined, {
      'README.md': 'hello',
      'src/a.ts': 'a',
      'src/lib/b.ts': 'b',
      'srcx/c.ts': 'c',
      'a*': 'star',
      ab: 'ab',
      '-dash': 'dash',
      ':(glob)x': 'magic',
    }));
  });

  it('finds the root, files and folders', async () => {
    const root = await git.findEntry(id, commitId, '');
    const { treeId } = (await git.readCommits(id, [commitId])).get(commitId) ?? {};
    expect(root).toEqual({ path: '', type: 'tree', mode: '040000', objectId: treeId });
    expect(await git.findEntry(id, commitId, 'src')).toMatchObject({
      path: 'src',
      type: 'tree',
      mode: '040000',
    });
    const file = await git.findEntry(id, commitId, 'src/lib/b.ts');
    expect(file).toMatchObject({ path: 'src/lib/b.ts', type: 'blob', mode: '100644' });
    expect(await text(file?.objectId ?? '')).toBe('b');
  });

  it('takes paths literally', async () => {
    expect(await git.findEntry(id, commitId, 'a*')).toMatchObject({ path: 'a*' });
    expect(await git.findEntry(id, commitId, 'a?')).toBeUndefined();
    expect(await git.findEntry(id, commitId, '*')).toBeUndefined();
    expect(await git.findEntry(id, commitId, 'src/*')).toBeUndefined();
    expect(await git.findEntry(id, commitId, '-dash')).toMatchObject({ path: '-dash' });
    expect(await git.findEntry(id, commitId, ':(glob)x')).toMatchObject({ path: ':(glob)x' });
    expect(await git.findEntry(id, commitId, ':(glob)*')).toBeUndefined();
  });

  it('answers undefined for what is not there', async () => {
    for (const path of ['nope', 'src/', 'src/nope.ts', 'README.md/x', '/README.md', '../x', 'sr']) {
      expect(await git.findEntry(id, commitId, path), path).toBeUndefined();
    }
    expect(await git.findEntry(id, missingId, 'README.md')).toBeUndefined();
    expect(await git.findEntry(id, missingId, '')).toBeUndefined();
    expect(await git.findEntry(id, 'HEAD', 'README.md')).toBeUndefined();
  });

  it('lists a folder’s direct children with their full paths', async () => {
    const src = await git.findEntry(id, commitId, 'src');
    expect(await git.listTree(id, src?.objectId ?? '', 'src')).toEqual([
      expect.objectContaining({ path: 'src/a.ts', type: 'blob', mode: '100644' }),
      expect.objectContaining({ path: 'src/lib', type: 'tree', mode: '040000' }),
    ]);
    const root = await git.findEntry(id, commitId, '');
    const names = (await git.listTree(id, root?.objectId ?? '', '')).map((e) => e.path);
    expect(names).toEqual(['-dash', ':(glob)x', 'README.md', 'a*', 'ab', 'src', 'srcx']);
    expect(await git.listTree(id, missingId, '')).toEqual([]);
    expect(await git.listTree(id, 'HEAD', '')).toEqual([]);
  });

  it('reads blobs up to a size', async () => {
    const readme = await git.findEntry(id, commitId, 'README.md');
    const blobId = readme?.objectId ?? '';
    expect(await git.readBlob(id, blobId, 5)).toEqual({
      found: true,
      size: 5,
      content: Buffer.from('hello'),
    });
    expect(await git.readBlob(id, blobId, 4)).toEqual({ found: true, size: 5, tooLarge: true });
    expect(await git.readBlob(id, missingId, 5)).toEqual({ found: false });
    expect(await git.readBlob(id, commitId, 5000)).toEqual({ found: false });
    expect(await git.readBlob(id, 'HEAD:README.md', 5000)).toEqual({ found: false });
    const empty = await git.writeBlob(id, new Uint8Array());
    expect(await git.readBlob(id, empty, 0)).toEqual({
      found: true,
      size: 0,
      content: Buffer.alloc(0),
    });
  });

  it('streams a large blob', async () => {
    const big = Buffer.alloc(3_000_000, 'x');
    big.write('end', big.length - 3);
    const blobId = await git.writeBlob(id, big);
    const read = await git.readBlob(id, blobId, big.length);
    expect('content' in read && Buffer.from(read.content).equals(big)).toBe(true);
    expect(await git.readBlob(id, blobId, 1_000)).toEqual({
      found: true,
      size: big.length,
      tooLarge: true,
    });
  });
});

describe('history', () => {
  it('tells whether one commit is an ancestor of another', async () => {
    const one = (await commit(undefined, { f: '1' })).commitId;
    const two = (await commit(one, { f: '2' })).commitId;
    const other = (await commit(undefined, { g: '1' })).commitId;
    expect(await git.isAncestor(id, one, two)).toBe(true);
    expect(await git.isAncestor(id, one, one)).toBe(true);
    expect(await git.isAncestor(id, two, one)).toBe(false);
    expect(await git.isAncestor(id, other, two)).toBe(false);
    expect(await git.isAncestor(id, one, missingId)).toBe(false);
    expect(await git.isAncestor(id, '--all', two)).toBe(false);
  });

  it('answers the same once the commits are packed (no loose object to read)', async () => {
    const one = (await commit(undefined, { f: '1' })).commitId;
    const two = (await commit(one, { f: '2' })).commitId;
    const three = (await commit(two, { f: '3' })).commitId;
    expect(await looseCommitParents(git.directoryOf(id), three)).toEqual([two]);
    await git.updateRef(id, {
      ref: 'refs/heads/p',
      expectedCommitId: undefined,
      newCommitId: three,
    });
    gitCommand(['--git-dir', git.directoryOf(id), 'gc', '--quiet', '--prune=now']);
    expect(await looseCommitParents(git.directoryOf(id), three)).toBeUndefined();
    expect(await git.isAncestor(id, two, three)).toBe(true);
    expect(await git.isAncestor(id, one, three)).toBe(true);
    expect(await git.isAncestor(id, three, one)).toBe(false);
  });

  it('diffs two commits, and a commit against the empty tree', async () => {
    const one = await commit(undefined, { keep: 'k', change: '1', drop: 'd', 'dir/x': 'x' });
    const two = await commit(one.commitId, {
      change: { content: '2', mode: '100755' },
      drop: null,
      'dir/x': null,
      'dir/y': 'y',
      'new file': 'n',
    });
    const differences = await git.diff(id, { before: one.commitId, after: two.commitId });
    const summary = differences.map((d) => [d.changeType, d.before?.path, d.after?.path]);
    expect(summary).toEqual([
      ['M', 'change', 'change'],
      ['D', 'dir/x', undefined],
      ['A', undefined, 'dir/y'],
      ['D', 'drop', undefined],
      ['A', undefined, 'new file'],
    ]);
    const change = differences[0];
    expect(change?.before).toMatchObject({ mode: '100644' });
    expect(change?.after).toMatchObject({ mode: '100755' });
    expect(await text(change?.after?.blobId ?? '')).toBe('2');

    const all = await git.diff(id, { before: undefined, after: one.commitId });
    expect(all.map((d) => [d.changeType, d.after?.path])).toEqual([
      ['A', 'change'],
      ['A', 'dir/x'],
      ['A', 'drop'],
      ['A', 'keep'],
    ]);
    expect(await git.diff(id, { before: missingId, after: two.commitId })).toEqual([]);
  });

  it('limits a diff to paths', async () => {
    const one = await commit(undefined, { 'old/a': 'a', 'src/b': 'b', 'srcx/c': 'c', top: 't' });
    const two = await commit(one.commitId, {
      'old/a': null,
      'new/a': 'a',
      'src/b': 'B',
      'srcx/c': 'C',
      top: 'T',
    });
    const paths = async (range: { beforePath?: string; afterPath?: string }) =>
      (await git.diff(id, { before: one.commitId, after: two.commitId, ...range })).map(
        (d) => `${d.changeType} ${d.before?.path ?? d.after?.path}`,
      );
    expect(await paths({ beforePath: 'src', afterPath: 'src' })).toEqual(['M src/b']);
    expect(await paths({ afterPath: 'src/' })).toEqual(['M src/b']);
    expect(await paths({ beforePath: 'top' })).toEqual(['M top']);
    expect(await paths({ beforePath: 'old', afterPath: 'new' })).toEqual(['A new/a', 'D old/a']);
    expect(await paths({ beforePath: 'nothing' })).toEqual([]);
  });
});

describe('a repository written to by git itself', () => {
  it('reads what a real `git push` over file:// stored', async () => {
    const work = join(root, 'work');
    gitCommand(['clone', '--quiet', `file://${git.directoryOf(id)}`, work]);
    gitCommand(['-C', work, 'symbolic-ref', 'HEAD', 'refs/heads/main']);
    gitCommand([
      '-C',
      work,
      'commit',
      '--quiet',
      '--allow-empty',
      '-m',
      'Subject\n\nBody line 1\nBody line 2',
    ]);
    gitCommand(['-C', work, 'tag', '-a', '-m', 'release', 'v1.0']);
    gitCommand(['-C', work, 'push', '--quiet', 'origin', 'main', 'v1.0']);
    const head = gitCommand(['-C', work, 'rev-parse', 'HEAD']);

    expect(await git.listRefs(id)).toEqual([
      { name: 'refs/heads/main', commitId: head },
      { name: 'refs/tags/v1.0', commitId: head },
    ]);
    expect(await git.resolveCommit(id, 'HEAD')).toBe(head);
    const pushed = (await git.readCommits(id, [head])).get(head);
    expect(pushed).toMatchObject({
      parents: [],
      message: 'Subject\n\nBody line 1\nBody line 2\n',
      author: { name: 'Jane Doe', email: 'jane@example.com', date: '1484167798 -0800' },
      committer: { name: 'Jane Doe', email: 'jane@example.com', date: '1484167800 -0800' },
    });
  });
});
