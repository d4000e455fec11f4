import type {
  BlobRead,
  GitCommit,
  GitDifference,
  GitRef,
  NewCommit,
  RefChange,
  TreeEntry,
} from './git.model.ts';

/**
 * The bare repositories behind the source component, addressed by repository id (never by a
 * user-chosen name). Reads return undefined for what does not exist; they never throw for a
 * missing object, ref or path. Only the server implements this, with the real `git`.
 */
export interface GitRepositories {
  /** Creates an empty bare repository whose HEAD names `defaultBranch`. Idempotent. */
  create(repositoryId: string, defaultBranch: string): Promise<void>;
  /** Removes the repository and everything in it. Idempotent. */
  remove(repositoryId: string): Promise<void>;

  /** Every branch and tag (`refs/heads/*`, `refs/tags/*`), tags peeled to their commit. */
  listRefs(repositoryId: string): Promise<GitRef[]>;
  /** The branch HEAD points at (`main`), whether or not that branch exists yet. */
  readHead(repositoryId: string): Promise<string | undefined>;
  setHead(repositoryId: string, branch: string): Promise<void>;
  /**
   * The commit a specifier names: a full commit id, a branch or tag name, a full ref
   * (`refs/heads/x`) or `HEAD`. Undefined when it names nothing or something that is not a
   * commit. Specifiers are never passed to git as options.
   */
  resolveCommit(repositoryId: string, specifier: string): Promise<string | undefined>;

  /** The commits that exist among `commitIds`, keyed by id; one git process for the batch. */
  readCommits(repositoryId: string, commitIds: readonly string[]): Promise<Map<string, GitCommit>>;
  /** The entry at `path` in the commit's tree; `''` is the root folder itself. */
  findEntry(repositoryId: string, commitId: string, path: string): Promise<TreeEntry | undefined>;
  /** The direct children of a folder (a tree id), with paths prefixed by `folderPath`. */
  listTree(repositoryId: string, treeId: string, folderPath: string): Promise<TreeEntry[]>;
  /** A blob's bytes, unless it is larger than `maxBytes`. */
  readBlob(repositoryId: string, blobId: string, maxBytes: number): Promise<BlobRead>;

  writeBlob(repositoryId: string, content: Uint8Array): Promise<string>;
  /** Writes the tree and the commit object; moves no ref. */
  writeCommit(
    repositoryId: string,
    commit: NewCommit,
  ): Promise<{ commitId: string; treeId: string }>;
  /** Atomic compare-and-swap; `stale` when the ref no longer matches `expectedCommitId`. */
  updateRef(repositoryId: string, change: RefChange): Promise<'updated' | 'stale'>;

  isAncestor(repositoryId: string, ancestor: string, descendant: string): Promise<boolean>;
  /**
   * Files that differ from `before` to `after` (from the empty tree when `before` is undefined),
   * recursively, optionally limited to one path on each side. Renames are reported as a delete
   * and an add, as CodeCommit does without rename detection.
   */
  diff(
    repositoryId: string,
    range: {
      readonly before: string | undefined;
      readonly after: string;
      readonly beforePath?: string;
      readonly afterPath?: string;
    },
  ): Promise<GitDifference[]>;
}
