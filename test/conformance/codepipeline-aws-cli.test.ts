import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  CodePipelineClient,
  PipelineDeclaration,
  PipelineExecutionSummary,
  PipelineSummary,
} from '@aws-sdk/client-codepipeline';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  approvalAction,
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
 * CodePipeline through the real AWS CLI against a started server whose own runner builds the
 * Commands actions in bubblewrap: pipelines, executions, approvals, stops and transitions
 * (retries and rollbacks are in codepipeline-aws-cli-recovery.test.ts). Every test has its own
 * pipeline, so they run concurrently; the JS SDK only waits (cheaply) for what the CLI calls
 * then assert on.
 */
let server: TestServer;
let cp: CodePipelineCli;
let client: CodePipelineClient;
let files: string;
const bucket = 'cli-pipeline-sources';

beforeAll(async () => {
  server = await startTestServer({ env: { SLIPWAY_RUNNER_CONCURRENCY: '2' } });
  files = await mkdtemp(join(tmpdir(), 'slipway-cp-cli-'));
  cp = codePipelineCli(server, files);
  client = codePipelineClient(server);
  await createVersionedBucket(server, bucket);
  await putObject(server, {
    bucket,
    key: 'app.zip',
    body: await zipOf({ 'version.txt': '1\n', 'src/app.sh': 'echo app\n' }),
  });
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await server?.close();
  if (files !== undefined) await rm(files, { recursive: true, force: true });
});

/** Source (the shared zip) → Hold (a manual approval). */
const approvalPipeline = (name: string, overrides: Partial<PipelineDeclaration> = {}) =>
  pipelineDeclaration(
    name,
    [stage('Source', [s3Source({ bucket, key: 'app.zip' })]), stage('Hold', [approvalAction()])],
    overrides,
  );

