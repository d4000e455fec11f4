import {
  fileModeOf,
  repositoryArn,
  type GitCommit,
  type GitDifference,
  type Repository,
  type TreeEntry,
} from '@slipway/core';

/** Where clients clone from: CodeCommit's path, region-prefixed outside the default region. */
export function cloneUrl(baseUrl: string, defaultRegion: string, repository: Repository): string {
  const prefix = repository.region === defaultRegion ? '' : `/regions/${repository.region}`;
  return `${baseUrl}${prefix}/v1/repos/${repository.name}`;
}

/** Seconds, as the JSON protocol sends timestamps. */
const seconds = (ms: number) => ms / 1000;

export function repositoryMetadata(repository: Repository, urls: CloneUrls) {
  return {
    accountId: repository.accountId,
    repositoryId: repository.id,
    repositoryName: repository.name,
    repositoryDescription: repository.description,
    defaultBranch: repository.defaultBranch,
    lastModifiedDate: seconds(repository.lastModifiedAt),
    creationDate: seconds(repository.createdAt),
    cloneUrlHttp: cloneUrl(urls.baseUrl, urls.defaultRegion, repository),
    Arn: repositoryArn(repository),
    kmsKeyId: repository.kmsKeyId,
  };
}

export interface CloneUrls {
  readonly baseUrl: string;
  readonly defaultRegion: string;
}

export function commitShape(commit: GitCommit) {
  return {
    commitId: commit.commitId,
    treeId: commit.treeId,
    parents: commit.parents,
    message: commit.message,
    author: commit.author,
    committer: commit.committer,
    additionalData: '',
  };
}

export function differenceShape(difference: GitDifference) {
  const blob = (b: GitDifference['before']) =>
    b === undefined ? undefined : { blobId: b.blobId, path: b.path, mode: b.mode };
  return {
    beforeBlob: blob(difference.before),
    afterBlob: blob(difference.after),
    changeType: difference.changeType,
  };
}

/** GetFolder's lists: CodeCommit sorts the folder's children by kind. */
export function folderShape(folderPath: string, entries: readonly TreeEntry[]) {
  const relative = (e: TreeEntry) =>
    folderPath === '' ? e.path : e.path.slice(folderPath.length + 1);
  type Paths = { absolutePath: string; relativePath: string };
  type File = Paths & { blobId: string; fileMode: string };
  const subFolders: (Paths & { treeId: string })[] = [];
  const files: File[] = [];
  const symbolicLinks: File[] = [];
  const subModules: (Paths & { commitId: string })[] = [];
  for (const entry of entries) {
    const paths = { absolutePath: entry.path, relativePath: relative(entry) };
    if (entry.type === 'tree') subFolders.push({ treeId: entry.objectId, ...paths });
    else if (entry.type === 'commit') subModules.push({ commitId: entry.objectId, ...paths });
    else {
      const fileMode = fileModeOf(entry.mode) ?? 'NORMAL';
      const shape = { blobId: entry.objectId, ...paths, fileMode };
      (fileMode === 'SYMLINK' ? symbolicLinks : files).push(shape);
    }
  }
  return { subFolders, files, symbolicLinks, subModules };
}
