import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  zeroCommitId,
  type BlobRead,
  type GitCommit,
  type GitDifference,
  type GitRef,
  type GitRepositories,
  type NewCommit,
  type RefChange,
  type TreeEntry,
} from '@slipway/core';
import {
  BatchBlobReader,
  diffScope,
  emptyTreeIdLike,
  isObjectId,
  isUpdatableRef,
  isValidRefName,
  isValidShortRefName,
  isValidTreePath,
  identityEnv,
  indexInfoLine,
  lines,
  parseBatchCommits,
  parseBatchHeader,
  parseRawDiff,
  parseRefRow,
  parseTreeEntries,
  refFormat,
  type RefRow,
  looseCommitParents,
} from './git-parse.ts';

export interface GitCliOptions {
  /** The folder holding every repository, as `<root>/<repositoryId>.git`. */
  readonly root: string;
  readonly gitBinary?: string;
}

/** A git process that failed; `stderr` is git's own explanation. */
export class GitCommandError extends Error {
  readonly exitCode: number;
  readonly stderr: string;

  constructor(command: string, exitCode: number, stderr: string) {
    super(`git ${command} failed (exit ${exitCode}): ${stderr || 'no output'}`);
    this.name = 'GitCommandError';
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

interface RunOptions {
  readonly input?: string | Uint8Array;
  readonly env?: Readonly<Record<string, string>>;
  readonly okExitCodes?: readonly number[];
}

interface RunResult {
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly code: number;
}

const repositoryIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const diffTree = 'diff-tree -r -z --raw --no-renames --no-commit-id --no-abbrev'.split(' ');
const serverConfig = [
  ['receive.denyNonFastForwards', 'false'],
  ['receive.fsckObjects', 'true'],
  ['core.logAllRefUpdates', 'true'],
] as const;

/**
 * `GitRepositories` on bare repositories driven by the `git` binary, always through argument
 * arrays (no shell). Nothing a user sends becomes a path, an option or a revision expression:
 * repository ids map to folders, object ids must be full hex, refs and tree paths are validated,
 * and revisions are resolved on stdin or by exact ref name.
 */
export class GitCli implements GitRepositories {
  readonly #root: string;
  readonly #git: string;
  readonly #env: Readonly<Record<string, string>>;

  constructor(options: GitCliOptions) {
    this.#root = resolve(options.root);
    this.#git = options.gitBinary ?? 'git';
    // Built from scratch so the server's own GIT_DIR, GIT_INDEX_FILE or config never leak in.
    this.#env = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: this.#root,
      LC_ALL: 'C',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_TERMINAL_PROMPT: '0',
      GIT_LITERAL_PATHSPECS: '1',
      // Pushed `refs/replace/*` must not change what an object id reads as.
      GIT_NO_REPLACE_OBJECTS: '1',
    };
  }

  directoryOf(repositoryId: string): string {
    if (!repositoryIdPattern.test(repositoryId)) {
      throw new Error(`Invalid repository id: ${JSON.stringify(repositoryId)}`);
    }
    return join(this.#root, `${repositoryId}.git`);
  }

  async create(repositoryId: string, defaultBranch: string): Promise<void> {
    const dir = this.directoryOf(repositoryId);
    if (!isValidShortRefName(defaultBranch)) throw new Error(`Invalid branch: ${defaultBranch}`);
    if (await isDirectory(dir)) return;
    await mkdir(this.#root, { recursive: true });
    // Built aside and renamed into place, so a half-made repository is never visible.
    const temp = join(this.#root, `.tmp-${repositoryId}-${randomSuffix()}`);
    try {
      await this.#run(undefined, ['init', '--bare', '--quiet', '--template=', temp]);
      await this.#run(temp, ['symbolic-ref', 'HEAD', `refs/heads/${defaultBranch}`]);
      for (const [key, value] of serverConfig) await this.#run(temp, ['config', key, value]);
      await rename(temp, dir);
    } catch (error) {
      // A concurrent create won the rename: the repository exists, which is all we promised.
      if (isErrno(error, 'ENOTEMPTY', 'EEXIST') && (await isDirectory(dir))) return;
      throw error;
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }

  async remove(repositoryId: string): Promise<void> {
    const dir = this.directoryOf(repositoryId);
    // Renamed away first, so a half-deleted repository never looks like a repository.
    const trash = join(this.#root, `.trash-${repositoryId}-${randomSuffix()}`);
    try {
      await rename(dir, trash);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return;
      throw error;
    }
    await rm(trash, { recursive: true, force: true });
  }

  async listRefs(repositoryId: string): Promise<GitRef[]> {
    const dir = this.directoryOf(repositoryId);
    const rows = await this.#forEachRef(dir, ['refs/heads', 'refs/tags'], false);
    const commits = await this.#peel(dir, rows);
    return rows.flatMap(({ name }) => {
      const commitId = commits.get(name);
      return commitId === undefined ? [] : [{ name, commitId }];
    });
  }

  async readHead(repositoryId: string): Promise<string | undefined> {
    const dir = this.directoryOf(repositoryId);
    const args = ['symbolic-ref', '--quiet', 'HEAD'];
    const { stdout, code } = await this.#run(dir, args, { okExitCodes: [0, 1] });
    const ref = stdout.toString('utf8').trim();
    return code === 0 && ref.startsWith('refs/heads/')
      ? ref.slice('refs/heads/'.length)
      : undefined;
  }

  async setHead(repositoryId: string, branch: string): Promise<void> {
    const dir = this.directoryOf(repositoryId);
    if (!isValidShortRefName(branch)) throw new Error(`Invalid branch: ${branch}`);
    await this.#run(dir, ['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
  }

  async resolveCommit(repositoryId: string, specifier: string): Promise<string | undefined> {
    const dir = this.directoryOf(repositoryId);
    if (isObjectId(specifier) || specifier === 'HEAD') {
      // On stdin, never argv; a full hex id is taken as an id, so no ref or abbreviation lookup.
      const [found] = await this.#batchCheck(dir, [`${specifier}^{commit}`]);
      return found?.objectId;
    }
    // Names are matched exactly: git's revision parser would also accept `x-g<hex>` as a
    // `git describe` name or fall back to other ref prefixes.
    const names = specifier.startsWith('refs/')
      ? [specifier].filter(isValidRefName)
      : isValidShortRefName(specifier)
        ? [`refs/heads/${specifier}`, `refs/tags/${specifier}`]
        : [];
    if (names.length === 0) return undefined;
    const commits = await this.#peel(dir, await this.#forEachRef(dir, names, true));
    return names.map((name) => commits.get(name)).find((id) => id !== undefined);
  }

  async readCommits(
    repositoryId: string,
    commitIds: readonly string[],
  ): Promise<Map<string, GitCommit>> {
    const dir = this.directoryOf(repositoryId);
    const ids = [...new Set(commitIds)].filter(isObjectId);
    if (ids.length === 0) return new Map();
    const input = ids.map((id) => `${id}\n`).join('');
    const { stdout } = await this.#run(dir, ['cat-file', '--batch'], { input });
    return parseBatchCommits(stdout);
  }

  async findEntry(
    repositoryId: string,
    commitId: string,
    path: string,
  ): Promise<TreeEntry | undefined> {
    const dir = this.directoryOf(repositoryId);
    if (!isObjectId(commitId)) return undefined;
    if (path === '') {
      const [tree] = await this.#batchCheck(dir, [`${commitId}^{tree}`]);
      return tree && { path: '', type: 'tree', mode: '040000', objectId: tree.objectId };
    }
    if (!isValidTreePath(path)) return undefined;
    // Without a trailing slash ls-tree lists the entry itself, not a folder's children;
    // GIT_LITERAL_PATHSPECS keeps `*`, `?`, `[` and `:(...)` literal.
    const args = ['ls-tree', '-z', '--full-tree', commitId, '--', path];
    const result = await this.#runUnlessMissing(dir, args, [`${commitId}^{tree}`]);
    return result && parseTreeEntries(result.stdout, '').find((entry) => entry.path === path);
  }

  async listTree(repositoryId: string, treeId: string, folderPath: string): Promise<TreeEntry[]> {
    const dir = this.directoryOf(repositoryId);
    if (!isObjectId(treeId)) return [];
    const args = ['ls-tree', '-z', '--full-tree', treeId];
    const result = await this.#runUnlessMissing(dir, args, [`${treeId}^{tree}`]);
    return result ? parseTreeEntries(result.stdout, folderPath) : [];
  }

  async readBlob(repositoryId: string, blobId: string, maxBytes: number): Promise<BlobRead> {
    const dir = this.directoryOf(repositoryId);
    if (!isObjectId(blobId)) return { found: false };
    return this.#streamBlob(dir, blobId, maxBytes);
  }

  async writeBlob(repositoryId: string, content: Uint8Array): Promise<string> {
    const dir = this.directoryOf(repositoryId);
    const args = ['hash-object', '-w', '--no-filters', '--stdin'];
    return objectIdOf(await this.#run(dir, args, { input: content }), 'hash-object');
  }

  /**
   * Builds the tree in a throwaway index. `update-index --index-info` resolves file/folder
   * clashes by replacing: putting `a/b` over a file `a` drops `a`, putting `a` over a folder `a/`
   * drops the folder. Deleting a path that is not a file (a folder, or nothing) changes nothing.
   * The service checks for both before it gets here.
   */
  async writeCommit(
    repositoryId: string,
    commit: NewCommit,
  ): Promise<{ commitId: string; treeId: string }> {
    const dir = this.directoryOf(repositoryId);
    const parent = commit.parentCommitId;
    if (parent !== undefined && !isObjectId(parent)) throw new Error(`Invalid parent: ${parent}`);
    const indexInfo = commit.changes.map(indexInfoLine).join('');
    const indexDir = await mkdtemp(join(tmpdir(), 'slipway-index-'));
    const env = { GIT_INDEX_FILE: join(indexDir, 'index') };
    try {
      if (parent !== undefined) await this.#run(dir, ['read-tree', parent], { env });
      if (indexInfo !== '') {
        const args = ['update-index', '-z', '--index-info'];
        const { stderr } = await this.#run(dir, args, { env, input: indexInfo });
        // It skips a path it finds unsafe with only a warning and exit code 0.
        if (stderr !== '') throw new GitCommandError('update-index', 0, stderr);
      }
      const treeId = objectIdOf(await this.#run(dir, ['write-tree'], { env }), 'write-tree');
      const parents = parent === undefined ? [] : ['-p', parent];
      const result = await this.#run(dir, ['commit-tree', ...parents, treeId], {
        input: commit.message,
        env: identityEnv(commit),
      });
      return { commitId: objectIdOf(result, 'commit-tree'), treeId };
    } finally {
      await rm(indexDir, { recursive: true, force: true });
    }
  }

  async updateRef(repositoryId: string, change: RefChange): Promise<'updated' | 'stale'> {
    const dir = this.directoryOf(repositoryId);
    const { ref, expectedCommitId: expected, newCommitId: next } = change;
    if (!isUpdatableRef(ref)) throw new Error(`Invalid ref: ${ref}`);
    for (const id of [expected, next]) {
      if (id !== undefined && !isObjectId(id)) throw new Error(`Invalid commit id: ${id}`);
    }
    if (expected === undefined && next === undefined) {
      // Nothing to change, only to check (`update-ref -d` reads a zero old value as "any").
      return (await this.#forEachRef(dir, [ref], true)).length === 0 ? 'updated' : 'stale';
    }
    // The zero id as old value means "must not exist"; git checks it under the ref's lock.
    const old = expected ?? zeroCommitId;
    const args =
      next === undefined ? ['update-ref', '-d', ref, old] : ['update-ref', ref, next, old];
    try {
      await this.#run(dir, args);
      return 'updated';
    } catch (error) {
      // git's messages vary by case; what the ref holds now says whether we lost the race.
      const [current] = await this.#forEachRef(dir, [ref], true);
      if (current?.objectId !== expected) return 'stale';
      throw error;
    }
  }

  async isAncestor(repositoryId: string, ancestor: string, descendant: string): Promise<boolean> {
    const dir = this.directoryOf(repositoryId);
    if (!isObjectId(ancestor) || !isObjectId(descendant)) return false;
    // Most pushes add commits on top of the old tip, which arrive as loose objects: reading
    // the new commit's parents answers without starting git (a push records this for every
    // moved ref, while its client waits).
    if ((await looseCommitParents(dir, descendant))?.includes(ancestor)) return true;
    const args = ['merge-base', '--is-ancestor', ancestor, descendant];
    const required = [`${ancestor}^{commit}`, `${descendant}^{commit}`];
    const result = await this.#runUnlessMissing(dir, args, required, [0, 1]);
    return result?.code === 0;
  }

  async diff(
    repositoryId: string,
    range: {
      readonly before: string | undefined;
      readonly after: string;
      readonly beforePath?: string;
      readonly afterPath?: string;
    },
  ): Promise<GitDifference[]> {
    const dir = this.directoryOf(repositoryId);
    const { before, after } = range;
    if (!isObjectId(after) || (before !== undefined && !isObjectId(before))) return [];
    const scope = diffScope(range);
    const from = before ?? emptyTreeIdLike(after);
    const required = [`${from}^{tree}`, `${after}^{tree}`];
    const args = [...diffTree, from, after, '--', ...scope.pathspecs];
    const result = await this.#runUnlessMissing(dir, args, required);
    return result === undefined ? [] : parseRawDiff(result.stdout).filter(scope.includes);
  }

  // ---- git processes ----

  /** Runs git; undefined instead of an error when one of `required` (`<id>^{type}`) is missing. */
  async #runUnlessMissing(
    dir: string,
    args: readonly string[],
    required: readonly string[],
    okExitCodes: readonly number[] = [0],
  ): Promise<RunResult | undefined> {
    try {
      return await this.#run(dir, args, { okExitCodes });
    } catch (error) {
      const found = await this.#batchCheck(dir, required);
      if (found.some((object) => object === undefined)) return undefined;
      throw error;
    }
  }

  /** `cat-file --batch-check` on stdin, where nothing is read as an option; one answer per name. */
  async #batchCheck(dir: string, names: readonly string[]) {
    if (names.length === 0) return [];
    const input = names.map((name) => `${name}\n`).join('');
    const args = ['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)'];
    const { stdout } = await this.#run(dir, args, { input });
    return lines(stdout).map(parseBatchHeader);
  }

  /** Refs under `patterns` (for-each-ref matches whole prefixes), or named exactly by them. */
  async #forEachRef(dir: string, patterns: readonly string[], exact: boolean): Promise<RefRow[]> {
    const { stdout } = await this.#run(dir, ['for-each-ref', refFormat, ...patterns]);
    const rows = lines(stdout).map(parseRefRow);
    return exact ? rows.filter((row) => patterns.includes(row.name)) : rows;
  }

  /** Commit ids by ref name; for-each-ref peels one level, so tags of tags need another look. */
  async #peel(dir: string, rows: readonly RefRow[]): Promise<Map<string, string>> {
    const commits = new Map<string, string>();
    const nested = rows.filter((row) => row.commitId === undefined && row.peelable);
    const peeled = await this.#batchCheck(
      dir,
      nested.map((row) => `${row.objectId}^{commit}`),
    );
    nested.forEach((row, i) => {
      const commit = peeled[i];
      if (commit !== undefined) commits.set(row.name, commit.objectId);
    });
    for (const row of rows) if (row.commitId !== undefined) commits.set(row.name, row.commitId);
    return commits;
  }

  /** One `cat-file --batch`, stopped as soon as the header says the content is not wanted. */
  #streamBlob(dir: string, blobId: string, maxBytes: number): Promise<BlobRead> {
    const { child, stderr } = this.#spawn(dir, ['cat-file', '--batch']);
    child.stdin.end(`${blobId}\n`);
    const reader = new BatchBlobReader(maxBytes);
    return new Promise((resolvePromise, reject) => {
      let settled = false;
      child.stdout.on('data', (chunk: Buffer) => {
        const result = settled ? undefined : reader.push(chunk);
        if (result === undefined) return;
        settled = true;
        child.kill(); // Stops git streaming a large or unwanted object nobody will read.
        resolvePromise(result);
      });
      child.once('error', reject);
      child.once('close', (code: number | null) => {
        if (!settled) reject(new GitCommandError('cat-file', code ?? -1, stderr()));
      });
    });
  }

  async #run(
    gitDir: string | undefined,
    args: readonly string[],
    options: RunOptions = {},
  ): Promise<RunResult> {
    const { child, stderr } = this.#spawn(gitDir, args, options.env);
    const stdout: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stdin.end(options.input ?? '');
    const code = await new Promise<number>((resolvePromise, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode: number | null) => resolvePromise(exitCode ?? -1));
    });
    const result = { stdout: Buffer.concat(stdout), stderr: stderr(), code };
    if (!(options.okExitCodes ?? [0]).includes(code)) {
      throw new GitCommandError(args[0] ?? '', code, result.stderr);
    }
    return result;
  }

  #spawn(
    gitDir: string | undefined,
    args: readonly string[],
    env: Readonly<Record<string, string>> = {},
  ): { child: ChildProcessWithoutNullStreams; stderr: () => string } {
    const argv = gitDir === undefined ? [...args] : [`--git-dir=${gitDir}`, ...args];
    const child = spawn(this.#git, argv, { env: { ...this.#env, ...env }, cwd: tmpdir() });
    // git may exit before reading all of stdin; its exit code reports why, not EPIPE.
    child.stdin.on('error', () => {});
    const errors: Buffer[] = [];
    let errorBytes = 0;
    child.stderr.on('data', (chunk: Buffer) => {
      if (errorBytes < 64 * 1024) errors.push(chunk);
      errorBytes += chunk.length;
    });
    return { child, stderr: () => Buffer.concat(errors).toString('utf8').trim() };
  }
}

function objectIdOf({ stdout }: RunResult, command: string): string {
  const id = stdout.toString('utf8').trim();
  if (!isObjectId(id)) throw new Error(`git ${command} printed no object id: ${id}`);
  return id;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return false;
    throw error;
  }
}

function isErrno(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && codes.includes((error as NodeJS.ErrnoException).code ?? '');
}

function randomSuffix(): string {
  return randomBytes(6).toString('hex');
}
