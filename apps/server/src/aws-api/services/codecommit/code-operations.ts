import {
  AppError,
  FileMode,
  SourceSubject,
  type FileMode as Mode,
  type PutFileEntry,
} from '@slipway/core';
import { AwsError } from '../../aws-error.ts';
import type { AwsOperation } from '../../service-definition.ts';
import {
  actorOf,
  decodeToken,
  encodeToken,
  isOffset,
  JsonInput,
  namedRepository,
  type CodeCommitDeps,
} from './codecommit-context.ts';
import { commitShape, differenceShape, folderShape } from './codecommit-shapes.ts';
import { required } from '../../json-input.ts';

const maxBatchCommits = 100;
const branchPageSize = 1000;
const defaultDifferences = 100;

/** Branches, commits, files, folders, blobs and differences. */
export function codeOperations(deps: CodeCommitDeps): Record<string, AwsOperation> {
  const { source, reader, writer } = deps;
  return {
    CreateBranch: async (raw, context) => {
      const input = new JsonInput(raw);
      const repository = await namedRepository(deps, input, context);
      const branch = input.requiredString('branchName', 'BranchNameRequiredException');
      const commitId = input.requiredString('commitId', 'CommitIdRequiredException');
      await source.createBranch(repository, branch, commitId, actorOf(context));
      return {};
    },

    GetBranch: async (raw, context) => {
      const input = new JsonInput(raw);
      const repository = await namedRepository(deps, input, context);
      const branchName = input.requiredString('branchName', 'BranchNameRequiredException');
      return { branch: { branchName, commitId: await source.getBranch(repository, branchName) } };
    },

    ListBranches: async (raw, context) => {
      const input = new JsonInput(raw);
      const repository = await namedRepository(deps, input, context);
      const offset = decodeToken(input.string('nextToken'), isOffset) ?? 0;
      const branches = (await source.listBranches(repository)).sort();
      const end = offset + branchPageSize;
      return {
        branches: branches.slice(offset, end),
        nextToken: end < branches.length ? encodeToken(end) : undefined,
      };
    },

    DeleteBranch: async (raw, context) => {
      const input = new JsonInput(raw);
      const repository = await namedRepository(deps, input, context);
      const branch = input.requiredString('branchName', 'BranchNameRequiredException');
      return { deletedBranch: await source.deleteBranch(repository, branch, actorOf(context)) };
    },

    UpdateDefaultBranch: async (raw, context) => {
      const input = new JsonInput(raw);
      const repository = await namedRepository(deps, input, context);
      const branch = input.requiredString('defaultBranchName', 'BranchNameRequiredException');
      await source.updateDefaultBranch(repository, branch);
      return {};
    },

    GetCommit: async (raw, context) => {
      const input = new JsonInput(raw);
      const repository = await namedRepository(deps, input, context);
      const commitId = input.requiredString('commitId', 'CommitIdRequiredException');
      return { commit: commitShape(await reader.getCommit(repository, commitId)) };
    },

    BatchGetCommits: async (raw, context) => {
      const input = new JsonInput(raw);
      const ids = input.stringList('commitIds');
      if (ids === undefined) throw required('CommitIdsListRequiredException', 'commitIds');
      if (ids.length > maxBatchCommits) {
        throw new AwsError('CommitIdsLimitExceededException', 400, `At most ${maxBatchCommits}`);
      }
      const repository = await namedRepository(deps, input, context);
      const { commits, errors } = await reader.batchGetCommits(repository, ids);
      return { commits: commits.map(commitShape), errors };
    },

    GetFile: async (raw, context) => {
      const input = new JsonInput(raw);
      const repository = await namedRepository(deps, input, context);
      const path = input.requiredString('filePath', 'PathRequiredException');
      const file = await reader.getFile(repository, input.string('commitSpecifier'), path);
      return {
        commitId: file.commitId,
        blobId: file.entry.objectId,
        filePath: file.entry.path,
        fileMode: modeName(file.entry.mode),
        fileSize: file.size,
        fileContent: Buffer.from(file.content).toString('base64'),
      };
    },

    GetFolder: async (raw, context) => {
      const input = new JsonInput(raw);
      const repository = await namedRepository(deps, input, context);
      const path = input.requiredString('folderPath', 'PathRequiredException');
      const folder = await reader.getFolder(repository, input.string('commitSpecifier'), path);
      return {
        commitId: folder.commitId,
        folderPath: folder.folderPath === '' ? '/' : folder.folderPath,
        treeId: folder.treeId,
        ...folderShape(folder.folderPath, folder.entries),
      };
    },

    GetBlob: async (raw, context) => {
      const input = new JsonInput(raw);
      const repository = await namedRepository(deps, input, context);
      const blobId = input.requiredString('blobId', 'BlobIdRequiredException');
      return { content: Buffer.from(await reader.getBlob(repository, blobId)).toString('base64') };
    },

    GetDifferences: async (raw, context) => {
      const input = new JsonInput(raw);
      const repository = await namedRepository(deps, input, context);
      const after = input.requiredString('afterCommitSpecifier', 'CommitRequiredException');
      const limit = input.integer('MaxResults') ?? defaultDifferences;
      if (limit < 1) {
        throw new AppError('InvalidInput', 'MaxResults must be positive', {
          resource: SourceSubject.MaxResults,
        });
      }
      const offset = decodeToken(input.string('NextToken'), isOffset) ?? 0;
      const before = input.string('beforeCommitSpecifier');
      const beforePath = input.string('beforePath');
      const afterPath = input.string('afterPath');
      const differences = await reader.getDifferences(repository, {
        after,
        ...(before === undefined ? {} : { before }),
        ...(beforePath === undefined ? {} : { beforePath }),
        ...(afterPath === undefined ? {} : { afterPath }),
      });
      const end = offset + limit;
      return {
        differences: differences.slice(offset, end).map(differenceShape),
        NextToken: end < differences.length ? encodeToken(end) : undefined,
      };
    },

    PutFile: async (raw, context) => {
      const input = new JsonInput(raw);
      const repository = await namedRepository(deps, input, context);
      const branch = input.requiredString('branchName', 'BranchNameRequiredException');
      const content = input.blob('fileContent');
      if (content === undefined) throw required('FileContentRequiredException', 'fileContent');
      const path = input.requiredString('filePath', 'PathRequiredException');
      try {
        const result = await writer.commit(
          repository,
          {
            branch,
            parentCommitId: input.string('parentCommitId'),
            puts: [{ path, content, mode: fileMode(input.string('fileMode')) }],
            message: input.string('commitMessage'),
            authorName: input.string('name'),
            email: input.string('email'),
          },
          actorOf(context),
        );
        const blobId = [...result.filesAdded, ...result.filesUpdated][0]?.blobId ?? '';
        return { commitId: result.commitId, blobId, treeId: result.treeId };
      } catch (error) {
        // One unchanged file is a SameFileContent in PutFile, not CreateCommit's NoChange.
        if (error instanceof AppError && error.resource === SourceSubject.NoChange) {
          throw new AwsError('SameFileContentException', 400, `${path} already has this content`);
        }
        throw error;
      }
    },

    DeleteFile: async (raw, context) => {
      const input = new JsonInput(raw);
      const repository = await namedRepository(deps, input, context);
      const branch = input.requiredString('branchName', 'BranchNameRequiredException');
      const path = input.requiredString('filePath', 'PathRequiredException');
      const parentCommitId = input.requiredString(
        'parentCommitId',
        'ParentCommitIdRequiredException',
      );
      const result = await writer.commit(
        repository,
        {
          branch,
          parentCommitId,
          deletes: [path],
          message: input.string('commitMessage'),
          authorName: input.string('name'),
          email: input.string('email'),
        },
        actorOf(context),
      );
      const deleted = result.filesDeleted[0];
      return {
        commitId: result.commitId,
        blobId: deleted?.blobId ?? '',
        treeId: result.treeId,
        filePath: deleted?.absolutePath ?? path,
      };
    },

    CreateCommit: async (raw, context) => {
      const input = new JsonInput(raw);
      const repository = await namedRepository(deps, input, context);
      const branch = input.requiredString('branchName', 'BranchNameRequiredException');
      const result = await writer.commit(
        repository,
        {
          branch,
          parentCommitId: input.string('parentCommitId'),
          puts: (input.structures('putFiles') ?? []).map(readPutFile),
          deletes: (input.structures('deleteFiles') ?? []).map((d) =>
            d.requiredString('filePath', 'PathRequiredException'),
          ),
          setModes: (input.structures('setFileModes') ?? []).map((s) => ({
            path: s.requiredString('filePath', 'PathRequiredException'),
            mode: requiredMode(s.string('fileMode')),
          })),
          message: input.string('commitMessage'),
          authorName: input.string('authorName'),
          email: input.string('email'),
        },
        actorOf(context),
      );
      return result;
    },
  };
}

