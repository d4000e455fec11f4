import {
  CodePipelineClient,
  CreatePipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-codepipeline';
import type { Clock } from '@slipway/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approvalAction,
  codePipelineClient,
  createVersionedBucket,
  pipelineDeclaration,
  putObject,
  s3Source,
  stage,
  watchPipeline,
  zipOf,
} from '../support/codepipeline.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * A manual approval nobody answers fails when its timeout (7 days by default) passes. The
 * server runs on a clock the test moves forward; its reconcile loop, which sleeps until the
 * earliest deadline, is nudged by another execution's start (a wake-up, as any transition
 * that sets a deadline gives).
 */
const day = 24 * 3600 * 1000;
let offset = 0;
const clock: Clock = { now: () => Date.now() + offset };

describe('an approval nobody answers', () => {
  let server: TestServer;
  let client: CodePipelineClient;

  beforeAll(async () => {
    server = await startTestServer({ clock });
    client = codePipelineClient(server);
    await createVersionedBucket(server, 'approval-source');
    await putObject(server, {
      bucket: 'approval-source',
      key: 'app.zip',
      body: await zipOf({ 'README.md': 'hello' }),
    });
    for (const name of ['waits', 'nudge']) {
      await client.send(
        new CreatePipelineCommand({
          pipeline: pipelineDeclaration(name, [
            stage('Source', [s3Source({ bucket: 'approval-source', key: 'app.zip' })]),
            stage('Approve', [approvalAction('Approve')]),
          ]),
        }),
      );
    }
  }, 60_000);

  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  /**
   * A call signed at the server's (moved) time, as SigV4 requires. A fresh client each time:
   * the SDK corrects its offset from the Date header of every answer, which is the real time.
   */
  async function sendAt<T>(call: (skewed: CodePipelineClient) => Promise<T>): Promise<T> {
    const skewed = new CodePipelineClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      maxAttempts: 1,
      systemClockOffset: offset,
    });
    try {
      return await call(skewed);
    } finally {
      skewed.destroy();
    }
  }
  const approvalOf = async () => {
    const state = await sendAt((c) => c.send(new GetPipelineStateCommand({ name: 'waits' })));
    return state.stageStates?.[1]?.actionStates?.[0]?.latestExecution;
  };

  it('fails its action and the execution once 7 days pass', async () => {
    const waits = watchPipeline(client, 'waits');
    const id = await waits.first();
    await waits.action(id, 'Approve', 'InProgress');

    offset = 6 * day;
    await sendAt((c) => c.send(new StartPipelineExecutionCommand({ name: 'nudge' })));
    await new Promise((r) => setTimeout(r, 500));
    expect((await approvalOf())?.status).toBe('InProgress');

    offset = 7 * day + 1_000;
    await sendAt((c) => c.send(new StartPipelineExecutionCommand({ name: 'nudge' })));
    const deadline = Date.now() + 20_000;
    let latest = await approvalOf();
    while (latest?.status === 'InProgress' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      latest = await approvalOf();
    }
    expect(latest?.status).toBe('Failed');
    expect(latest?.errorDetails?.code).toBe('ApprovalTimedOut');
    const execution = await sendAt((c) =>
      c.send(new GetPipelineExecutionCommand({ pipelineName: 'waits', pipelineExecutionId: id })),
    );
    expect(execution.pipelineExecution?.status).toBe('Failed');
  }, 60_000);
});
