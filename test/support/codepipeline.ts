import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  CodePipelineClient,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  type ActionDeclaration,
  type ActionExecutionDetail,
  type PipelineDeclaration,
  type PipelineExecution,
  type PipelineExecutionSummary,
  type StageDeclaration,
  type StageState,
} from '@aws-sdk/client-codepipeline';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { CreateRepositoryCommand } from '@aws-sdk/client-codecommit';
import { aws } from './aws-cli.ts';
import { codeCommitClient } from './codecommit.ts';
import { gitClient } from './git-client.ts';
import { s3Client } from './s3.ts';
import type { TestServer } from './test-server.ts';

/**
 * Helpers of the CodePipeline conformance suites: clients as users configure them, waits that
 * read a pipeline through the JS SDK (cheap, so the clients under test make only the calls a
 * test asserts on), and builders of pipeline declarations made of cheap actions.
 */

type ServerCredentials = Pick<TestServer, 'url' | 'accessKeyId' | 'secretAccessKey'>;

/** A JS SDK CodePipeline client for a Slipway server, as a user configures one. */
export function codePipelineClient(server: ServerCredentials): CodePipelineClient {
  return new CodePipelineClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    maxAttempts: 1,
  });
}

export interface CliError {
  /** The code in `An error occurred (Code) when calling …`, if the CLI printed one. */
  readonly code: string | undefined;
  readonly stderr: string;
}

/** The AWS CLI against a server: `json` returns the parsed output, `error` the failure. */
export function awsCli(server: Pick<TestServer, 'awsEnv'>) {
  return {
    async json<T = Record<string, unknown>>(...args: string[]): Promise<T> {
      const result = await aws([...args, '--output', 'json'], server.awsEnv);
      if (result.code !== 0) throw new Error(`aws ${args.slice(0, 2).join(' ')}: ${result.stderr}`);
      return (result.stdout.trim() === '' ? {} : JSON.parse(result.stdout)) as T;
    },
    async error(...args: string[]): Promise<CliError> {
      const result = await aws([...args, '--output', 'json'], server.awsEnv);
      if (result.code === 0) {
        throw new Error(`aws ${args.slice(0, 2).join(' ')} succeeded: ${result.stdout}`);
      }
      const code = /An error occurred \((\w+)\)/.exec(result.stderr)?.[1];
      return { code, stderr: result.stderr };
    },
  };
}

/** The CodePipeline calls the CLI suites make, typed; `files` holds `--cli-input-json` files. */
export function codePipelineCli(server: Pick<TestServer, 'awsEnv'>, files: string) {
  const cli = awsCli(server);
  const run = (...args: string[]) => cli.json(...['codepipeline', ...args]);
  const error = (...args: string[]) => cli.error(...['codepipeline', ...args]);
  /** Writes `body` where `--cli-input-json file://…` reads it. */
  const inputFile = async (name: string, body: unknown): Promise<string> => {
    const path = join(files, `${name}.json`);
    await writeFile(path, JSON.stringify(body, null, 2));
    return `file://${path}`;
  };
  return {
    run,
    error,
    inputFile,
    /** create-pipeline --cli-input-json from a file, as AWS's tutorials do. */
    async create(declaration: PipelineDeclaration, tags?: readonly object[]) {
      const file = await inputFile(declaration.name ?? 'pipeline', { pipeline: declaration, tags });
      return (await run('create-pipeline', '--cli-input-json', file)) as {
        pipeline: PipelineDeclaration;
        tags?: { key: string; value: string }[];
      };
    },
    async start(name: string): Promise<string> {
      const started = await run('start-pipeline-execution', '--name', name);
      return (started as { pipelineExecutionId: string }).pipelineExecutionId;
    },
    async execution(name: string, id: string): Promise<PipelineExecution> {
      const args = ['--pipeline-name', name, '--pipeline-execution-id', id];
      const got = await run('get-pipeline-execution', ...args);
      return (got as { pipelineExecution: PipelineExecution }).pipelineExecution;
    },
    async actions(name: string, executionId: string): Promise<ActionExecutionDetail[]> {
      const filter = `pipelineExecutionId=${executionId}`;
      const listed = await run(
        'list-action-executions',
        '--pipeline-name',
        name,
        '--filter',
        filter,
      );
      return (listed as { actionExecutionDetails: ActionExecutionDetail[] }).actionExecutionDetails;
    },
    async state(name: string): Promise<StageState[]> {
      const state = await run('get-pipeline-state', '--name', name);
      return (state as { stageStates: StageState[] }).stageStates;
    },
    /** put-approval-result on the `Approve` action of a stage (`Hold` by default). */
    approve(name: string, token: string, options: { status?: string; stageName?: string } = {}) {
      const status = options.status ?? 'Approved';
      return run(
        'put-approval-result',
        ...['--pipeline-name', name, '--stage-name', options.stageName ?? 'Hold'],
        ...['--action-name', 'Approve', '--token', token],
        ...['--result', `summary=${status} by the suite,status=${status}`],
      ) as Promise<{ approvedAt?: number }>;
    },
  };
}

