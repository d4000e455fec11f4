import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CodePipelineServiceException,
  CreatePipelineCommand,
  PutApprovalResultCommand,
  RollbackStageCommand,
  StartPipelineExecutionCommand,
  type CodePipelineClient,
  type PipelineDeclaration,
} from '@aws-sdk/client-codepipeline';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  approvalAction,
  codeCommitSource,
  codePipelineClient,
  createVersionedBucket,
  pipelineDeclaration,
  putObject,
  repositoryWorkspace,
  s3Source,
  stage,
  watchPipeline,
  zipOf,
  type PipelineWatch,
} from '../support/codepipeline.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * SUPERSEDED, QUEUED and PARALLEL with real executions, through the JS SDK: each pipeline is
 * Source → Release (a manual approval), so an execution holds Release until the suite decides,
 * and the ones behind it show where they wait in GetPipelineState.
 */
let server: TestServer;
let client: CodePipelineClient;
let home: string;
const bucket = 'mode-sources';

beforeAll(async () => {
  server = await startTestServer();
  client = codePipelineClient(server);
  home = await mkdtemp(join(tmpdir(), 'slipway-cp-modes-'));
  await createVersionedBucket(server, bucket);
  await putObject(server, { bucket, key: 'app.zip', body: await zipOf({ 'app.txt': 'app\n' }) });
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await server?.close();
  if (home !== undefined) await rm(home, { recursive: true, force: true });
});

const releaseStage = () => stage('Release', [approvalAction()]);

async function create(declaration: PipelineDeclaration): Promise<PipelineWatch> {
  await client.send(new CreatePipelineCommand({ pipeline: declaration }));
  return watchPipeline(client, declaration.name ?? '');
}

async function approve(watch: PipelineWatch, pipelineName: string, executionId: string) {
  const token = await watch.approvalToken(executionId);
  await client.send(
    new PutApprovalResultCommand({
      pipelineName,
      stageName: 'Release',
      actionName: 'Approve',
      result: { status: 'Approved', summary: 'ship it' },
      token,
    }),
  );
}

const start = async (name: string) =>
  (await client.send(new StartPipelineExecutionCommand({ name }))).pipelineExecutionId ?? '';

describe.concurrent('execution modes', () => {
  it('SUPERSEDED: a newer push supersedes the execution waiting between stages', async ({
    expect,
  }) => {
    const name = 'superseded';
    const repo = await repositoryWorkspace(server, { home, repository: 'superseded-repo' });
    const initial = await repo.push({ 'app.txt': 'v0\n' }, 'initial');
    const watch = await create(
      pipelineDeclaration(name, [
        stage('Source', [codeCommitSource({ repository: 'superseded-repo' })]),
        releaseStage(),
      ]),
    );
    const holder = await watch.first();
    await watch.approvalToken(holder); // holder runs Release: the stage is locked

    const first = await repo.push({ 'app.txt': 'v1\n' }, 'first');
    const older = (await watch.next([holder])).pipelineExecutionId ?? '';
    await watch.waitingBefore('Release', older);

    const second = await repo.push({ 'app.txt': 'v2\n' }, 'second');
    const newer = (await watch.next([holder, older])).pipelineExecutionId ?? '';
    const superseded = await watch.withStatus(older, ['Superseded']);
    expect(superseded.artifactRevisions?.[0]?.revisionId).toBe(first);
    const release = await watch.waitingBefore('Release', newer);
    expect(release.inboundExecution).toMatchObject({
      pipelineExecutionId: newer,
      status: 'InProgress',
    });
    expect(release.inboundExecutions?.map((e) => e.pipelineExecutionId)).toEqual([newer]);
    expect(release.latestExecution?.pipelineExecutionId).toBe(holder);

    await approve(watch, name, holder);
    await approve(watch, name, newer);
    const done = await watch.finished(newer);
    expect([done.status, done.artifactRevisions?.[0]?.revisionId]).toEqual(['Succeeded', second]);
    const held = await watch.execution(holder);
    expect([held.status, held.artifactRevisions?.[0]?.revisionId]).toEqual(['Succeeded', initial]);
    const triggers = (await watch.executions()).map((e) => [e.status, e.trigger?.triggerType]);
    expect(triggers).toEqual([
      ['Succeeded', 'CloudWatchEvent'],
      ['Superseded', 'CloudWatchEvent'],
      ['Succeeded', 'CreatePipeline'],
    ]);
  });

  it('QUEUED: executions enter the stage one by one in start order, none superseded', async ({
    expect,
  }) => {
    const name = 'queued';
    const watch = await create(
      pipelineDeclaration(
        name,
        [stage('Source', [s3Source({ bucket, key: 'app.zip' })]), releaseStage()],
        {
          executionMode: 'QUEUED',
        },
      ),
    );
    const holder = await watch.first();
    await watch.approvalToken(holder);
    const second = await start(name);
    await watch.waitingBefore('Release', second);
    const third = await start(name);
    const queue = await watch.waitingBefore('Release', third);
    expect(queue.inboundExecutions?.map((e) => e.pipelineExecutionId)).toEqual([second, third]);
    expect(queue.inboundExecution?.pipelineExecutionId).toBe(second);

    await approve(watch, name, holder);
    await watch.approvalToken(second);
    const next = await watch.stage('Release');
    expect(next?.latestExecution?.pipelineExecutionId).toBe(second);
    expect(next?.inboundExecutions?.map((e) => e.pipelineExecutionId)).toEqual([third]);
    expect((await watch.execution(third)).status).toBe('InProgress');

    await approve(watch, name, second);
    await approve(watch, name, third);
    await watch.finished(third);
    const statuses = (await watch.executions()).map((e) => [e.pipelineExecutionId, e.status]);
    expect(statuses).toEqual([
      [third, 'Succeeded'],
      [second, 'Succeeded'],
      [holder, 'Succeeded'],
    ]);
  });

  it('PARALLEL: executions run independently, each at its own approval', async ({ expect }) => {
    const name = 'parallel';
    const watch = await create(
      pipelineDeclaration(
        name,
        [stage('Source', [s3Source({ bucket, key: 'app.zip' })]), releaseStage()],
        {
          executionMode: 'PARALLEL',
        },
      ),
    );
    const first = await watch.first();
    await watch.approvalToken(first);
    const second = await start(name);
    await watch.approvalToken(second); // in Release while the first is in it too
    expect((await watch.stage('Release'))?.inboundExecutions).toBeUndefined();

    await approve(watch, name, second);
    expect((await watch.finished(second)).status).toBe('Succeeded');
    expect((await watch.execution(first)).status).toBe('InProgress');
    await approve(watch, name, first);
    expect((await watch.finished(first)).status).toBe('Succeeded');

    const refused = await client
      .send(
        new RollbackStageCommand({
          pipelineName: name,
          stageName: 'Release',
          targetPipelineExecutionId: second,
        }),
      )
      .then(
        () => 'no error',
        (error: unknown) =>
          error instanceof CodePipelineServiceException ? error.name : String(error),
      );
    expect(refused).toBe('UnableToRollbackStageException');
  });
});
