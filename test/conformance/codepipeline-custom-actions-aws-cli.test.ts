import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionDeclaration } from '@aws-sdk/client-codepipeline';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  codePipelineCli,
  createVersionedBucket,
  pipelineDeclaration,
  putObject,
  s3Source,
  stage,
  until,
  zipOf,
  type CodePipelineCli,
} from '../support/codepipeline.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * Custom action types through the real AWS CLI, the way AWS's "Create and add a custom action"
 * docs use them: create-custom-action-type from a JSON file, list-action-types, a pipeline whose
 * action a job worker runs, then delete-custom-action-type, after which PollForJobs and new
 * declarations refuse the type.
 */
let server: TestServer;
let cp: CodePipelineCli;
let files: string;
const bucket = 'cli-custom-action-sources';

beforeAll(async () => {
  server = await startTestServer();
  files = await mkdtemp(join(tmpdir(), 'slipway-cp-custom-'));
  cp = codePipelineCli(server, files);
  await createVersionedBucket(server, bucket);
  await putObject(server, { bucket, key: 'app.zip', body: await zipOf({ 'app.txt': 'app\n' }) });
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (files !== undefined) await rm(files, { recursive: true, force: true });
});

/** MyCustomAction.json, as the docs write it (Jenkins build action). */
const customAction = {
  category: 'Build',
  provider: 'MyJenkinsProviderName',
  version: '1',
  settings: {
    entityUrlTemplate: 'https://my-jenkins-server.com/job/{Config:ProjectName}/',
    executionUrlTemplate:
      'https://my-jenkins-server.com/job/{Config:ProjectName}/lastSuccessfulBuild/{ExternalExecutionId}/',
  },
  configurationProperties: [
    {
      name: 'MyJenkinsExampleBuildProject',
      required: true,
      key: true,
      secret: false,
      queryable: false,
      description: 'The name of the build project must be provided when this action is added',
      type: 'String',
    },
  ],
  inputArtifactDetails: { maximumCount: 1, minimumCount: 0 },
  outputArtifactDetails: { maximumCount: 1, minimumCount: 0 },
  tags: [{ key: 'Project', value: 'ProjectA' }],
};
const actionTypeId = {
  category: 'Build',
  owner: 'Custom',
  provider: 'MyJenkinsProviderName',
  version: '1',
} as const;
const actionTypeIdArg = 'category=Build,owner=Custom,provider=MyJenkinsProviderName,version=1';

const jenkinsAction: ActionDeclaration = {
  name: 'Jenkins',
  actionTypeId,
  configuration: { MyJenkinsExampleBuildProject: 'app' },
  inputArtifacts: [{ name: 'SourceOutput' }],
  outputArtifacts: [{ name: 'BuildOutput' }],
};
const jenkinsPipeline = (name: string) =>
  pipelineDeclaration(name, [
    stage('Source', [s3Source({ bucket, key: 'app.zip' })]),
    stage('Build', [jenkinsAction]),
  ]);

interface Job {
  readonly id: string;
  readonly nonce: string;
  readonly data: { readonly pipelineContext: { readonly pipelineName: string } };
}

describe('CodePipeline custom action types through the AWS CLI', () => {
  it('creates, lists, uses and deletes a custom action type', async ({ expect }) => {
    const file = await cp.inputFile('MyCustomAction', customAction);
    const created = await cp.run('create-custom-action-type', '--cli-input-json', file);
    expect(created).toEqual({
      actionType: {
        id: actionTypeId,
        settings: customAction.settings,
        actionConfigurationProperties: customAction.configurationProperties,
        inputArtifactDetails: { minimumCount: 0, maximumCount: 1 },
        outputArtifactDetails: { minimumCount: 0, maximumCount: 1 },
      },
      tags: customAction.tags,
    });

    const listed = (await cp.run('list-action-types', '--action-owner-filter', 'Custom')) as {
      actionTypes: { id: object }[];
    };
    expect(listed.actionTypes.map((t) => t.id)).toEqual([actionTypeId]);

    // A pipeline uses it; a job worker polls, acknowledges and succeeds its job.
    await cp.create(jenkinsPipeline('cli-custom-action'));
    const job = await until('a Jenkins job', async () => {
      const polled = (await cp.run(
        'poll-for-jobs',
        '--action-type-id',
        actionTypeIdArg,
        '--max-batch-size',
        '1',
      )) as { jobs: Job[] };
      return polled.jobs[0];
    });
    expect(job.data.pipelineContext.pipelineName).toBe('cli-custom-action');
    await cp.run('acknowledge-job', '--job-id', job.id, '--nonce', job.nonce);
    await cp.run('put-job-success-result', '--job-id', job.id);

    await cp.run(
      'delete-custom-action-type',
      ...['--category', 'Build', '--provider', 'MyJenkinsProviderName', '--action-version', '1'],
    );
    expect(await cp.run('list-action-types', '--action-owner-filter', 'Custom')).toEqual({
      actionTypes: [],
    });
    const polled = await cp.error('poll-for-jobs', '--action-type-id', actionTypeIdArg);
    expect(polled.code).toBe('ActionTypeNotFoundException');

    const refused = await cp.error(
      'create-pipeline',
      '--cli-input-json',
      await cp.inputFile('after-delete', { pipeline: jenkinsPipeline('cli-custom-deleted') }),
    );
    expect(refused.code).toBe('InvalidActionDeclarationException');
    expect(refused.stderr).toContain("Provider: 'MyJenkinsProviderName'");

    // The deleted version cannot be redefined; a new version can.
    const redefined = await cp.error(
      'create-custom-action-type',
      '--cli-input-json',
      await cp.inputFile('redefined', {
        ...customAction,
        inputArtifactDetails: { maximumCount: 1, minimumCount: 1 },
      }),
    );
    expect(redefined.code).toBe('ValidationException');
    await cp.run(
      'create-custom-action-type',
      '--cli-input-json',
      await cp.inputFile('version-2', { ...customAction, version: '2' }),
    );
  });
});