describe.concurrent('CodePipeline through the AWS CLI', () => {
  it('creates a pipeline from --cli-input-json, reads, lists and deletes it', async ({
    expect,
  }) => {
    const created = await cp.create(approvalPipeline('cli-lifecycle'), [
      { key: 'team', value: 'delivery' },
    ]);
    expect(created.pipeline).toMatchObject({ name: 'cli-lifecycle', version: 1 });
    expect(created.tags).toEqual([{ key: 'team', value: 'delivery' }]);

    const got = (await cp.run('get-pipeline', '--name', 'cli-lifecycle')) as {
      pipeline: PipelineDeclaration;
      metadata: { pipelineArn: string; created: number; updated: number };
    };
    expect(got.pipeline).toMatchObject({
      name: 'cli-lifecycle',
      version: 1,
      pipelineType: 'V2',
      executionMode: 'SUPERSEDED',
      stages: [{ name: 'Source' }, { name: 'Hold' }],
    });
    expect(got.metadata.pipelineArn).toBe(
      `arn:aws:codepipeline:us-east-1:${server.accountId}:cli-lifecycle`,
    );
    expect(got.metadata.created).toBeTypeOf('number');
    expect(got.metadata.updated).toBe(got.metadata.created);

    const listed = (await cp.run('list-pipelines')) as { pipelines: PipelineSummary[] };
    expect(listed.pipelines.find((p) => p.name === 'cli-lifecycle')).toMatchObject({
      version: 1,
      pipelineType: 'V2',
      executionMode: 'SUPERSEDED',
    });

    const again = await cp.inputFile('cli-lifecycle', {
      pipeline: approvalPipeline('cli-lifecycle'),
    });
    expect((await cp.error('create-pipeline', '--cli-input-json', again)).code).toBe(
      'PipelineNameInUseException',
    );

    await cp.run('delete-pipeline', '--name', 'cli-lifecycle');
    expect((await cp.error('get-pipeline', '--name', 'cli-lifecycle')).code).toBe(
      'PipelineNotFoundException',
    );
    const after = (await cp.run('list-pipelines')) as { pipelines: PipelineSummary[] };
    expect(after.pipelines.map((p) => p.name)).not.toContain('cli-lifecycle');
  });

  it('update-pipeline makes version 2; an execution started before keeps running version 1', async ({
    expect,
  }) => {
    const name = 'cli-update';
    const watch = watchPipeline(client, name);
    await cp.create(approvalPipeline(name));
    const before = await watch.first();
    const token = await watch.approvalToken(before);

    // Version 2 adds a stage after Hold.
    const updated = (await cp.run(
      'update-pipeline',
      '--cli-input-json',
      await cp.inputFile(`${name}-v2`, {
        pipeline: {
          ...approvalPipeline(name),
          stages: [
            ...approvalPipeline(name).stages!,
            stage('Publish', [approvalAction('Approve', {})]),
          ],
        },
      }),
    )) as { pipeline: PipelineDeclaration };
    expect(updated.pipeline.version).toBe(2);
    const v1 = (await cp.run('get-pipeline', '--name', name, '--pipeline-version', '1')) as {
      pipeline: PipelineDeclaration;
    };
    expect(v1.pipeline.stages?.map((s) => s.name)).toEqual(['Source', 'Hold']);
    expect((await cp.error('get-pipeline', '--name', name, '--pipeline-version', '9')).code).toBe(
      'PipelineVersionNotFoundException',
    );
    const v2 = (await cp.run('get-pipeline', '--name', name)) as {
      pipeline: PipelineDeclaration;
    };
    expect([v2.pipeline.version, v2.pipeline.stages?.map((s) => s.name)]).toEqual([
      2,
      ['Source', 'Hold', 'Publish'],
    ]);

    await cp.approve(name, token);
    await watch.finished(before);
    const old = await cp.execution(name, before);
    expect([old.status, old.pipelineVersion]).toEqual(['Succeeded', 1]);
    const ran = await cp.actions(name, before);
    expect(ran.map((a) => a.stageName).sort()).toEqual(['Hold', 'Source']);

    const after = await cp.start(name);
    expect((await cp.execution(name, after)).pipelineVersion).toBe(2);
  });

  it('refuses invalid declarations with the error of their kind, listing every problem', async ({
    expect,
  }) => {
    const source = s3Source({ bucket, key: 'app.zip' });
    const refused = async (name: string, stages: PipelineDeclaration['stages']) => {
      const file = await cp.inputFile(name, { pipeline: pipelineDeclaration(name, stages ?? []) });
      return cp.error('create-pipeline', '--cli-input-json', file);
    };

    const neverProduced = await refused('bad-artifacts', [
      stage('Source', [source]),
      stage('Build', [
        commandsAction('One', ['true'], { inputArtifacts: [{ name: 'Nowhere' }] }),
        commandsAction('Two', ['true'], { inputArtifacts: [{ name: 'Elsewhere' }] }),
      ]),
    ]);
    expect(neverProduced.code).toBe('InvalidStructureException');
    expect(neverProduced.stderr).toContain("input artifact 'Nowhere' is not the output");
    expect(neverProduced.stderr).toContain("input artifact 'Elsewhere' is not the output");

    const missingKeys = await refused('bad-config', [
      stage('Source', [{ ...source, configuration: { PollForSourceChanges: 'false' } }]),
      stage('Hold', [approvalAction()]),
    ]);
    expect(missingKeys.code).toBe('InvalidActionDeclarationException');
    expect(missingKeys.stderr).toContain(
      'stages[0].actions[0].configuration.S3Bucket: is required',
    );
    expect(missingKeys.stderr).toContain(
      'stages[0].actions[0].configuration.S3ObjectKey: is required',
    );

    // AWS answers a reference to a namespace no action has with InvalidActionDeclarationException
    // ("…referencing a namespace that does not exist", aws/aws-cdk#17272).
    const noNamespace = await refused('bad-namespace', [
      stage('Source', [source]),
      stage('Hold', [
        approvalAction('Approve', { configuration: { CustomData: '#{Nobody.Version}' } }),
        approvalAction('Again', { configuration: { CustomData: '#{Ghost.Commit}' } }),
      ]),
    ]);
    expect(noNamespace.code).toBe('InvalidActionDeclarationException');
    expect(noNamespace.stderr).toContain("no action has the namespace 'Nobody'");
    expect(noNamespace.stderr).toContain("no action has the namespace 'Ghost'");

    const duplicates = await refused('bad-names', [
      stage('Source', [source]),
      stage('Hold', [approvalAction(), approvalAction()]),
      stage('Ship', [approvalAction('Go'), approvalAction('Go', { runOrder: 2 })]),
    ]);
    expect(duplicates.code).toBe('InvalidStructureException');
    expect(duplicates.stderr).toContain(
      "action name 'Approve' is used more than once in stage 'Hold'",
    );
    expect(duplicates.stderr).toContain("action name 'Go' is used more than once in stage 'Ship'");

    const listed = (await cp.run('list-pipelines')) as { pipelines: PipelineSummary[] };
    expect(listed.pipelines.map((p) => p.name).filter((n) => n?.startsWith('bad-'))).toEqual([]);
  });

  it('start-pipeline-execution on a missing pipeline is PipelineNotFoundException', async ({
    expect,
  }) => {
    const error = await cp.error('start-pipeline-execution', '--name', 'no-such-pipeline');
    expect(error.code).toBe('PipelineNotFoundException');
  });

  it('stop-pipeline-execution --abandon abandons the running action at once', async ({
    expect,
  }) => {
    const name = 'cli-stop-abandon';
    const watch = watchPipeline(client, name);
    await cp.create(approvalPipeline(name));
    const id = await watch.first();
    await watch.approvalToken(id);
    await cp.run(
      'stop-pipeline-execution',
      '--pipeline-name',
      name,
      '--pipeline-execution-id',
      id,
      '--abandon',
      '--reason',
      'abandoned by the suite',
    );
    const stopped = await cp.execution(name, id);
    expect([stopped.status, stopped.statusSummary]).toEqual(['Stopped', 'abandoned by the suite']);
    const approval = (await cp.actions(name, id)).find((a) => a.actionName === 'Approve');
    expect(approval?.status).toBe('Abandoned');
    const { pipelineExecutionSummaries } = (await cp.run(
      'list-pipeline-executions',
      '--pipeline-name',
      name,
    )) as { pipelineExecutionSummaries: PipelineExecutionSummary[] };
    expect(pipelineExecutionSummaries[0]).toMatchObject({
      pipelineExecutionId: id,
      status: 'Stopped',
      stopTrigger: { reason: 'abandoned by the suite' },
    });
    const again = await cp.error(
      'stop-pipeline-execution',
      '--pipeline-name',
      name,
      '--pipeline-execution-id',
      id,
    );
    expect(again.code).toBe('PipelineExecutionNotStoppableException');
  });

  it('stop-pipeline-execution without --abandon lets the running action finish, then stops', async ({
    expect,
  }) => {
    const name = 'cli-stop-wait';
    const watch = watchPipeline(client, name);
    // The action runs until the suite puts the flag object.
    const url = await presignedUrl(server, { bucket, key: `flags/${name}` });
    await cp.create(
      pipelineDeclaration(name, [
        stage('Source', [s3Source({ bucket, key: 'app.zip' })]),
        stage('Work', [
          commandsAction('Slow', [`until curl -sf -o /dev/null "${url}"; do sleep 0.2; done`]),
        ]),
        stage('Hold', [approvalAction()]),
      ]),
    );
    const id = await watch.first();
    await watch.action(id, 'Slow', 'InProgress');
    const stop = ['--pipeline-name', name, '--pipeline-execution-id', id];
    await cp.run('stop-pipeline-execution', ...stop, '--reason', 'wait for it');
    expect((await cp.execution(name, id)).status).toBe('Stopping');
    expect((await cp.error('stop-pipeline-execution', ...stop)).code).toBe(
      'DuplicatedStopRequestException',
    );
    await putObject(server, { bucket, key: `flags/${name}`, body: 'done' });
    await watch.finished(id);
    const stopped = await cp.execution(name, id);
    expect([stopped.status, stopped.statusSummary]).toEqual(['Stopped', 'wait for it']);
    const ran = await cp.actions(name, id);
    expect(ran.map((a) => [a.actionName, a.status])).toEqual([
      ['Slow', 'Succeeded'],
      ['Source', 'Succeeded'],
    ]);
  });

  it('put-approval-result approves and rejects; a wrong or reused token is refused', async ({
    expect,
  }) => {
    const name = 'cli-approvals';
    const watch = watchPipeline(client, name);
    await cp.create(approvalPipeline(name));
    const first = await watch.first();
    await watch.approvalToken(first);
    const hold = (await cp.state(name)).find((s) => s.stageName === 'Hold');
    const waiting = hold?.actionStates?.[0]?.latestExecution;
    expect(waiting?.status).toBe('InProgress');
    const token = waiting?.token ?? '';
    expect(token).toMatch(/^[0-9a-f-]{36}$/);

    expect((await cp.approve(name, randomUUID()).catch((e: Error) => e.message)) as string).toMatch(
      /InvalidApprovalTokenException/,
    );
    const approved = (await cp.approve(name, token)) as { approvedAt: number };
    expect(approved.approvedAt).toBeTypeOf('number');
    expect((await watch.finished(first)).status).toBe('Succeeded');
    expect((await cp.approve(name, token).catch((e: Error) => e.message)) as string).toMatch(
      /ApprovalAlreadyCompletedException/,
    );
    const notAnApproval = await cp.error(
      'put-approval-result',
      ...['--pipeline-name', name, '--stage-name', 'Hold', '--action-name', 'Nope'],
      ...['--result', 'summary=x,status=Approved', '--token', token],
    );
    expect(notAnApproval.code).toBe('ActionNotFoundException');
    const [decided] = (await cp.actions(name, first)).filter((a) => a.actionName === 'Approve');
    expect(decided).toMatchObject({
      status: 'Succeeded',
      updatedBy: `arn:aws:iam::${server.accountId}:user/admin`,
      output: { executionResult: { externalExecutionSummary: 'Approved by the suite' } },
    });

    const second = await cp.start(name);
    await cp.approve(name, await watch.approvalToken(second), { status: 'Rejected' });
    const rejected = await watch.finished(second);
    expect([rejected.status, rejected.statusSummary]).toEqual(['Failed', 'Rejected by the suite']);
  });

  it('a disabled inbound transition holds the execution in front of the stage until enabled', async ({
    expect,
  }) => {
    const name = 'cli-transitions';
    const watch = watchPipeline(client, name);
    await cp.create(
      pipelineDeclaration(name, [
        stage('Source', [s3Source({ bucket, key: 'app.zip' })]),
        stage('Hold', [approvalAction()]),
        stage('Ship', [approvalAction()]),
      ]),
    );
    const id = await watch.first();
    const token = await watch.approvalToken(id);
    const transition = ['--pipeline-name', name, '--stage-name', 'Ship'];
    await cp.run(
      'disable-stage-transition',
      ...transition,
      '--transition-type',
      'Inbound',
      '--reason',
      'Release freeze (Friday)',
    );
    await cp.approve(name, token);
    await watch.waitingBefore('Ship', id);
    const held = (await cp.state(name)).find((s) => s.stageName === 'Ship');
    expect(held).toMatchObject({
      inboundTransitionState: {
        enabled: false,
        disabledReason: 'Release freeze (Friday)',
        lastChangedBy: `arn:aws:iam::${server.accountId}:user/admin`,
      },
      inboundExecution: { pipelineExecutionId: id, status: 'InProgress' },
    });
    expect(held?.inboundTransitionState?.lastChangedAt).toBeDefined();
    expect(held?.latestExecution).toBeUndefined();

    const noStage = ['--pipeline-name', name, '--stage-name', 'Nowhere', '--transition-type'];
    expect((await cp.error('enable-stage-transition', ...noStage, 'Inbound')).code).toBe(
      'StageNotFoundException',
    );
    await cp.run('enable-stage-transition', ...transition, '--transition-type', 'Inbound');
    await watch.approvalToken(id);
    const released = (await cp.state(name)).find((s) => s.stageName === 'Ship');
    expect(released?.inboundTransitionState?.enabled).toBe(true);
    expect(released?.inboundExecution).toBeUndefined();
    expect(released?.latestExecution).toMatchObject({
      pipelineExecutionId: id,
      status: 'InProgress',
    });
  });

  it('a disabled outbound transition holds the execution once it finished the stage', async ({
    expect,
  }) => {
    const name = 'cli-outbound';
    const watch = watchPipeline(client, name);
    await cp.create(
      pipelineDeclaration(name, [
        stage('Source', [s3Source({ bucket, key: 'app.zip' })]),
        stage('Hold', [approvalAction()]),
        stage('Ship', [approvalAction()]),
      ]),
    );
    const id = await watch.first();
    const token = await watch.approvalToken(id);
    const transition = ['--pipeline-name', name, '--stage-name', 'Hold'];
    await cp.run(
      'disable-stage-transition',
      ...transition,
      '--transition-type',
      'Outbound',
      '--reason',
      'Hold it',
    );
    await cp.approve(name, token);
    await watch.waitingBefore('Ship', id);
    const stages = await cp.state(name);
    expect(stages.find((s) => s.stageName === 'Hold')?.latestExecution?.status).toBe('Succeeded');
    expect(stages.find((s) => s.stageName === 'Ship')).toMatchObject({
      inboundExecution: { pipelineExecutionId: id },
    });
    expect(stages.find((s) => s.stageName === 'Ship')?.latestExecution).toBeUndefined();

    await cp.run('enable-stage-transition', ...transition, '--transition-type', 'Outbound');
    await watch.approvalToken(id);
    const released = (await cp.state(name)).find((s) => s.stageName === 'Ship');
    expect(released?.latestExecution).toMatchObject({ pipelineExecutionId: id });
  });

  it('list-action-executions reports each attempt with its input, output and variables', async ({
    expect,
  }) => {
    const name = 'cli-action-details';
    const watch = watchPipeline(client, name);
    await cp.create(
      pipelineDeclaration(name, [
        stage('Source', [s3Source({ bucket, key: 'app.zip' })]),
        stage('Build', [
          commandsAction('Package', ['export SIZE="$(wc -c < version.txt)"', 'echo "$TAG" > tag'], {
            namespace: 'BuildVariables',
            outputVariables: ['SIZE'],
            outputArtifacts: [{ name: 'Package' }],
            environmentVariables: [{ name: 'TAG', value: '#{SourceVariables.ETag}' }],
          }),
        ]),
      ]),
    );
    const id = await watch.first();
    expect((await watch.finished(id)).status).toBe('Succeeded');
    const [build, source] = await cp.actions(name, id);
    expect(source).toMatchObject({
      pipelineExecutionId: id,
      pipelineVersion: 1,
      stageName: 'Source',
      actionName: 'Source',
      status: 'Succeeded',
      input: {
        actionTypeId: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' },
        configuration: { S3Bucket: bucket, S3ObjectKey: 'app.zip' },
        resolvedConfiguration: { S3Bucket: bucket, S3ObjectKey: 'app.zip' },
        namespace: 'SourceVariables',
      },
      output: {
        outputArtifacts: [
          { name: 'SourceOutput', s3location: { bucket: expect.any(String) as unknown } },
        ],
        outputVariables: {
          ETag: expect.any(String) as unknown,
          VersionId: expect.any(String) as unknown,
        },
      },
    });
    expect(build).toMatchObject({
      stageName: 'Build',
      actionName: 'Package',
      status: 'Succeeded',
      input: {
        actionTypeId: { category: 'Compute', provider: 'Commands' },
        inputArtifacts: source?.output?.outputArtifacts,
        namespace: 'BuildVariables',
      },
      output: {
        outputArtifacts: [{ name: 'Package', s3location: { key: expect.any(String) as unknown } }],
        outputVariables: { SIZE: '2' },
        executionResult: {
          externalExecutionId: expect.stringMatching(/^slipway-pipeline-commands:/) as unknown,
        },
      },
    });
    expect(build?.actionExecutionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(build?.startTime).toBeDefined();
    expect(build?.lastUpdateTime).toBeDefined();
  });
});
