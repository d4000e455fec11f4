import { AppError, AppErrorKind, type AppErrorKind as Kind } from '../errors/app-error.ts';

/**
 * The source component's errors. The resource names the subject precisely enough for each
 * door to pick its wire error (CodeCommit has one exception per subject and kind), and the
 * CodeCommit table in the AWS adapter maps every one of them.
 */
export const SourceSubject = {
  Repository: 'repository',
  RepositoryName: 'repository-name',
  RepositoryDescription: 'repository-description',
  Branch: 'branch',
  BranchName: 'branch-name',
  DefaultBranch: 'default-branch',
  BranchIsTag: 'branch-is-tag',
  Commit: 'commit',
  CommitId: 'commit-id',
  ParentCommit: 'parent-commit',
  ParentCommitId: 'parent-commit-id',
  ParentCommitRequired: 'parent-commit-required',
  Path: 'path',
  File: 'file',
  Folder: 'folder',
  FileContent: 'file-content',
  FileContentSize: 'file-content-size',
  FileEntries: 'file-entries',
  FileMode: 'file-mode',
  FileNameConflict: 'file-name-conflict',
  DirectoryNameConflict: 'directory-name-conflict',
  SubmoduleConflict: 'submodule-conflict',
  SamePath: 'same-path',
  NoChange: 'no-change',
  Blob: 'blob',
  BlobId: 'blob-id',
  Email: 'email',
  Name: 'name',
  CommitMessage: 'commit-message',
  Tags: 'tags',
  ResourceArn: 'resource-arn',
  Trigger: 'trigger',
  ContinuationToken: 'continuation-token',
  MaxResults: 'max-results',
} as const;
export type SourceSubject = (typeof SourceSubject)[keyof typeof SourceSubject];

export function sourceError(kind: Kind, subject: SourceSubject, message: string): AppError {
  return new AppError(kind, message, { resource: subject });
}

export const invalid = (subject: SourceSubject, message: string) =>
  sourceError(AppErrorKind.InvalidInput, subject, message);
export const notFound = (subject: SourceSubject, message: string) =>
  sourceError(AppErrorKind.NotFound, subject, message);
export const conflict = (subject: SourceSubject, message: string) =>
  sourceError(AppErrorKind.Conflict, subject, message);
export const tooLarge = (subject: SourceSubject, message: string) =>
  sourceError(AppErrorKind.LimitExceeded, subject, message);
