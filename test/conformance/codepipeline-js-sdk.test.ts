import {
  AcknowledgeJobCommand,
  ActionTypeNotFoundException,
  CodePipelineServiceException,
  CreateCustomActionTypeCommand,
  CreatePipelineCommand,
  GetJobDetailsCommand,
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  ListPipelinesCommand,
  ListTagsForResourceCommand,
  PipelineNotFoundException,
  PollForJobsCommand,
  PutApprovalResultCommand,
  PutJobSuccessResultCommand,
  StartPipelineExecutionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  ValidationException,
  type ActionTypeId,
  type CodePipelineClient,
  type Job,
} from '@aws-sdk/client-codepipeline';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  approvalAction,
  artifactBucket,
  codePipelineClient,
  createVersionedBucket,
  pipelineDeclaration,
  putObject,
  s3Source,
  stage,
  until,
  watchPipeline,
  zipOf,
} from '../support/codepipeline.ts';
import { s3Client } from '../support/s3.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * CodePipeline through `@aws-sdk/client-codepipeline`: a round trip of the everyday calls with
 * the types the SDK parses (dates, typed exceptions), and a custom action run by a job worker
 * written against the SDK, as a Jenkins plugin would be.
 */
let server: TestServer;
let client: CodePipelineClient;
let s3: S3Client;
const bucket = 'js-sdk-sources';

beforeAll(async () => {
  server = await startTestServer();
  client = codePipelineClient(server);
  s3 = s3Client(server);
  await createVersionedBucket(server, bucket);
  await putObject(server, { bucket, key: 'app.zip', body: await zipOf({ 'app.txt': 'app\n' }) });
}, 60_000);

afterAll(async () => {
  client?.destroy();
  s3?.destroy();
  await server?.close();
});

/** The name of the exception the SDK throws, or 'no error'. */
async function errorName(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CodePipelineServiceException) return error.name;
    throw error;
  }
  return 'no error';
}

