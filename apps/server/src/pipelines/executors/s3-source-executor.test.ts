import { bodyOf, objectsHarness, readText, type ObjectsHarness } from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { anActionTask, recordingControls, testScope } from '../action-task.fixture.ts';
import { PipelineArtifacts } from '../pipeline-artifacts.ts';
import { S3SourceExecutor } from './s3-source-executor.ts';

let objects: ObjectsHarness;
let executor: S3SourceExecutor;

const output = { name: 'SourceOutput', location: { bucket: 'artifacts', key: 'demo/Source/k1' } };

beforeEach(async () => {
  objects = objectsHarness();
  executor = new S3SourceExecutor({
    artifacts: new PipelineArtifacts({ objects: objects.service }),
  });
  await objects.service.createBucket(testScope, 'uploads');
});

function put(key: string, content: string, metadata: Record<string, string> = {}) {
  const body = bodyOf(content);
  return objects.service.putObject({
    scope: testScope,
    bucket: 'uploads',
    key,
    body: body.body,
    describe: body.describe,
    metadata,
  });
}

function sourceTask(overrides = {}) {
  return anActionTask({
    stageName: 'Source',
    actionName: 'Source',
    actionTypeId: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' },
    configuration: { S3Bucket: 'uploads', S3ObjectKey: 'app.zip' },
    outputArtifacts: [output],
    ...overrides,
  });
}

async function outputText(): Promise<string> {
  const { body } = await objects.service.getObject({ scope: testScope, ...output.location });
  return readText(body);
}

describe('S3SourceExecutor', () => {
  it('copies the latest object and publishes its ETag and VersionId', async () => {
    await objects.service.putBucketVersioning(testScope, 'uploads', 'Enabled');
    await put('app.zip', 'old');
    const latest = await put('app.zip', 'new', {
      'codepipeline-artifact-revision-summary': 'release 2',
    });
    const result = await executor.execute(sourceTask(), recordingControls());
    expect(result).toEqual({
      status: 'Succeeded',
      outputVariables: { ETag: latest.etag.replaceAll('"', ''), VersionId: latest.versionId },
      sourceRevision: {
        actionName: 'Source',
        artifactName: 'SourceOutput',
        revisionId: latest.versionId,
        revisionSummary: 'release 2',
        created: latest.lastModified,
      },
    });
    expect(await outputText()).toBe('new');
  });

  it('copies the version the execution names', async () => {
    await objects.service.putBucketVersioning(testScope, 'uploads', 'Enabled');
    const first = await put('app.zip', 'old');
    await put('app.zip', 'new');
    const result = await executor.execute(
      sourceTask({ sourceRevision: { type: 'S3_OBJECT_VERSION_ID', value: first.versionId } }),
      recordingControls(),
    );
    expect(result.outputVariables?.VersionId).toBe(first.versionId);
    expect(await outputText()).toBe('old');
  });

  it('fails clearly when the object does not exist', async () => {
    const result = await executor.execute(sourceTask(), recordingControls());
    expect(result.status).toBe('Failed');
    expect(result.summary).toContain('The object s3://uploads/app.zip does not exist');
  });

  it('fails clearly when the bucket does not exist', async () => {
    const result = await executor.execute(
      sourceTask({ configuration: { S3Bucket: 'missing', S3ObjectKey: 'app.zip' } }),
      recordingControls(),
    );
    expect(result).toMatchObject({
      status: 'Failed',
      summary: 'The bucket missing does not exist',
    });
  });
});
