import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  ActionExecutionDetail,
  CodePipelineClient,
  PipelineDeclaration,
  PipelineExecutionSummary,
} from '@aws-sdk/client-codepipeline';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  codePipelineCli,
  codePipelineClient,
  commandsAction,
  createVersionedBucket,
  pipelineDeclaration,
  presignedUrl,
  putObject,
  s3Source,
  stage,
  watchPipeline,
  zipOf,
  type CodePipelineCli,
} from '../support/codepipeline.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * RetryStageExecution and RollbackStage through the real AWS CLI, on Commands actions the
 * server's own runner builds in bubblewrap. A test decides when an action passes: the action
 * fetches a presigned URL of an object the test puts when it wants the next attempt to succeed.
 */
let server: TestServer;
let cp: CodePipelineCli;
let client: CodePipelineClient;
let files: string;
const bucket = 'cli-recovery-sources';

beforeAll(async () => {
  server = await startTestServer({ env: { SLIPWAY_RUNNER_CONCURRENCY: '2' } });
  files = await mkdtemp(join(tmpdir(), 'slipway-cp-cli-recovery-'));
  cp = codePipelineCli(server, files);
  client = codePipelineClient(server);
  await createVersionedBucket(server, bucket);
  await putObject(server, { bucket, key: 'app.zip', body: await zipOf({ 'version.txt': '1\n' }) });
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await server?.close();
  if (files !== undefined) await rm(files, { recursive: true, force: true });
});