export type CodePipelineCli = ReturnType<typeof codePipelineCli>;

/**
 * A presigned GET (`aws s3 presign`) of an object that may not exist yet: a build's
 * `curl -f` on it fails until the suite puts the object, which lets a test decide when an
 * action passes.
 */
export async function presignedUrl(
  server: Pick<TestServer, 'awsEnv'>,
  target: { readonly bucket: string; readonly key: string },
): Promise<string> {
  const presigned = await aws(
    ['s3', 'presign', `s3://${target.bucket}/${target.key}`, '--expires-in', '3600'],
    server.awsEnv,
  );
  if (presigned.code !== 0) throw new Error(presigned.stderr);
  return presigned.stdout.trim();
}

export interface UntilOptions {
  /** Generous: the machine runs other suites at the same time. */
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  /** What to print beside the timeout, to say where things stood. */
  readonly describe?: () => Promise<unknown>;
}

/** Polls `probe` until it returns a value other than undefined. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: UntilOptions = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const where = await options.describe?.().catch((error: unknown) => String(error));
      throw new Error(`timed out waiting for ${what}; ${JSON.stringify(where ?? null)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 150));
  }
}

const ongoing = new Set(['InProgress', 'Stopping']);

/** Waits on one pipeline, read through the JS SDK. */
export function watchPipeline(client: CodePipelineClient, pipelineName: string) {
  const state = async (): Promise<StageState[]> =>
    (await client.send(new GetPipelineStateCommand({ name: pipelineName }))).stageStates ?? [];
  const stageOf = async (stageName: string) =>
    (await state()).find((s) => s.stageName === stageName);
  const wait = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs?: number) =>
    until(`${pipelineName}: ${what}`, probe, {
      describe: state,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  const execution = async (id: string): Promise<PipelineExecution> => {
    const out = await client.send(
      new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId: id }),
    );
    if (out.pipelineExecution === undefined) throw new Error(`no execution ${id}`);
    return out.pipelineExecution;
  };
  const executions = async (): Promise<PipelineExecutionSummary[]> =>
    (await client.send(new ListPipelineExecutionsCommand({ pipelineName, maxResults: 100 })))
      .pipelineExecutionSummaries ?? [];
  const actions = async (executionId: string): Promise<ActionExecutionDetail[]> =>
    (
      await client.send(
        new ListActionExecutionsCommand({
          pipelineName,
          filter: { pipelineExecutionId: executionId },
        }),
      )
    ).actionExecutionDetails ?? [];
  const withStatus = (id: string, statuses: readonly string[], timeoutMs?: number) =>
    wait(
      `execution ${id} to be ${statuses.join(' or ')}`,
      async () => {
        const e = await execution(id);
        return statuses.includes(e.status ?? '') ? e : undefined;
      },
      timeoutMs,
    );
  return {
    state,
    stage: stageOf,
    execution,
    executions,
    actions,
    /** Waits until the execution has one of these statuses. */
    withStatus,
    /** Waits until the execution ends (neither InProgress nor Stopping). */
    finished: (id: string, timeoutMs?: number) =>
      wait(
        `execution ${id} to end`,
        async () => {
          const e = await execution(id);
          return ongoing.has(e.status ?? '') ? undefined : e;
        },
        timeoutMs,
      ),
    /** The only execution started so far (CreatePipeline's), once listed. */
    first: () =>
      wait('the first execution', async () => (await executions()).at(-1)?.pipelineExecutionId),
    /** Waits for an execution other than `known` to be listed; returns the newest such one. */
    next: (known: readonly string[]) =>
      wait('a new execution', async () =>
        (await executions()).find((e) => !known.includes(e.pipelineExecutionId ?? '')),
      ),
    /** Waits until the action's latest attempt in the execution has this status. */
    action: (executionId: string, actionName: string, status: string) =>
      wait(`${actionName} of ${executionId} to be ${status}`, async () => {
        const attempts = (await actions(executionId)).filter((a) => a.actionName === actionName);
        const latest = attempts[0];
        return latest?.status === status ? latest : undefined;
      }),
    /** The token of an approval waiting in the execution (its external execution id). */
    approvalToken: (executionId: string, actionName = 'Approve') =>
      wait(`approval ${actionName} of ${executionId}`, async () => {
        const attempts = (await actions(executionId)).filter((a) => a.actionName === actionName);
        const latest = attempts[0];
        return latest?.status === 'InProgress'
          ? latest.output?.executionResult?.externalExecutionId
          : undefined;
      }),
    /** Waits until the execution stands in front of the stage (GetPipelineState's inbound). */
    waitingBefore: (stageName: string, executionId: string) =>
      wait(`execution ${executionId} to wait before ${stageName}`, async () => {
        const stage = await stageOf(stageName);
        const waiting = stage?.inboundExecutions ?? [];
        return waiting.some((e) => e.pipelineExecutionId === executionId) ? stage : undefined;
      }),
  };
}