function readPutFile(entry: JsonInput): PutFileEntry {
  const path = entry.requiredString('filePath', 'PathRequiredException');
  const mode = fileMode(entry.string('fileMode'));
  const content = entry.blob('fileContent');
  const source = entry.structure('sourceFile');
  if (content !== undefined && source !== undefined) {
    throw new AwsError(
      'FileContentAndSourceFileSpecifiedException',
      400,
      `${path}: give fileContent or sourceFile, not both`,
    );
  }
  if (source !== undefined) {
    return {
      path,
      mode,
      sourceFile: {
        path: source.requiredString('filePath', 'PathRequiredException'),
        isMove: source.boolean('isMove') ?? false,
      },
    };
  }
  if (content === undefined) {
    throw new AwsError('SourceFileOrContentRequiredException', 400, `${path}: no content`);
  }
  return { path, mode, content };
}

function fileMode(value: string | undefined): Mode | undefined {
  if (value === undefined) return undefined;
  if (!(Object.values(FileMode) as string[]).includes(value)) {
    throw new AwsError('InvalidFileModeException', 400, `${value} is not a file mode`);
  }
  return value as Mode;
}

function requiredMode(value: string | undefined): Mode {
  const mode = fileMode(value);
  if (mode === undefined) throw required('FileModeRequiredException', 'fileMode');
  return mode;
}

function modeName(gitMode: string): Mode {
  return gitMode === '100755' ? 'EXECUTABLE' : gitMode === '120000' ? 'SYMLINK' : 'NORMAL';
}
