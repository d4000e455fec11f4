import type { GitCommit, GitDifference, TreeEntry } from './git.model.ts';
import { normalizeRepositoryPath, type Repository } from './repository.model.ts';
import type { SourceDeps } from './source.deps.ts';
import { invalid, notFound, SourceSubject, tooLarge } from './source.errors.ts';
import { isCommitId } from './source.service.ts';

/** CodeCommit returns at most this much content from GetFile and GetBlob. */
export const maxReadableFileBytes = 6 * 1024 * 1024;

export interface FileRead {
  readonly commitId: string;
  readonly entry: TreeEntry;
  readonly size: number;
  readonly content: Uint8Array;
}

export interface FolderRead {
  readonly commitId: string;
  readonly folderPath: string;
  readonly treeId: string;
  readonly entries: readonly TreeEntry[];
}

/** Reads commits, files, folders and differences: the read side of the CodeCommit model. */
export class CommitReader {
  readonly #git: SourceDeps['git'];

  constructor(deps: Pick<SourceDeps, 'git'>) {
    this.#git = deps.git;
  }

  async getCommit(repository: Repository, commitId: string): Promise<GitCommit> {
    if (!isCommitId(commitId)) {
      throw invalid(SourceSubject.CommitId, `${commitId} is not a valid commit id`);
    }
    const commit = (await this.#git.readCommits(repository.id, [commitId])).get(commitId);
    if (commit === undefined) throw notFound(SourceSubject.CommitId, `${commitId} does not exist`);
    return commit;
  }

  /** Found commits, and the ids that were invalid or missing with the reason. */
  async batchGetCommits(repository: Repository, commitIds: readonly string[]) {
    const valid = commitIds.filter(isCommitId);
    const found = await this.#git.readCommits(repository.id, valid);
    const errors = commitIds
      .filter((id) => !found.has(id))
      .map((id) =>
        isCommitId(id)
          ? { commitId: id, errorCode: 'CommitIdDoesNotExistException', errorMessage: 'Not found' }
          : { commitId: id, errorCode: 'InvalidCommitIdException', errorMessage: 'Invalid' },
      );
    return { commits: [...found.values()], errors };
  }

  /** `specifier` defaults to HEAD: a commit id, branch, tag or full ref. */
  async resolve(repository: Repository, specifier: string | undefined): Promise<string> {
    const name = specifier ?? 'HEAD';
    if (name.length === 0 || name.length > 1024 || name.startsWith('-') || name.includes('\0')) {
      throw invalid(SourceSubject.Commit, `${name} is not a valid commit specifier`);
    }
    const commitId = await this.#git.resolveCommit(repository.id, name);
    if (commitId === undefined) throw notFound(SourceSubject.Commit, `${name} does not exist`);
    return commitId;
  }

  async getFile(repository: Repository, specifier: string | undefined, filePath: string) {
    const path = requirePath(filePath);
    const commitId = await this.resolve(repository, specifier);
    const entry = await this.#git.findEntry(repository.id, commitId, path);
    if (entry === undefined || entry.type !== 'blob') {
      throw notFound(SourceSubject.File, `${filePath} does not exist in ${commitId}`);
    }
    const blob = await this.#git.readBlob(repository.id, entry.objectId, maxReadableFileBytes);
    if (!blob.found) throw notFound(SourceSubject.File, `${filePath} does not exist`);
    if ('tooLarge' in blob) throw fileTooLarge(blob.size);
    return { commitId, entry, size: blob.size, content: blob.content } satisfies FileRead;
  }

  async getFolder(repository: Repository, specifier: string | undefined, folderPath: string) {
    const normalized = normalizeRepositoryPath(folderPath);
    if ('problem' in normalized) throw invalid(SourceSubject.Path, `Path ${normalized.problem}`);
    const commitId = await this.resolve(repository, specifier);
    const folder = await this.#git.findEntry(repository.id, commitId, normalized.path);
    if (folder === undefined || folder.type !== 'tree') {
      throw notFound(SourceSubject.Folder, `${folderPath} does not exist in ${commitId}`);
    }
    const entries = await this.#git.listTree(repository.id, folder.objectId, normalized.path);
    return {
      commitId,
      folderPath: normalized.path,
      treeId: folder.objectId,
      entries,
    } satisfies FolderRead;
  }

  async getBlob(repository: Repository, blobId: string): Promise<Uint8Array> {
    if (!isCommitId(blobId)) throw invalid(SourceSubject.BlobId, `${blobId} is not a blob id`);
    const blob = await this.#git.readBlob(repository.id, blobId, maxReadableFileBytes);
    if (!blob.found) throw notFound(SourceSubject.Blob, `Blob ${blobId} does not exist`);
    if ('tooLarge' in blob) throw fileTooLarge(blob.size);
    return blob.content;
  }

  async getDifferences(
    repository: Repository,
    range: { before?: string; after: string; beforePath?: string; afterPath?: string },
  ): Promise<GitDifference[]> {
    const after = await this.resolve(repository, range.after);
    const before =
      range.before === undefined ? undefined : await this.resolve(repository, range.before);
    const beforePath = optionalPath(range.beforePath);
    const afterPath = optionalPath(range.afterPath);
    for (const [commit, path] of [
      [before, beforePath],
      [after, afterPath],
    ] as const) {
      if (commit === undefined || path === undefined || path === '') continue;
      if ((await this.#git.findEntry(repository.id, commit, path)) === undefined) {
        throw notFound(SourceSubject.Path, `${path} does not exist in ${commit}`);
      }
    }
    return this.#git.diff(repository.id, {
      before,
      after,
      ...(beforePath === undefined ? {} : { beforePath }),
      ...(afterPath === undefined ? {} : { afterPath }),
    });
  }
}

export function requirePath(path: string): string {
  const normalized = normalizeRepositoryPath(path);
  if ('problem' in normalized) throw invalid(SourceSubject.Path, `Path ${normalized.problem}`);
  if (normalized.path === '') throw invalid(SourceSubject.Path, 'Path must name a file');
  return normalized.path;
}

function optionalPath(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const normalized = normalizeRepositoryPath(path);
  if ('problem' in normalized) throw invalid(SourceSubject.Path, `Path ${normalized.problem}`);
  return normalized.path;
}

function fileTooLarge(size: number) {
  return tooLarge(
    SourceSubject.FileContent,
    `The file is ${size} bytes; at most ${maxReadableFileBytes} can be returned`,
  );
}
