import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { TextDecoder } from 'node:util';
import {
  zeroCommitId,
  type BlobRead,
  type GitCommit,
  type GitDifference,
  type GitPerson,
  type NewCommit,
  type TreeChange,
  type TreeEntry,
  type TreeEntryType,
} from '@slipway/core';

/** What reaches git (validated, formatted) and what comes back (`-z` and batch output, parsed). */

const objectIdPattern = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** A full SHA-1 or SHA-256 object id, lower case; never an abbreviation or an expression. */
export function isObjectId(value: string): boolean {
  return objectIdPattern.test(value);
}

/** The empty tree, which git knows without it being stored, in the hash of `like`. */
export function emptyTreeIdLike(like: string): string {
  return like.length === 64
    ? '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321'
    : '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** `git check-ref-format` rules, for a full name such as `refs/heads/main`. */
export function isValidRefName(name: string): boolean {
  if (!name.startsWith('refs/') || name.endsWith('.') || hasControlCharacter(name)) return false;
  if (/[ ~^:?*[\\]|\.\.|@\{/.test(name)) return false;
  return name
    .split('/')
    .every((part) => part !== '' && !part.startsWith('.') && !part.endsWith('.lock'));
}

/** A short branch or tag name (`main`, `feature/x`); never one git could read as an option. */
export function isValidShortRefName(name: string): boolean {
  return (
    name !== '' &&
    name !== 'HEAD' &&
    name !== '@' &&
    !name.startsWith('-') &&
    isValidRefName(`refs/heads/${name}`)
  );
}

/** Only branches and tags may be moved through the adapter. */
export function isUpdatableRef(ref: string): boolean {
  return /^refs\/(?:heads|tags)\/./.test(ref) && isValidRefName(ref);
}

/**
 * A path inside a tree as git's own `verify_path` accepts it: no empty, `.` or `..` segment, no
 * `.git`, no NUL. (update-index silently skips a path it rejects, so this must be checked first.)
 */
export function isValidTreePath(path: string): boolean {
  if (path === '' || path.includes('\0')) return false;
  return path.split('/').every((part) => {
    const lower = part.toLowerCase();
    return part !== '' && part !== '.' && part !== '..' && lower !== '.git';
  });
}

/** A folder prefix as the API gives it (`src/`, `/src`); undefined for the whole repository. */
export function normalizePrefix(path: string | undefined): string | undefined {
  const trimmed = path?.replace(/^\/+|\/+$/g, '');
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

export function isUnder(path: string, prefix: string | undefined): boolean {
  return prefix === undefined || path === prefix || path.startsWith(`${prefix}/`);
}

/** The lines of a text output, without the empty one after the final newline. */
export function lines(output: Buffer): string[] {
  const text = output.toString('utf8');
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/** `ls-tree -z` output: `<mode> <type> <oid>\t<name>\0` per entry. */
export function parseTreeEntries(output: Buffer, folderPath: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of output.toString('utf8').split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode = '', type = '', objectId = ''] = record.slice(0, tab).split(' ');
    const name = record.slice(tab + 1);
    entries.push({
      path: folderPath === '' ? name : `${folderPath}/${name}`,
      type: type as TreeEntryType,
      mode,
      objectId,
    });
  }
  return entries;
}

/** A `cat-file --batch(-check)` header: `<oid> <type> <size>`; undefined for `<name> missing`. */
export function parseBatchHeader(
  line: string,
): { objectId: string; type: string; size: number } | undefined {
  const [objectId = '', type = '', size = ''] = line.split(' ');
  if (!isObjectId(objectId) || !/^\d+$/.test(size)) return undefined;
  return { objectId, type, size: Number(size) };
}

/** Every commit in `cat-file --batch` output; other objects and missing names are skipped. */
export function parseBatchCommits(output: Buffer): Map<string, GitCommit> {
  const commits = new Map<string, GitCommit>();
  let position = 0;
  while (position < output.length) {
    const newline = output.indexOf(0x0a, position);
    if (newline < 0) break;
    const header = parseBatchHeader(output.toString('utf8', position, newline));
    position = newline + 1;
    if (header === undefined) continue;
    const content = output.subarray(position, position + header.size);
    position += header.size + 1; // The content is followed by a newline.
    if (header.type === 'commit')
      commits.set(header.objectId, parseCommit(header.objectId, content));
  }
  return commits;
}

function decoderFor(encoding: string | undefined): TextDecoder {
  try {
    return new TextDecoder(encoding ?? 'utf-8');
  } catch {
    return new TextDecoder('utf-8'); // An encoding Node does not know: best effort.
  }
}

/** A raw commit object: headers (with ` `-continued lines such as `gpgsig`), a blank line, text. */
export function parseCommit(commitId: string, raw: Buffer): GitCommit {
  const split = raw.indexOf('\n\n');
  const headerEnd = split < 0 ? raw.length : split;
  // Headers are ASCII except names; the `encoding` header says how to read names and message.
  const encoding = /^encoding (.+)$/m.exec(raw.toString('latin1', 0, headerEnd))?.[1];
  const decoder = decoderFor(encoding);
  const headers = decoder.decode(raw.subarray(0, headerEnd)).split('\n');
  const message = split < 0 ? '' : decoder.decode(raw.subarray(split + 2));
  let treeId = '';
  const parents: string[] = [];
  let author: GitPerson = { name: '', email: '', date: '' };
  let committer = author;
  for (const line of headers) {
    const space = line.indexOf(' ');
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === 'tree') treeId = value;
    else if (key === 'parent') parents.push(value);
    else if (key === 'author') author = parsePerson(value);
    else if (key === 'committer') committer = parsePerson(value);
  }
  return { commitId, treeId, parents, message, author, committer };
}

/** `Name <email> 1484167798 -0800`. */
export function parsePerson(value: string): GitPerson {
  const close = value.lastIndexOf('>');
  const open = value.lastIndexOf('<', close);
  if (open < 0 || close < 0) return { name: value.trim(), email: '', date: '' };
  return {
    name: value.slice(0, open).trimEnd(),
    email: value.slice(open + 1, close),
    date: value.slice(close + 1).trim(),
  };
}

const blobModes = new Set(['100644', '100664', '100755', '120000']);

/**
 * `diff-tree -r -z --raw` output: `:<old mode> <new mode> <old oid> <new oid> <status>\0<path>\0`.
 * Submodules (and a side that does not exist) have no blob version; a change with neither is
 * skipped, and a type change to or from a submodule becomes an add or a delete.
 */
export function parseRawDiff(output: Buffer): GitDifference[] {
  const fields = output.toString('utf8').split('\0');
  const differences: GitDifference[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [oldMode = '', newMode = '', oldId = '', newId = ''] = (fields[i] ?? '')
      .slice(1)
      .split(' ');
    const path = fields[i + 1] ?? '';
    const before = blobModes.has(oldMode) ? { path, blobId: oldId, mode: oldMode } : undefined;
    const after = blobModes.has(newMode) ? { path, blobId: newId, mode: newMode } : undefined;
    if (before === undefined && after === undefined) continue;
    const changeType = before === undefined ? 'A' : after === undefined ? 'D' : 'M';
    differences.push({ before, after, changeType });
  }
  return differences;
}

/** A ref as for-each-ref lists it; a tag of a tag is `peelable` but not yet peeled. */
export interface RefRow {
  readonly name: string;
  readonly objectId: string;
  readonly commitId: string | undefined;
  readonly peelable: boolean;
}

export const refFormat =
  '--format=%(refname)%00%(objectname)%00%(objecttype)%00%(*objectname)%00%(*objecttype)';

export function parseRefRow(line: string): RefRow {
  const [name = '', objectId = '', type, peeledId = '', peeledType] = line.split('\0');
  const commitId = type === 'commit' ? objectId : peeledType === 'commit' ? peeledId : undefined;
  return { name, objectId, commitId, peelable: type === 'tag' && peeledType === 'tag' };
}

const putModes = new Set(['100644', '100755', '120000']);

/** One `update-index -z --index-info` record; mode 0 removes the path. */
export function indexInfoLine(change: TreeChange): string {
  if (!isValidTreePath(change.path))
    throw new Error(`Invalid path: ${JSON.stringify(change.path)}`);
  if (change.kind === 'delete') return `0 ${zeroCommitId}\t${change.path}\0`;
  if (!isObjectId(change.blobId)) throw new Error(`Invalid blob id: ${change.blobId}`);
  if (!putModes.has(change.mode)) throw new Error(`Invalid mode: ${change.mode}`);
  return `${change.mode} ${change.blobId}\t${change.path}\0`;
}

export function identityEnv({ author, time }: NewCommit): Record<string, string> {
  const date = `@${Math.floor(time / 1000)} +0000`;
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
    GIT_COMMITTER_DATE: date,
  };
}

/**
 * Which differences a `diff` with `beforePath`/`afterPath` keeps: one path limits both sides; two
 * let a renamed folder be compared with its old name (a change is kept if either side is under
 * its path). `pathspecs` narrow git's walk to a superset of that.
 */
export function diffScope(range: { readonly beforePath?: string; readonly afterPath?: string }): {
  pathspecs: string[];
  includes: (difference: GitDifference) => boolean;
} {
  const beforePrefix = normalizePrefix(range.beforePath ?? range.afterPath);
  const afterPrefix = normalizePrefix(range.afterPath ?? range.beforePath);
  const specs = [beforePrefix, afterPrefix].filter(
    (p): p is string => p !== undefined && isValidTreePath(p),
  );
  return {
    pathspecs: specs.length === 2 ? [...new Set(specs)] : [],
    includes: ({ before, after }) =>
      (before !== undefined && isUnder(before.path, beforePrefix)) ||
      (after !== undefined && isUnder(after.path, afterPrefix)),
  };
}

/** One blob from `cat-file --batch` output as it arrives; the answer as soon as it is known. */
export class BatchBlobReader {
  readonly #maxBytes: number;
  #chunks: Buffer[] = [];
  #received = 0;
  #body: { start: number; size: number } | undefined;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  push(chunk: Buffer): BlobRead | undefined {
    this.#chunks.push(chunk);
    this.#received += chunk.length;
    if (this.#body === undefined) {
      const head = Buffer.concat(this.#chunks);
      this.#chunks = [head];
      const newline = head.indexOf(0x0a);
      if (newline < 0) return undefined;
      const header = parseBatchHeader(head.toString('utf8', 0, newline));
      if (header?.type !== 'blob') return { found: false };
      if (header.size > this.#maxBytes) return { found: true, size: header.size, tooLarge: true };
      this.#body = { start: newline + 1, size: header.size };
    }
    const { start, size } = this.#body;
    if (this.#received < start + size) return undefined;
    return {
      found: true,
      size,
      content: Buffer.concat(this.#chunks).subarray(start, start + size),
    };
  }
}

/**
 * The parents of a commit stored as a loose object (`objects/ab/cdef…`, zlib-deflated
 * `commit <size>\0<headers>`); undefined when it is packed, missing or not a commit.
 */
export async function looseCommitParents(
  gitDir: string,
  commitId: string,
): Promise<string[] | undefined> {
  let raw: Buffer;
  try {
    const deflated = await readFile(
      join(gitDir, 'objects', commitId.slice(0, 2), commitId.slice(2)),
    );
    raw = inflateSync(deflated);
  } catch {
    return undefined;
  }
  const nul = raw.indexOf(0);
  if (nul === -1 || !raw.subarray(0, nul).toString('latin1').startsWith('commit '))
    return undefined;
  const headers = raw.subarray(nul + 1).toString('latin1');
  const end = headers.indexOf('\n\n');
  const parents: string[] = [];
  for (const line of (end === -1 ? headers : headers.slice(0, end)).split('\n')) {
    if (line.startsWith('parent ')) parents.push(line.slice('parent '.length));
  }
  return parents;
}
