import { SourceSubject as S } from '@slipway/core';
import type { AwsErrorSpec, AwsErrorTable } from '../../error-table.ts';

const e = (code: string): AwsErrorSpec => ({ code, status: 400 });

/**
 * CodeCommit names one exception per subject and kind; the core says which subject an error is
 * about (`SourceSubject`) and this table picks the name botocore's model lists for it.
 */
export const codecommitErrors: AwsErrorTable = {
  NotFound: {
    byResource: {
      [S.Repository]: e('RepositoryDoesNotExistException'),
      [S.Branch]: e('BranchDoesNotExistException'),
      [S.Commit]: e('CommitDoesNotExistException'),
      [S.CommitId]: e('CommitIdDoesNotExistException'),
      [S.ParentCommit]: e('ParentCommitDoesNotExistException'),
      [S.File]: e('FileDoesNotExistException'),
      [S.Folder]: e('FolderDoesNotExistException'),
      [S.Blob]: e('BlobIdDoesNotExistException'),
      [S.Path]: e('PathDoesNotExistException'),
    },
    otherwise: e('RepositoryDoesNotExistException'),
  },
  AlreadyExists: {
    byResource: {
      [S.Repository]: e('RepositoryNameExistsException'),
      [S.Branch]: e('BranchNameExistsException'),
    },
    otherwise: e('RepositoryNameExistsException'),
  },
  InvalidInput: {
    byResource: {
      [S.RepositoryName]: e('InvalidRepositoryNameException'),
      [S.RepositoryDescription]: e('InvalidRepositoryDescriptionException'),
      [S.BranchName]: e('InvalidBranchNameException'),
      [S.CommitId]: e('InvalidCommitIdException'),
      [S.Commit]: e('InvalidCommitException'),
      [S.ParentCommitId]: e('InvalidParentCommitIdException'),
      [S.ParentCommitRequired]: e('ParentCommitIdRequiredException'),
      [S.Path]: e('InvalidPathException'),
      [S.BlobId]: e('InvalidBlobIdException'),
      [S.FileMode]: e('InvalidFileModeException'),
      [S.Email]: e('InvalidEmailException'),
      [S.Tags]: e('InvalidTagsMapException'),
      [S.ResourceArn]: e('InvalidResourceArnException'),
      [S.FileEntries]: e('FileEntryRequiredException'),
      [S.ContinuationToken]: e('InvalidContinuationTokenException'),
      [S.MaxResults]: e('InvalidMaxResultsException'),
    },
    otherwise: e('InvalidParameterException'),
  },
  Conflict: {
    byResource: {
      [S.ParentCommit]: e('ParentCommitIdOutdatedException'),
      [S.DefaultBranch]: e('DefaultBranchCannotBeDeletedException'),
      [S.BranchIsTag]: e('BranchNameIsTagNameException'),
      [S.FileNameConflict]: e('FileNameConflictsWithDirectoryNameException'),
      [S.DirectoryNameConflict]: e('DirectoryNameConflictsWithFileNameException'),
      [S.SubmoduleConflict]: e('FilePathConflictsWithSubmodulePathException'),
      [S.SamePath]: e('SamePathRequestException'),
      [S.NoChange]: e('NoChangeException'),
    },
    otherwise: e('ParentCommitIdOutdatedException'),
  },
  LimitExceeded: {
    byResource: {
      [S.FileContent]: e('FileTooLargeException'),
      [S.FileContentSize]: e('FileContentSizeLimitExceededException'),
      [S.FileEntries]: e('MaximumFileEntriesExceededException'),
      [S.Name]: e('NameLengthExceededException'),
      [S.CommitMessage]: e('CommitMessageLengthExceededException'),
      [S.Trigger]: e('MaximumRepositoryTriggersExceededException'),
      [S.Tags]: e('TooManyTagsException'),
    },
    otherwise: e('RepositoryLimitExceededException'),
  },
  Unauthenticated: { code: 'UnrecognizedClientException', status: 400 },
  AccessDenied: { code: 'AccessDeniedException', status: 400 },
  Throttled: { code: 'ThrottlingException', status: 400 },
  Unavailable: { code: 'ServiceUnavailableException', status: 503 },
  Internal: { code: 'InternalFailure', status: 500 },
};