export type PipelineWatch = ReturnType<typeof watchPipeline>;

// Declarations

export const pipelineRoleArn =
  'arn:aws:iam::111122223333:role/service-role/AWSCodePipelineServiceRole-us-east-1';
export const artifactBucket = 'codepipeline-us-east-1-artifacts';

/** A V2 pipeline of these stages, artifacts in `artifactBucket`. */
export function pipelineDeclaration(
  name: string,
  stages: StageDeclaration[],
  overrides: Partial<PipelineDeclaration> = {},
): PipelineDeclaration {
  return {
    name,
    roleArn: pipelineRoleArn,
    artifactStore: { type: 'S3', location: artifactBucket },
    pipelineType: 'V2',
    stages,
    ...overrides,
  };
}

export function stage(name: string, actions: ActionDeclaration[]): StageDeclaration {
  return { name, actions };
}

export function s3Source(options: {
  readonly bucket: string;
  readonly key: string;
  readonly overrides?: Partial<ActionDeclaration>;
}): ActionDeclaration {
  return {
    name: 'Source',
    actionTypeId: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' },
    configuration: {
      S3Bucket: options.bucket,
      S3ObjectKey: options.key,
      PollForSourceChanges: 'false',
    },
    outputArtifacts: [{ name: 'SourceOutput' }],
    namespace: 'SourceVariables',
    ...options.overrides,
  };
}

export function codeCommitSource(options: {
  readonly repository: string;
  readonly branch?: string;
  readonly overrides?: Partial<ActionDeclaration>;
}): ActionDeclaration {
  return {
    name: 'Source',
    actionTypeId: { category: 'Source', owner: 'AWS', provider: 'CodeCommit', version: '1' },
    configuration: {
      RepositoryName: options.repository,
      BranchName: options.branch ?? 'main',
      PollForSourceChanges: 'false',
    },
    outputArtifacts: [{ name: 'SourceOutput' }],
    namespace: 'SourceVariables',
    ...options.overrides,
  };
}