describe.concurrent('recovering stages through the AWS CLI', () => {
  describe('retry-stage-execution', () => {
    /** Source → Test: Unit always passes; Flaky fails until the flag object exists. */
    async function failedTest(name: string) {
      const flag = `flags/${name}`;
      const url = await presignedUrl(server, { bucket, key: flag });
      await cp.create(
        pipelineDeclaration(name, [
          stage('Source', [s3Source({ bucket, key: 'app.zip' })]),
          stage('Test', [
            commandsAction('Unit', ['test -f version.txt']),
            commandsAction('Flaky', [`curl -sf -o /dev/null "${url}"`]),
          ]),
        ]),
      );
      const watch = watchPipeline(client, name);
      const id = await watch.first();
      await watch.withStatus(id, ['Failed']);
      return { watch, id, flag };
    }
    const retry = (name: string, id: string, stageName: string, mode: string) =>
      cp.run(
        'retry-stage-execution',
        '--pipeline-name',
        name,
        '--stage-name',
        stageName,
        '--pipeline-execution-id',
        id,
        '--retry-mode',
        mode,
      );
    const attempts = (details: ActionExecutionDetail[]) =>
      details
        .filter((a) => a.stageName === 'Test')
        .map((a) => [a.actionName, a.status])
        .sort((a, b) => String(a).localeCompare(String(b)));

    it('FAILED_ACTIONS re-runs only the failed action, and the stage succeeds', async ({
      expect,
    }) => {
      const name = 'cli-retry-failed';
      const { watch, id, flag } = await failedTest(name);
      await putObject(server, { bucket, key: flag, body: 'go' });
      expect(await retry(name, id, 'Test', 'FAILED_ACTIONS')).toEqual({ pipelineExecutionId: id });
      expect((await watch.finished(id)).status).toBe('Succeeded');
      expect(attempts(await cp.actions(name, id))).toEqual([
        ['Flaky', 'Failed'],
        ['Flaky', 'Succeeded'],
        ['Unit', 'Succeeded'],
      ]);
      const test = (await cp.state(name)).find((s) => s.stageName === 'Test');
      expect(test?.retryStageMetadata).toEqual({
        autoStageRetryAttempt: 0,
        manualStageRetryAttempt: 1,
        latestRetryTrigger: 'ManualStageRetry',
      });
    });

    it('ALL_ACTIONS re-runs every action of the stage', async ({ expect }) => {
      const name = 'cli-retry-all';
      const { watch, id, flag } = await failedTest(name);
      await putObject(server, { bucket, key: flag, body: 'go' });
      await retry(name, id, 'Test', 'ALL_ACTIONS');
      expect((await watch.finished(id)).status).toBe('Succeeded');
      expect(attempts(await cp.actions(name, id))).toEqual([
        ['Flaky', 'Failed'],
        ['Flaky', 'Succeeded'],
        ['Unit', 'Succeeded'],
        ['Unit', 'Succeeded'],
      ]);
    });

    it('refuses a stage that did not fail, and an execution no longer the latest in the stage', async ({
      expect,
    }) => {
      const name = 'cli-retry-refused';
      const { watch, id } = await failedTest(name);
      const refusal = async (stageName: string, executionId: string) =>
        (
          await cp.error(
            'retry-stage-execution',
            '--pipeline-name',
            name,
            '--stage-name',
            stageName,
            '--pipeline-execution-id',
            executionId,
            '--retry-mode',
            'FAILED_ACTIONS',
          )
        ).code;
      expect(await refusal('Source', id)).toBe('StageNotRetryableException');
      // A later execution fails in Test too: only it may retry the stage now.
      const later = await cp.start(name);
      await watch.withStatus(later, ['Failed']);
      expect(await refusal('Test', id)).toBe('NotLatestPipelineExecutionException');
    });
  });

  describe('rollback-stage', () => {
    /** Source (its own zip) → Deploy, which fails on version "bad"; a good run then a bad one. */
    async function goodThenBad(name: string) {
      const key = `${name}.zip`;
      const goodVersion = await putObject(server, {
        bucket,
        key,
        body: await zipOf({ 'version.txt': 'good' }),
      });
      await cp.create(
        pipelineDeclaration(name, [
          stage('Source', [s3Source({ bucket, key })]),
          stage('Deploy', [
            commandsAction(
              'Release',
              ['export RELEASED="$(cat version.txt)"', 'test "$RELEASED" != bad'],
              { namespace: 'DeployVariables', outputVariables: ['RELEASED'] },
            ),
          ]),
        ]),
      );
      const watch = watchPipeline(client, name);
      const good = await watch.first();
      await watch.withStatus(good, ['Succeeded']);
      await putObject(server, { bucket, key, body: await zipOf({ 'version.txt': 'bad' }) });
      const bad = await cp.start(name);
      await watch.withStatus(bad, ['Failed']);
      return { watch, good, bad, goodVersion };
    }
    const rollback = (name: string, stageName: string, target: string) =>
      cp.run(
        'rollback-stage',
        '--pipeline-name',
        name,
        '--stage-name',
        stageName,
        '--target-pipeline-execution-id',
        target,
      ) as Promise<{ pipelineExecutionId: string }>;
    const refusal = (name: string, stageName: string, target: string) =>
      cp.error(
        'rollback-stage',
        '--pipeline-name',
        name,
        '--stage-name',
        stageName,
        '--target-pipeline-execution-id',
        target,
      );

    it("runs a ROLLBACK execution of the stage with the target's artifacts", async ({ expect }) => {
      const name = 'cli-rollback';
      const { watch, good, goodVersion } = await goodThenBad(name);
      const { pipelineExecutionId: id } = await rollback(name, 'Deploy', good);
      const execution = await cp.execution(name, id);
      expect(execution).toMatchObject({
        executionType: 'ROLLBACK',
        trigger: { triggerType: 'ManualRollback' },
        rollbackMetadata: { rollbackTargetPipelineExecutionId: good },
        pipelineVersion: 1,
        artifactRevisions: [{ name: 'SourceOutput', revisionId: goodVersion }],
      });
      expect((await watch.finished(id)).status).toBe('Succeeded');
      const ran = await cp.actions(name, id);
      const targetSource = (await cp.actions(name, good)).find((a) => a.actionName === 'Source');
      expect(ran.map((a) => a.actionName)).toEqual(['Release']);
      expect(ran[0]?.input?.inputArtifacts).toEqual(targetSource?.output?.outputArtifacts);
      expect(ran[0]?.output?.outputVariables).toEqual({ RELEASED: 'good' });
      const { pipelineExecutionSummaries } = (await cp.run(
        'list-pipeline-executions',
        '--pipeline-name',
        name,
        '--filter',
        'succeededInStage={stageName=Deploy}',
      )) as { pipelineExecutionSummaries: PipelineExecutionSummary[] };
      expect(pipelineExecutionSummaries.map((e) => e.pipelineExecutionId)).toEqual([id, good]);
      expect(pipelineExecutionSummaries[0]).toMatchObject({
        executionType: 'ROLLBACK',
        trigger: { triggerType: 'ManualRollback' },
        rollbackMetadata: { rollbackTargetPipelineExecutionId: good },
      });
      const deploy = (await cp.state(name)).find((s) => s.stageName === 'Deploy');
      expect(deploy?.latestExecution).toEqual({
        pipelineExecutionId: id,
        status: 'Succeeded',
        type: 'ROLLBACK',
      });
    });

    it('refuses a source stage, a target that did not succeed, a rollback, an outdated one', async ({
      expect,
    }) => {
      const name = 'cli-rollback-refused';
      const { watch, good, bad } = await goodThenBad(name);
      expect((await refusal(name, 'Source', good)).code).toBe('UnableToRollbackStageException');
      expect((await refusal(name, 'Deploy', bad)).code).toBe('UnableToRollbackStageException');
      expect((await refusal(name, 'Deploy', randomUUID())).code).toBe(
        'PipelineExecutionNotFoundException',
      );
      const { pipelineExecutionId: id } = await rollback(name, 'Deploy', good);
      await watch.finished(id);
      expect((await refusal(name, 'Deploy', id)).code).toBe('UnableToRollbackStageException');

      const current = (await cp.run('get-pipeline', '--name', name)) as {
        pipeline: PipelineDeclaration;
      };
      await cp.run(
        'update-pipeline',
        '--cli-input-json',
        await cp.inputFile(`${name}-v2`, { pipeline: current.pipeline }),
      );
      expect((await refusal(name, 'Deploy', good)).code).toBe('PipelineExecutionOutdatedException');
    });
  });
});
