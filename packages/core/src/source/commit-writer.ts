import { AppErrorKind } from '../errors/app-error.ts';
import type { GitRepositories } from './git.ports.ts';
import {
  fileModeOf,
  gitModeOf,
  type FileMode,
  type TreeChange,
  type TreeEntry,
} from './git.model.ts';
import type { Repository } from './repository.model.ts';
import { requirePath } from './commit-reader.ts';
import type { Actor, SourceDeps } from './source.deps.ts';
import {
  conflict,
  invalid,
  notFound,
  SourceSubject,
  sourceError,
  tooLarge,
} from './source.errors.ts';
import { PushChannel } from './source.events.ts';
import { checkBranchName, isCommitId, type SourceService } from './source.service.ts';

/** CodeCommit's limits on what one API commit may carry. */
export const maxFileContentBytes = 6 * 1024 * 1024;
const maxFileEntries = 100;
const maxNameLength = 1024;
const maxMessageBytes = 100 * 1024;

export type PutFileEntry = {
  readonly path: string;
  readonly mode?: FileMode | undefined;
} & (
  | { readonly content: Uint8Array }
  | { readonly sourceFile: { readonly path: string; readonly isMove: boolean } }
);

export interface CommitChangesInput {
  readonly branch: string;
  readonly parentCommitId: string | undefined;
  readonly puts?: readonly PutFileEntry[];
  readonly deletes?: readonly string[];
  readonly setModes?: readonly { readonly path: string; readonly mode: FileMode }[];
  readonly message: string | undefined;
  readonly authorName: string | undefined;
  readonly email: string | undefined;
}

export interface FileChangeReport {
  readonly absolutePath: string;
  readonly blobId: string;
  readonly fileMode: FileMode;
}

export interface CommitChangesResult {
  readonly commitId: string;
  readonly treeId: string;
  readonly filesAdded: FileChangeReport[];
  readonly filesUpdated: FileChangeReport[];
  readonly filesDeleted: FileChangeReport[];
}

/** PutFile, DeleteFile and CreateCommit: one commit on a branch, moved by compare-and-swap. */
export class CommitWriter {
  readonly #git: GitRepositories;
  readonly #clock: SourceDeps['clock'];
  readonly #source: SourceService;

  constructor(deps: Pick<SourceDeps, 'git' | 'clock'> & { readonly source: SourceService }) {
    this.#git = deps.git;
    this.#clock = deps.clock;
    this.#source = deps.source;
  }