describe.concurrent('CodePipeline through the JS SDK', () => {
  it('creates, reads, lists, starts and follows a pipeline; tags it', async ({ expect }) => {
    const name = 'js-round-trip';
    const watch = watchPipeline(client, name);
    const created = await client.send(
      new CreatePipelineCommand({
        pipeline: pipelineDeclaration(
          name,
          [
            stage('Source', [s3Source({ bucket, key: 'app.zip' })]),
            stage('Hold', [
              approvalAction('Approve', {
                configuration: { CustomData: 'Release #{variables.RELEASE}?' },
              }),
            ]),
          ],
          { variables: [{ name: 'RELEASE', defaultValue: 'unnamed' }] },
        ),
        tags: [{ key: 'team', value: 'delivery' }],
      }),
    );
    expect(created.pipeline?.version).toBe(1);
    expect(created.tags).toEqual([{ key: 'team', value: 'delivery' }]);

    const got = await client.send(new GetPipelineCommand({ name }));
    const arn = `arn:aws:codepipeline:us-east-1:${server.accountId}:${name}`;
    expect(got.metadata?.pipelineArn).toBe(arn);
    expect(got.metadata?.created).toBeInstanceOf(Date);
    expect(got.pipeline?.variables).toEqual([{ name: 'RELEASE', defaultValue: 'unnamed' }]);
    const listed = await client.send(new ListPipelinesCommand({}));
    expect(listed.pipelines?.find((p) => p.name === name)).toMatchObject({
      version: 1,
      pipelineType: 'V2',
      created: expect.any(Date) as unknown,
    });

    // The first execution takes the variable's default; approved, it frees the Hold stage.
    const first = await watch.first();
    const firstToken = await watch.approvalToken(first);
    const [firstApproval] = await watch.actions(first);
    expect(firstApproval?.input?.resolvedConfiguration).toEqual({ CustomData: 'Release unnamed?' });
    const approved = await client.send(
      new PutApprovalResultCommand({
        pipelineName: name,
        stageName: 'Hold',
        actionName: 'Approve',
        result: { status: 'Approved', summary: 'yes' },
        token: firstToken,
      }),
    );
    expect(approved.approvedAt).toBeInstanceOf(Date);
    expect((await watch.finished(first)).status).toBe('Succeeded');

    const { pipelineExecutionId: id } = await client.send(
      new StartPipelineExecutionCommand({ name, variables: [{ name: 'RELEASE', value: '1.2' }] }),
    );
    await watch.approvalToken(id ?? '');
    const execution = await client.send(
      new GetPipelineExecutionCommand({ pipelineName: name, pipelineExecutionId: id }),
    );
    expect(execution.pipelineExecution).toMatchObject({
      status: 'InProgress',
      pipelineVersion: 1,
      trigger: { triggerType: 'StartPipelineExecution' },
      variables: [{ name: 'RELEASE', resolvedValue: '1.2' }],
      executionMode: 'SUPERSEDED',
      executionType: 'STANDARD',
    });

    const state = await client.send(new GetPipelineStateCommand({ name }));
    expect(
      state.stageStates?.map((s) => [
        s.stageName,
        s.latestExecution?.pipelineExecutionId,
        s.latestExecution?.status,
      ]),
    ).toEqual([
      ['Source', id, 'Succeeded'],
      ['Hold', id, 'InProgress'],
    ]);
    expect(state.stageStates?.[1]?.actionStates?.[0]?.latestExecution).toMatchObject({
      status: 'InProgress',
      token: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      lastStatusChange: expect.any(Date) as unknown,
    });

    const executions = await client.send(new ListPipelineExecutionsCommand({ pipelineName: name }));
    expect(
      executions.pipelineExecutionSummaries?.map((e) => [
        e.pipelineExecutionId,
        e.trigger?.triggerType,
        e.status,
      ]),
    ).toEqual([
      [id, 'StartPipelineExecution', 'InProgress'],
      [first, 'CreatePipeline', 'Succeeded'],
    ]);
    expect(executions.pipelineExecutionSummaries?.[0]?.startTime).toBeInstanceOf(Date);

    const actions = await client.send(
      new ListActionExecutionsCommand({ pipelineName: name, filter: { pipelineExecutionId: id } }),
    );
    expect(
      actions.actionExecutionDetails?.map((a) => [a.actionName, a.status, a.input?.configuration]),
    ).toEqual([
      ['Approve', 'InProgress', { CustomData: 'Release #{variables.RELEASE}?' }],
      [
        'Source',
        'Succeeded',
        { S3Bucket: bucket, S3ObjectKey: 'app.zip', PollForSourceChanges: 'false' },
      ],
    ]);
    expect(actions.actionExecutionDetails?.[0]?.input?.resolvedConfiguration).toEqual({
      CustomData: 'Release 1.2?',
    });

    await client.send(
      new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'stage', value: 'beta' }] }),
    );
    const tagged = await client.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    expect(tagged.tags?.sort((a, b) => (a.key ?? '').localeCompare(b.key ?? ''))).toEqual([
      { key: 'stage', value: 'beta' },
      { key: 'team', value: 'delivery' },
    ]);
    await client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] }));
    const untagged = await client.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    expect(untagged.tags).toEqual([{ key: 'stage', value: 'beta' }]);
  });

  it('throws the typed exceptions the SDK knows', async ({ expect }) => {
    const missing = client.send(new GetPipelineCommand({ name: 'no-such-pipeline' }));
    await expect(missing).rejects.toBeInstanceOf(PipelineNotFoundException);
    await expect(missing).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
    expect(await errorName(client.send(new StartPipelineExecutionCommand({ name: 'nope' })))).toBe(
      'PipelineNotFoundException',
    );
    const tooMany = client.send(new ListPipelinesCommand({ maxResults: 5000 }));
    await expect(tooMany).rejects.toBeInstanceOf(ValidationException);
    await expect(tooMany).rejects.toThrow(/maxResults/);
  });

  it('refuses an undeclared pipeline variable with ValidationException', async ({ expect }) => {
    const name = 'js-variables';
    await client.send(
      new CreatePipelineCommand({
        pipeline: pipelineDeclaration(name, [
          stage('Source', [s3Source({ bucket, key: 'app.zip' })]),
          stage('Hold', [approvalAction()]),
        ]),
      }),
    );
    const refused = client.send(
      new StartPipelineExecutionCommand({ name, variables: [{ name: 'NOPE', value: 'x' }] }),
    );
    await expect(refused).rejects.toBeInstanceOf(ValidationException);
    await expect(refused).rejects.toThrow(/NOPE/);
  });

  it('runs custom actions through a job worker: poll, acknowledge, details, continue, succeed', async ({
    expect,
  }) => {
    const name = 'js-custom-actions';
    const jenkins: ActionTypeId = {
      category: 'Build',
      owner: 'Custom',
      provider: 'MyJenkins',
      version: '1',
    };
    const deployer: ActionTypeId = { ...jenkins, category: 'Deploy', provider: 'MyDeployer' };
    // As AWS's job-worker docs do: register the custom action types first.
    const property = (name: string) => ({ name, required: true, key: true, secret: false });
    await client.send(
      new CreateCustomActionTypeCommand({
        category: 'Build',
        provider: 'MyJenkins',
        version: '1',
        configurationProperties: [property('ProjectName')],
        inputArtifactDetails: { minimumCount: 1, maximumCount: 1 },
        outputArtifactDetails: { minimumCount: 1, maximumCount: 1 },
      }),
    );
    await client.send(
      new CreateCustomActionTypeCommand({
        category: 'Deploy',
        provider: 'MyDeployer',
        version: '1',
        configurationProperties: [property('Build'), property('Execution')],
        inputArtifactDetails: { minimumCount: 1, maximumCount: 1 },
        outputArtifactDetails: { minimumCount: 0, maximumCount: 0 },
      }),
    );
    const unknown = { ...jenkins, provider: 'NeverCreated' };
    await expect(
      client.send(new PollForJobsCommand({ actionTypeId: unknown })),
    ).rejects.toBeInstanceOf(ActionTypeNotFoundException);
    const watch = watchPipeline(client, name);
    await client.send(
      new CreatePipelineCommand({
        pipeline: pipelineDeclaration(name, [
          stage('Source', [s3Source({ bucket, key: 'app.zip' })]),
          stage('Build', [
            {
              name: 'Jenkins',
              actionTypeId: jenkins,
              configuration: { ProjectName: 'app' },
              inputArtifacts: [{ name: 'SourceOutput' }],
              outputArtifacts: [{ name: 'BuildOutput' }],
              namespace: 'JenkinsVariables',
            },
          ]),
          stage('Deploy', [
            {
              name: 'Ship',
              actionTypeId: deployer,
              configuration: {
                Build: '#{JenkinsVariables.BUILD_NUMBER}',
                Execution: '#{codepipeline.PipelineExecutionId}',
              },
              inputArtifacts: [{ name: 'BuildOutput' }],
            },
          ]),
        ]),
      }),
    );
    const id = await watch.first();
    const poll = (actionTypeId: ActionTypeId) =>
      until(`a ${actionTypeId.provider} job`, async () => {
        const { jobs } = await client.send(
          new PollForJobsCommand({ actionTypeId, maxBatchSize: 1 }),
        );
        return jobs?.[0];
      });

    const build: Job = await poll(jenkins);
    expect(build).toMatchObject({
      accountId: server.accountId,
      data: {
        actionTypeId: jenkins,
        actionConfiguration: { configuration: { ProjectName: 'app' } },
        pipelineContext: {
          pipelineName: name,
          stage: { name: 'Build' },
          action: { name: 'Jenkins' },
          pipelineExecutionId: id,
        },
      },
    });
    expect(
      await errorName(client.send(new AcknowledgeJobCommand({ jobId: build.id, nonce: 'wrong' }))),
    ).toBe('InvalidNonceException');
    const acknowledged = await client.send(
      new AcknowledgeJobCommand({ jobId: build.id, nonce: build.nonce }),
    );
    expect(acknowledged.status).toBe('InProgress');
    const { jobDetails } = await client.send(new GetJobDetailsCommand({ jobId: build.id }));
    expect(jobDetails?.data?.pipelineContext?.action?.name).toBe('Jenkins');

    // As a worker does: read the input artifact, write the output artifact.
    const input = jobDetails?.data?.inputArtifacts?.[0]?.location?.s3Location;
    const output = jobDetails?.data?.outputArtifacts?.[0]?.location?.s3Location;
    expect(input?.bucketName).toBe(artifactBucket);
    const zip = await s3.send(
      new GetObjectCommand({ Bucket: input?.bucketName, Key: input?.objectKey }),
    );
    expect(
      Buffer.from(await zip.Body!.transformToByteArray())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    await s3.send(
      new PutObjectCommand({
        Bucket: output?.bucketName,
        Key: output?.objectKey,
        Body: await zipOf({ 'build.txt': 'build 42\n' }),
      }),
    );
    // A long build reports progress with a continuation token: the action keeps running, and
    // the next job carries the token.
    await client.send(
      new PutJobSuccessResultCommand({
        jobId: build.id,
        continuationToken: 'jenkins-build-42',
        executionDetails: { summary: 'Jenkins build 42 running', externalExecutionId: '42' },
      }),
    );
    expect(
      await errorName(
        client.send(new PutJobSuccessResultCommand({ jobId: build.id, outputVariables: {} })),
      ),
    ).toBe('InvalidJobStateException');
    expect((await watch.action(id, 'Jenkins', 'InProgress')).output?.executionResult).toMatchObject(
      { externalExecutionId: '42', externalExecutionSummary: 'Jenkins build 42 running' },
    );
    const resumed = await poll(jenkins);
    expect(resumed.id).not.toBe(build.id);
    expect(resumed.data?.continuationToken).toBe('jenkins-build-42');
    await client.send(new AcknowledgeJobCommand({ jobId: resumed.id, nonce: resumed.nonce }));
    await client.send(
      new PutJobSuccessResultCommand({
        jobId: resumed.id,
        executionDetails: { summary: 'Jenkins build 42', externalExecutionId: '42' },
        outputVariables: { BUILD_NUMBER: '42' },
      }),
    );

    const ship = await poll(deployer);
    expect(ship.data?.actionConfiguration?.configuration).toEqual({ Build: '42', Execution: id });
    expect(ship.data?.inputArtifacts?.[0]?.location?.s3Location).toEqual(output);
    await client.send(new AcknowledgeJobCommand({ jobId: ship.id, nonce: ship.nonce }));
    await client.send(new PutJobSuccessResultCommand({ jobId: ship.id }));

    expect((await watch.finished(id)).status).toBe('Succeeded');
    const details = await watch.actions(id);
    expect(details.find((a) => a.actionName === 'Jenkins')).toMatchObject({
      status: 'Succeeded',
      output: {
        outputVariables: { BUILD_NUMBER: '42' },
        executionResult: {
          externalExecutionId: '42',
          externalExecutionSummary: 'Jenkins build 42',
        },
      },
    });
    expect(details.find((a) => a.actionName === 'Ship')?.input?.resolvedConfiguration).toEqual({
      Build: '42',
      Execution: id,
    });
  });
});