/** Compute/AWS/Commands/1 on the source artifact. */
export function commandsAction(
  name: string,
  commands: string[],
  overrides: Partial<ActionDeclaration> = {},
): ActionDeclaration {
  return {
    name,
    actionTypeId: { category: 'Compute', owner: 'AWS', provider: 'Commands', version: '1' },
    commands,
    inputArtifacts: [{ name: 'SourceOutput' }],
    ...overrides,
  };
}

export function approvalAction(
  name = 'Approve',
  overrides: Partial<ActionDeclaration> = {},
): ActionDeclaration {
  return {
    name,
    actionTypeId: { category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' },
    ...overrides,
  };
}

// Objects

/** A zip of these files (path → content), made by the `zip` tool as a user would. */
export async function zipOf(files: Record<string, string>): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-zip-'));
  try {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, 'tree', path)), { recursive: true });
      await writeFile(join(dir, 'tree', path), content);
    }
    await new Promise<void>((resolve, reject) =>
      execFile('zip', ['-q', '-r', join(dir, 'out.zip'), '.'], { cwd: join(dir, 'tree') }, (e) =>
        e === null ? resolve() : reject(new Error(`zip failed: ${e.message}`)),
      ),
    );
    return await readFile(join(dir, 'out.zip'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Uploads an object with the JS SDK (setup, not the subject of a test); returns its version. */
export async function putObject(
  server: ServerCredentials,
  target: { readonly bucket: string; readonly key: string; readonly body: Buffer | string },
): Promise<string | undefined> {
  const s3 = s3Client(server);
  try {
    const put = await s3.send(
      new PutObjectCommand({ Bucket: target.bucket, Key: target.key, Body: target.body }),
    );
    return put.VersionId;
  } finally {
    s3.destroy();
  }
}

/** Creates a versioned bucket with the JS SDK, as AWS's S3 source action requires. */
export async function createVersionedBucket(
  server: ServerCredentials,
  bucket: string,
): Promise<void> {
  const s3 = s3Client(server);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: bucket,
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
  } finally {
    s3.destroy();
  }
}

// Repositories

/**
 * A CodeCommit repository (created with the JS SDK) and a clone of it in `home`, worked with
 * real git: `push` writes files on a branch, commits and pushes, and returns the commit id.
 */
export async function repositoryWorkspace(
  server: TestServer,
  options: { readonly home: string; readonly repository: string },
) {
  const codecommit = codeCommitClient(server);
  try {
    await codecommit.send(new CreateRepositoryCommand({ repositoryName: options.repository }));
  } finally {
    codecommit.destroy();
  }
  const git = gitClient(server, options.home);
  const work = join(options.home, options.repository);
  await mkdir(work);
  await git(['init', '-q'], work);
  await git(['remote', 'add', 'origin', `${server.url}/v1/repos/${options.repository}`], work);
  return {
    async push(files: Record<string, string>, message: string, branch = 'main'): Promise<string> {
      const current = (await git(['symbolic-ref', '--short', 'HEAD'], work)).trim();
      if (current !== branch) {
        const exists = (await git(['branch', '--list', branch], work)).trim() !== '';
        await git(['checkout', '-q', ...(exists ? [] : ['-b']), branch], work);
      }
      for (const [path, content] of Object.entries(files)) {
        await mkdir(dirname(join(work, path)), { recursive: true });
        await writeFile(join(work, path), content);
      }
      await git(['add', '-A'], work);
      await git(['commit', '-q', '-m', message], work);
      await git(['push', '-q', 'origin', branch], work);
      return (await git(['rev-parse', 'HEAD'], work)).trim();
    },
  };
}