  async commit(repository: Repository, input: CommitChangesInput, actor: Actor) {
    checkBranchName(input.branch);
    checkAuthor(input);
    const puts = input.puts ?? [];
    const deletes = (input.deletes ?? []).map(requirePath);
    const setModes = (input.setModes ?? []).map((s) => ({ ...s, path: requirePath(s.path) }));
    checkEntryCount(puts.length + deletes.length + setModes.length);
    const parent = await this.#parent(repository, input);
    const tree = new ParentTree(this.#git, repository.id, parent);
    const changes = new ChangeSet();
    for (const put of puts) await this.#stagePut(repository, tree, changes, put);
    for (const path of deletes) {
      changes.claim(path);
      const existing = await tree.requireFile(path);
      changes.remove(path, existing.objectId, fileModeOf(existing.mode) ?? 'NORMAL');
    }
    for (const { path, mode } of setModes) {
      changes.claim(path);
      const existing = await tree.requireFile(path);
      if (existing.mode === gitModeOf[mode]) continue;
      changes.put(path, existing.objectId, mode, 'updated');
    }
    if (changes.tree.length === 0) {
      throw conflict(SourceSubject.NoChange, 'The commit would not change any file');
    }
    const { report } = changes;

    const written = await this.#git.writeCommit(repository.id, {
      parentCommitId: parent,
      changes: changes.tree,
      message: input.message ?? defaultMessage(report),
      author: { name: input.authorName ?? actor.userName, email: input.email ?? '' },
      time: this.#clock.now(),
    });
    await this.#moveBranch(repository, input.branch, parent, written.commitId, actor);
    return { ...written, ...report } satisfies CommitChangesResult;
  }

  /** One put: its blob, a move's delete, and nothing when the file would not change. */
  async #stagePut(repository: Repository, tree: ParentTree, changes: ChangeSet, put: PutFileEntry) {
    const path = requirePath(put.path);
    changes.claim(path);
    await tree.checkCanHoldFile(path);
    const { blobId, sourceMode } = await this.#putBlob(repository, tree, put);
    if ('sourceFile' in put && put.sourceFile.isMove) {
      const from = requirePath(put.sourceFile.path);
      changes.claim(from);
      changes.remove(from, blobId, sourceMode ?? 'NORMAL');
    }
    const existing = await tree.entry(path);
    const mode = put.mode ?? (existing && fileModeOf(existing.mode)) ?? sourceMode ?? 'NORMAL';
    if (existing?.objectId === blobId && existing.mode === gitModeOf[mode]) return;
    changes.put(path, blobId, mode, existing === undefined ? 'added' : 'updated');
  }

  /** The branch head the commit builds on, after CodeCommit's parent checks. */
  async #parent(repository: Repository, input: CommitChangesInput): Promise<string | undefined> {
    const refs = await this.#git.listRefs(repository.id);
    const head = refs.find((r) => r.name === `refs/heads/${input.branch}`)?.commitId;
    const { parentCommitId } = input;
    if (head === undefined) {
      if (refs.some((r) => r.name === `refs/tags/${input.branch}`)) {
        throw conflict(SourceSubject.BranchIsTag, `${input.branch} is a tag, not a branch`);
      }
      if (refs.some((r) => r.name.startsWith('refs/heads/'))) {
        throw notFound(SourceSubject.Branch, `Branch ${input.branch} does not exist`);
      }
      if (parentCommitId !== undefined) {
        throw notFound(SourceSubject.ParentCommit, `${parentCommitId} does not exist`);
      }
      return undefined;
    }
    if (parentCommitId === undefined) {
      throw invalid(SourceSubject.ParentCommitRequired, 'parentCommitId is required');
    }
    if (!isCommitId(parentCommitId)) {
      throw invalid(SourceSubject.ParentCommitId, `${parentCommitId} is not a valid commit id`);
    }
    if (parentCommitId !== head) {
      const exists = (await this.#git.readCommits(repository.id, [parentCommitId])).size > 0;
      if (!exists) throw notFound(SourceSubject.ParentCommit, `${parentCommitId} does not exist`);
      throw outdated(input.branch, head);
    }
    return head;
  }

  async #putBlob(repository: Repository, tree: ParentTree, put: PutFileEntry) {
    if ('content' in put) {
      if (put.content.byteLength > maxFileContentBytes) {
        throw tooLarge(
          SourceSubject.FileContentSize,
          `File content must be at most ${maxFileContentBytes} bytes`,
        );
      }
      return {
        blobId: await this.#git.writeBlob(repository.id, put.content),
        sourceMode: undefined,
      };
    }
    const source = await tree.requireFile(requirePath(put.sourceFile.path));
    return { blobId: source.objectId, sourceMode: fileModeOf(source.mode) };
  }

  async #moveBranch(
    repository: Repository,
    branch: string,
    parent: string | undefined,
    commitId: string,
    actor: Actor,
  ) {
    const ref = `refs/heads/${branch}`;
    const result = await this.#git.updateRef(repository.id, {
      ref,
      expectedCommitId: parent,
      newCommitId: commitId,
    });
    if (result === 'stale') throw outdated(branch, undefined);
    await this.#source.recordPush({
      repositoryId: repository.id,
      pusher: actor,
      channel: PushChannel.Api,
      updates: [{ ref, oldCommitId: parent, newCommitId: commitId }],
    });
  }
}

/** The tree changes of one commit and what CodeCommit reports about them. */
class ChangeSet {
  readonly tree: TreeChange[] = [];
  readonly report: Omit<CommitChangesResult, 'commitId' | 'treeId'> = {
    filesAdded: [],
    filesUpdated: [],
    filesDeleted: [],
  };
  readonly #seen = new Set<string>();

  /** Each path may appear once per commit, as a put, a delete, a move's source or a mode. */
  claim(path: string): void {
    if (this.#seen.has(path)) {
      throw conflict(SourceSubject.SamePath, `${path} appears more than once`);
    }
    this.#seen.add(path);
  }

