// What the pipelines bench needs of a Slipway server: SDK clients, a child server, the source
// object and buckets, the pipeline declarations, and an execution's timeline read back through
// the CodePipeline and CodeBuild APIs (server-side timestamps, millisecond precision).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { BatchGetBuildsCommand, CodeBuildClient, type Build } from '@aws-sdk/client-codebuild';
import {
  CodePipelineClient,
  CreatePipelineCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  type ActionDeclaration,
  type ActionExecutionDetail,
  type ExecutionMode,
  type PipelineExecutionSummary,
  type StageDeclaration,
} from '@aws-sdk/client-codepipeline';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { zipEntries } from '../apps/server/src/runner/engine/zip-archive.ts';
import { readCredentials } from '../test/support/test-server.ts';
import { startSlipway, type ChildServer } from './support/child-server.ts';

export interface PipelineClients {
  readonly pipelines: CodePipelineClient;
  readonly codebuild: CodeBuildClient;
  readonly s3: S3Client;
  close(): void;
}

export interface ServerAccess {
  readonly url: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The SDK clients a user points at Slipway; retries off so every failure is counted. */
export function pipelineClients(server: ServerAccess): PipelineClients {
  const options = {
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    maxAttempts: 1,
  };
  const clients = {
    pipelines: new CodePipelineClient(options),
    codebuild: new CodeBuildClient(options),
    s3: new S3Client({ ...options, forcePathStyle: true }),
  };
  return {
    ...clients,
    close: () => {
      clients.pipelines.destroy();
      clients.codebuild.destroy();
      clients.s3.destroy();
    },
  };
}

/** `slipway server` as a child process with its built-in runner, and clients for it. */
export async function withPipelineServer<T>(
  runnerConcurrency: number,
  work: (server: ChildServer, clients: PipelineClients) => Promise<T>,
): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), 'slipway-bench-pipelines-'));
  let server: ChildServer | undefined;
  try {
    server = await startSlipway({
      dataDir,
      env: {
        SLIPWAY_RUNNER_CONCURRENCY: String(runnerConcurrency),
        SLIPWAY_LOG_LEVEL: 'error',
      },
    });
    const credentials = await readCredentials(join(dataDir, 'credentials'));
    const clients = pipelineClients({ url: server.url, ...credentials });
    try {
      return await work(server, clients);
    } finally {
      clients.close();
    }
  } finally {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export const buckets = {
  artifacts: 'bench-pipeline-artifacts',
  source: 'bench-pipeline-source',
  deploy: 'bench-pipeline-deploy',
} as const;
export const sourceKey = 'source.zip';

/** The source bucket with a one-file zip in it, and the deploy bucket. */
export async function createBuckets(s3: S3Client): Promise<void> {
  for (const bucket of [buckets.source, buckets.deploy]) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }
  const zip = await zipOf('README.md', 'A pipeline bench source\n');
  await s3.send(new PutObjectCommand({ Bucket: buckets.source, Key: sourceKey, Body: zip }));
}

