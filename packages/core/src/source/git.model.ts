/** Git objects as the source component sees them, independent of how git is reached. */

/** The all-zero object id git uses for "no commit" (a created or deleted ref). */
export const zeroCommitId = '0000000000000000000000000000000000000000';

/** Git's file modes as CodeCommit names them. */
export const FileMode = {
  Normal: 'NORMAL',
  Executable: 'EXECUTABLE',
  Symlink: 'SYMLINK',
} as const;
export type FileMode = (typeof FileMode)[keyof typeof FileMode];

export const gitModeOf: Readonly<Record<FileMode, string>> = {
  NORMAL: '100644',
  EXECUTABLE: '100755',
  SYMLINK: '120000',
};

/** The CodeCommit name of a git blob mode; undefined for trees and submodules. */
export function fileModeOf(gitMode: string): FileMode | undefined {
  switch (gitMode) {
    case '100644':
    case '100664':
      return FileMode.Normal;
    case '100755':
      return FileMode.Executable;
    case '120000':
      return FileMode.Symlink;
    default:
      return undefined;
  }
}

export interface GitPerson {
  readonly name: string;
  readonly email: string;
  /** As git and CodeCommit write it: epoch seconds and offset, e.g. `1484167798 -0800`. */
  readonly date: string;
}

export interface GitCommit {
  readonly commitId: string;
  readonly treeId: string;
  readonly parents: readonly string[];
  readonly message: string;
  readonly author: GitPerson;
  readonly committer: GitPerson;
}

/** `tree` is a folder, `commit` a submodule, `blob` a file or symlink. */
export type TreeEntryType = 'blob' | 'tree' | 'commit';

export interface TreeEntry {
  /** From the repository root, no leading slash: `src/app/main.ts`. */
  readonly path: string;
  readonly type: TreeEntryType;
  /** Git's octal mode: `100644`, `100755`, `120000`, `040000`, `160000`. */
  readonly mode: string;
  readonly objectId: string;
}

export interface GitRef {
  /** Full name: `refs/heads/main`, `refs/tags/v1`. */
  readonly name: string;
  readonly commitId: string;
}

/** One change to a tree, applied on top of the parent commit's tree. */
export type TreeChange =
  | {
      readonly kind: 'put';
      readonly path: string;
      /** A blob already written with `writeBlob`. */
      readonly blobId: string;
      /** Git's octal mode: `100644`, `100755` or `120000`. */
      readonly mode: string;
    }
  | { readonly kind: 'delete'; readonly path: string };

export interface NewCommit {
  /** Undefined for the first commit of a branch in an empty repository. */
  readonly parentCommitId: string | undefined;
  readonly changes: readonly TreeChange[];
  readonly message: string;
  readonly author: { readonly name: string; readonly email: string };
  /** Epoch milliseconds, for both author and committer dates (UTC). */
  readonly time: number;
}

export interface BlobVersion {
  readonly path: string;
  readonly blobId: string;
  readonly mode: string;
}

/** A file that differs between two commits. `A` added, `M` modified, `D` deleted. */
export interface GitDifference {
  readonly before: BlobVersion | undefined;
  readonly after: BlobVersion | undefined;
  readonly changeType: 'A' | 'M' | 'D';
}

export type BlobRead =
  | { readonly found: false }
  | { readonly found: true; readonly size: number; readonly content: Uint8Array }
  | { readonly found: true; readonly size: number; readonly tooLarge: true };

/** A compare-and-swap on one ref: what it must point at now, and what it points at after. */
export interface RefChange {
  readonly ref: string;
  /** Undefined: the ref must not exist yet. */
  readonly expectedCommitId: string | undefined;
  /** Undefined: delete the ref. */
  readonly newCommitId: string | undefined;
}