  put(path: string, blobId: string, mode: FileMode, as: 'added' | 'updated'): void {
    this.tree.push({ kind: 'put', path, blobId, mode: gitModeOf[mode] });
    const list = as === 'added' ? this.report.filesAdded : this.report.filesUpdated;
    list.push({ absolutePath: path, blobId, fileMode: mode });
  }

  remove(path: string, blobId: string, mode: FileMode): void {
    this.tree.push({ kind: 'delete', path });
    this.report.filesDeleted.push({ absolutePath: path, blobId, fileMode: mode });
  }
}

/** The parent commit's tree, looked up lazily and remembered for the commit being built. */
class ParentTree {
  readonly #git: GitRepositories;
  readonly #repositoryId: string;
  readonly #commitId: string | undefined;
  readonly #entries = new Map<string, Promise<TreeEntry | undefined>>();

  constructor(git: GitRepositories, repositoryId: string, commitId: string | undefined) {
    this.#git = git;
    this.#repositoryId = repositoryId;
    this.#commitId = commitId;
  }

  entry(path: string): Promise<TreeEntry | undefined> {
    if (this.#commitId === undefined) return Promise.resolve(undefined);
    let found = this.#entries.get(path);
    if (found === undefined) {
      found = this.#git.findEntry(this.#repositoryId, this.#commitId, path);
      this.#entries.set(path, found);
    }
    return found;
  }

  async requireFile(path: string): Promise<TreeEntry> {
    const entry = await this.entry(path);
    if (entry?.type !== 'blob') throw notFound(SourceSubject.File, `${path} does not exist`);
    return entry;
  }

  /** A file may replace a file, but not a folder or submodule, nor sit below a file. */
  async checkCanHoldFile(path: string): Promise<void> {
    const entry = await this.entry(path);
    if (entry?.type === 'tree') {
      throw conflict(SourceSubject.FileNameConflict, `${path} is a folder`);
    }
    if (entry?.type === 'commit') {
      throw conflict(SourceSubject.SubmoduleConflict, `${path} is a submodule`);
    }
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      const above = await this.entry(folder);
      if (above === undefined) return;
      if (above.type === 'blob') {
        throw conflict(SourceSubject.DirectoryNameConflict, `${folder} is a file`);
      }
      if (above.type === 'commit') {
        throw conflict(SourceSubject.SubmoduleConflict, `${folder} is a submodule`);
      }
    }
  }
}

function outdated(branch: string, head: string | undefined) {
  return conflict(
    SourceSubject.ParentCommit,
    head === undefined
      ? `The tip of ${branch} moved; get it again and retry`
      : `The parent commit is not the tip of ${branch} (${head})`,
  );
}

function checkAuthor(input: CommitChangesInput): void {
  if (input.authorName !== undefined && input.authorName.length > maxNameLength) {
    throw sourceError(AppErrorKind.LimitExceeded, SourceSubject.Name, 'Name is too long');
  }
  if (input.email !== undefined && !/^[^\s<>@]+@[^\s<>@]+$/.test(input.email)) {
    throw invalid(SourceSubject.Email, `${input.email} is not a valid email address`);
  }
  if (
    input.message !== undefined &&
    new TextEncoder().encode(input.message).length > maxMessageBytes
  ) {
    throw sourceError(
      AppErrorKind.LimitExceeded,
      SourceSubject.CommitMessage,
      'Message is too long',
    );
  }
}

function checkEntryCount(count: number): void {
  if (count === 0) throw invalid(SourceSubject.FileEntries, 'At least one file change is required');
  if (count > maxFileEntries) {
    throw sourceError(
      AppErrorKind.LimitExceeded,
      SourceSubject.FileEntries,
      `At most ${maxFileEntries} file changes per commit`,
    );
  }
}

function defaultMessage(report: Omit<CommitChangesResult, 'commitId' | 'treeId'>): string {
  const first = [...report.filesAdded, ...report.filesUpdated, ...report.filesDeleted][0];
  return first === undefined ? 'Commit' : `Edited ${first.absolutePath}`;
}