async function zipOf(name: string, content: string): Promise<Buffer> {
  const { stream } = zipEntries([
    {
      archivePath: name,
      mtime: new Date(0),
      mode: 0o100644,
      open: () => Promise.resolve(Readable.from([Buffer.from(content)])),
    },
  ]);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const artifact = (name: string) => [{ name }];

export const actions = {
  s3Source: (): ActionDeclaration => ({
    name: 'Source',
    actionTypeId: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' },
    configuration: {
      S3Bucket: buckets.source,
      S3ObjectKey: sourceKey,
      PollForSourceChanges: 'false',
    },
    outputArtifacts: artifact('SourceArtifact'),
    runOrder: 1,
  }),
  codeCommitSource: (repositoryName: string): ActionDeclaration => ({
    name: 'Source',
    actionTypeId: { category: 'Source', owner: 'AWS', provider: 'CodeCommit', version: '1' },
    configuration: {
      RepositoryName: repositoryName,
      BranchName: 'main',
      PollForSourceChanges: 'false',
      OutputArtifactFormat: 'CODE_ZIP',
    },
    outputArtifacts: artifact('SourceArtifact'),
    runOrder: 1,
  }),
  codeBuild: (name: string, projectName: string): ActionDeclaration => ({
    name,
    actionTypeId: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' },
    configuration: { ProjectName: projectName },
    inputArtifacts: artifact('SourceArtifact'),
    runOrder: 1,
  }),
  commands: (name: string, commands: string[]): ActionDeclaration => ({
    name,
    actionTypeId: { category: 'Compute', owner: 'AWS', provider: 'Commands', version: '1' },
    commands,
    inputArtifacts: artifact('SourceArtifact'),
    runOrder: 1,
  }),
  s3Deploy: (name: string): ActionDeclaration => ({
    name,
    actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'S3', version: '1' },
    configuration: { BucketName: buckets.deploy, Extract: 'false', ObjectKey: 'deployed.zip' },
    inputArtifacts: artifact('SourceArtifact'),
    runOrder: 1,
  }),
};

/** A V2 pipeline of one action per stage, named after its action. */
export async function createPipeline(
  client: CodePipelineClient,
  options: { name: string; executionMode: ExecutionMode; actions: readonly ActionDeclaration[] },
): Promise<void> {
  const stages: StageDeclaration[] = options.actions.map((action) => ({
    name: action.name ?? '',
    actions: [action],
  }));
  await client.send(
    new CreatePipelineCommand({
      pipeline: {
        name: options.name,
        roleArn: 'arn:aws:iam::000000000000:role/codepipeline',
        artifactStore: { type: 'S3', location: buckets.artifacts },
        pipelineType: 'V2',
        executionMode: options.executionMode,
        stages,
      },
    }),
  );
}

/** The latest executions of a pipeline, newest first: one page. */
export async function recentExecutions(
  client: CodePipelineClient,
  pipelineName: string,
  maxResults: number,
): Promise<PipelineExecutionSummary[]> {
  const page = await client.send(new ListPipelineExecutionsCommand({ pipelineName, maxResults }));
  return page.pipelineExecutionSummaries ?? [];
}

/** Every execution of a pipeline, newest first. */
export async function allExecutions(
  client: CodePipelineClient,
  pipelineName: string,
): Promise<PipelineExecutionSummary[]> {
  const out: PipelineExecutionSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListPipelineExecutionsCommand({ pipelineName, maxResults: 100, nextToken }),
    );
    out.push(...(page.pipelineExecutionSummaries ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return out;
}

/** The action attempts of one execution, oldest first. */
export async function listActions(
  client: CodePipelineClient,
  pipelineName: string,
  pipelineExecutionId: string,
): Promise<ActionExecutionDetail[]> {
  const out: ActionExecutionDetail[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListActionExecutionsCommand({
        pipelineName,
        filter: { pipelineExecutionId },
        nextToken,
      }),
    );
    out.push(...(page.actionExecutionDetails ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return out.sort((a, b) => ms(a.startTime) - ms(b.startTime));
}

/** The builds of these ids (any order). */
export async function getBuilds(client: CodeBuildClient, ids: readonly string[]): Promise<Build[]> {
  if (ids.length === 0) return [];
  return (await client.send(new BatchGetBuildsCommand({ ids: [...ids] }))).builds ?? [];
}

export const terminalStatuses: ReadonlySet<string> = new Set([
  'Succeeded',
  'Failed',
  'Stopped',
  'Superseded',
  'Cancelled',
]);

/** Epoch milliseconds of an SDK date; NaN when absent. */
export function ms(date: Date | undefined): number {
  return date === undefined ? Number.NaN : date.getTime();
}

export function sleep(msToWait: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, msToWait));
}

/** Epoch ms of a performance.now() reading, with the offset taken now (not at process start). */
export function epochClock(): (performanceMs: number) => number {
  const offset = Date.now() - performance.now();
  return (performanceMs) => performanceMs + offset;
}
