import {
  AppErrorKind,
  type ActionControls,
  type ActionExecutor,
  type ActionResult,
  type ActionTask,
  type CommitReader,
  type GitCommit,
  type GitPerson,
  type ProducedArtifact,
  type Repository,
  type SourceService,
} from '@slipway/core';
import { streamGit } from '../git-process.ts';
import type { PipelineArtifacts } from '../pipeline-artifacts.ts';
import {
  appErrorKind,
  failedResult,
  isActionResult,
  maxSummaryLength,
  messageOf,
  truncate,
  truncateUtf8,
} from './action-results.ts';
import { cloneRefFormat, cloneRefMetadata, cloneRefZip, type CloneRef } from './clone-ref.ts';

export interface CodeCommitSourceDeps {
  readonly source: Pick<SourceService, 'findRepository' | 'getBranch'>;
  readonly commits: Pick<CommitReader, 'getCommit'>;
  readonly artifacts: PipelineArtifacts;
  /** The bare repository of an id: `GitCli.directoryOf`. */
  readonly directoryOf: (repositoryId: string) => string;
  readonly gitBinary?: string | undefined;
  /** Where a person can look at the commit (the console), when the server knows. */
  readonly commitUrl?: ((repository: Repository, commitId: string) => string) | undefined;
}

/** CodePipeline's limit on the CommitMessage variable. */
const maxCommitMessageBytes = 100 * 1024;
const codeZip = 'CODE_ZIP';

/**
 * Source/AWS/CodeCommit/1: snapshots a commit of a repository into the output artifact, either
 * as a zip of its tree (`git archive`, CODE_ZIP) or as a clone reference for CodeBuild
 * (CODEBUILD_CLONE_REF), and publishes CodeCommit's variables. The commit is the trigger's
 * (`sourceRevision`) or the branch head; the same commit always writes the same bytes.
 */
export class CodeCommitSourceExecutor implements ActionExecutor {
  readonly #deps: CodeCommitSourceDeps;

  constructor(deps: CodeCommitSourceDeps) {
    this.#deps = deps;
  }

  async execute(task: ActionTask, controls: ActionControls): Promise<ActionResult> {
    const repositoryName = task.configuration.RepositoryName ?? '';
    const branchName = task.configuration.BranchName ?? '';
    const format = (task.configuration.OutputArtifactFormat ?? codeZip).toUpperCase();
    const output = task.outputArtifacts[0];
    if (repositoryName === '' || branchName === '') {
      return failedResult('RepositoryName and BranchName are required', 'ConfigurationError');
    }
    if (format !== codeZip && format !== cloneRefFormat) {
      return failedResult(
        `OutputArtifactFormat must be CODE_ZIP or CODEBUILD_CLONE_REF, not ${format}`,
        'ConfigurationError',
      );
    }
    if (output === undefined) {
      return failedResult('The action declares no output artifact', 'ConfigurationError');
    }
    const found = await this.#findCommit(task, repositoryName, branchName);
    if (isActionResult(found)) return found;
    const { repository, commit } = found;
    controls.signal.throwIfAborted();
    const ref: CloneRef = {
      accountId: task.scope.accountId,
      region: task.scope.region,
      repositoryName: repository.name,
      branchName,
      commitId: commit.commitId,
    };
    const written = await this.#write(task, output, { repository, commit, ref, format }, controls);
    if (written !== undefined) return written;
    const revisionUrl = this.#deps.commitUrl?.(repository, commit.commitId);
    return {
      status: 'Succeeded',
      outputVariables: {
        CommitId: commit.commitId,
        BranchName: branchName,
        RepositoryName: repository.name,
        AuthorDate: isoDate(commit.author),
        CommitterDate: isoDate(commit.committer),
        CommitMessage: truncateUtf8(commit.message, maxCommitMessageBytes),
      },
      sourceRevision: {
        actionName: task.actionName,
        artifactName: output.name,
        revisionId: commit.commitId,
        revisionSummary: truncate(commit.message, maxSummaryLength),
        ...(revisionUrl === undefined ? {} : { revisionUrl }),
        created: epochMs(commit.committer),
      },
    };
  }

  async #findCommit(
    task: ActionTask,
    repositoryName: string,
    branchName: string,
  ): Promise<{ repository: Repository; commit: GitCommit } | ActionResult> {
    const { source, commits } = this.#deps;
    const repository = await source
      .findRepository(task.scope, repositoryName)
      .catch(failIfAppError);
    if (repository === undefined) {
      return failedResult(`The repository ${repositoryName} does not exist`, 'ConfigurationError');
    }
    if (isActionResult(repository)) return repository;
    const revision = task.sourceRevision;
    if (revision !== undefined && revision.type !== 'COMMIT_ID') {
      return failedResult(
        `A CodeCommit source takes a COMMIT_ID revision, not ${revision.type}`,
        'ConfigurationError',
      );
    }
    let commitId = revision?.value;
    if (commitId === undefined) {
      const head = await source.getBranch(repository, branchName).catch((error: unknown) => {
        if (appErrorKind(error) === AppErrorKind.NotFound) {
          return failedResult(
            `The branch ${branchName} does not exist in repository ${repositoryName}`,
          );
        }
        return failIfAppError(error);
      });
      if (typeof head !== 'string') return head;
      commitId = head;
    }
    const commit = await commits.getCommit(repository, commitId).catch((error: unknown) => {
      if (appErrorKind(error) === undefined) throw error;
      return failedResult(
        `The commit ${commitId} does not exist in repository ${repositoryName}: ${messageOf(error)}`,
      );
    });
    return isActionResult(commit) ? commit : { repository, commit };
  }

  /** Writes the output artifact; a failed result when it cannot be written. */
  async #write(
    task: ActionTask,
    output: ProducedArtifact,
    what: { repository: Repository; commit: GitCommit; ref: CloneRef; format: string },
    controls: ActionControls,
  ): Promise<ActionResult | undefined> {
    const { artifacts, directoryOf, gitBinary } = this.#deps;
    const ensured = await artifacts
      .ensureBucket(task.scope, output.location.bucket)
      .catch(failIfAppError);
    if (ensured !== undefined) {
      return failedResult(
        `The artifact bucket ${output.location.bucket} cannot be used: ${ensured.summary ?? ''}`,
      );
    }
    if (what.format === cloneRefFormat) {
      const bytes = await cloneRefZip(what.ref, new Date(epochMs(what.commit.committer)));
      await artifacts.put(task.scope, output.location, once(bytes), {
        contentType: 'application/zip',
        metadata: cloneRefMetadata(what.ref),
      });
      return undefined;
    }
    const archive = streamGit({
      gitDir: directoryOf(what.repository.id),
      args: ['archive', '--format=zip', what.commit.commitId],
      gitBinary,
      signal: controls.signal,
    });
    await artifacts.put(task.scope, output.location, archive, { contentType: 'application/zip' });
    return undefined;
  }
}

/** An AppError becomes a failed action with its message; anything else is rethrown. */
function failIfAppError(error: unknown): ActionResult {
  if (appErrorKind(error) === undefined) throw error;
  return failedResult(messageOf(error));
}

function epochMs(person: GitPerson): number {
  return Number.parseInt(person.date.split(' ')[0] ?? '0', 10) * 1000;
}

/** `2017-01-11T20:49:58Z`. */
function isoDate(person: GitPerson): string {
  return new Date(epochMs(person)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield await Promise.resolve(bytes);
}
