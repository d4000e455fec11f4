import {
  actionTypeKey,
  type ActionExecutor,
  type ActionTypeId,
  type Build,
  type BuildsService,
  type CommitReader,
  type DeploymentsService,
  type HashedBody,
  type ObjectsService,
  type Repository,
  type SourceService,
} from '@slipway/core';
import { PipelineArtifacts } from '../pipeline-artifacts.ts';
import { CodeBuildExecutor } from './codebuild-executor.ts';
import { CodeCommitSourceExecutor } from './codecommit-source-executor.ts';
import { CodeDeployExecutor } from './codedeploy-executor.ts';
import { CommandsExecutor } from './commands-executor.ts';
import { S3DeployExecutor } from './s3-deploy-executor.ts';
import { S3SourceExecutor } from './s3-source-executor.ts';

export interface DefaultExecutorsDeps {
  readonly objects: ObjectsService;
  readonly builds: BuildsService;
  /** Deploy actions with provider CodeDeploy; without it they fail as unsupported. */
  readonly deployments?: DeploymentsService | undefined;
  readonly source: SourceService;
  readonly commits: CommitReader;
  /** The bare repository of an id: `GitCli.directoryOf`. */
  readonly directoryOf: (repositoryId: string) => string;
  /** Hashes what the server writes itself (`(body) => hashBody(body, digestWorkers)`). */
  readonly hashBody?: ((body: AsyncIterable<Uint8Array>) => HashedBody) | undefined;
  readonly gitBinary?: string | undefined;
  /** Where S3 deploys unzip artifacts; the system's temp folder by default. */
  readonly scratchDir?: string | undefined;
  /** Console links shown with source revisions and builds, when the server knows its URL. */
  readonly commitUrl?: ((repository: Repository, commitId: string) => string) | undefined;
  readonly buildUrl?: ((build: Build) => string) | undefined;
}

const aws = (category: ActionTypeId['category'], provider: string): string =>
  actionTypeKey({ category, owner: 'AWS', provider, version: '1' });

/**
 * The executors of the AWS-owned actions the server runs, by `actionTypeKey`. Manual approvals
 * and custom actions are the pipelines service's own.
 */
export function defaultExecutors(deps: DefaultExecutorsDeps): Map<string, ActionExecutor> {
  const artifacts = new PipelineArtifacts({ objects: deps.objects, hashBody: deps.hashBody });
  const buildDeps = { builds: deps.builds, artifacts, buildUrl: deps.buildUrl };
  const codeBuild = new CodeBuildExecutor(buildDeps);
  return new Map<string, ActionExecutor>([
    [
      aws('Source', 'CodeCommit'),
      new CodeCommitSourceExecutor({
        source: deps.source,
        commits: deps.commits,
        artifacts,
        directoryOf: deps.directoryOf,
        gitBinary: deps.gitBinary,
        commitUrl: deps.commitUrl,
      }),
    ],
    [aws('Source', 'S3'), new S3SourceExecutor({ artifacts })],
    [aws('Build', 'CodeBuild'), codeBuild],
    [aws('Test', 'CodeBuild'), codeBuild],
    [aws('Compute', 'Commands'), new CommandsExecutor(buildDeps)],
    [aws('Deploy', 'S3'), new S3DeployExecutor({ artifacts, scratchDir: deps.scratchDir })],
    ...(deps.deployments === undefined
      ? []
      : [
          [
            aws('Deploy', 'CodeDeploy'),
            new CodeDeployExecutor({ deployments: deps.deployments }),
          ] as const,
        ]),
  ]);
}
