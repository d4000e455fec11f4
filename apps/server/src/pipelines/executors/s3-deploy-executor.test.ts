import { bodyOf, objectsHarness, readText, type ObjectsHarness } from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { anActionTask, recordingControls, testScope, zipOf } from '../action-task.fixture.ts';
import { PipelineArtifacts } from '../pipeline-artifacts.ts';
import { S3DeployExecutor } from './s3-deploy-executor.ts';

let objects: ObjectsHarness;
let executor: S3DeployExecutor;

const input = { name: 'BuildOutput', location: { bucket: 'artifacts', key: 'demo/Build/k1' } };

beforeEach(async () => {
  objects = objectsHarness();
  executor = new S3DeployExecutor({
    artifacts: new PipelineArtifacts({ objects: objects.service }),
  });
  await objects.service.createBucket(testScope, 'artifacts');
  await objects.service.createBucket(testScope, 'website');
});

async function putArtifact(bytes: Uint8Array): Promise<void> {
  const body = bodyOf(bytes);
  await objects.service.putObject({
    scope: testScope,
    ...input.location,
    body: body.body,
    describe: body.describe,
  });
}

function deployTask(configuration: Record<string, string>) {
  return anActionTask({
    stageName: 'Deploy',
    actionName: 'Deploy',
    actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'S3', version: '1' },
    configuration: { BucketName: 'website', ...configuration },
    inputArtifacts: [input],
  });
}

async function keysOf(bucket: string): Promise<string[]> {
  const listed = await objects.service.listObjects({ scope: testScope, bucket });
  return listed.contents.map((o) => o.key);
}

async function textOf(bucket: string, key: string): Promise<string> {
  const { body } = await objects.service.getObject({ scope: testScope, bucket, key });
  return readText(body);
}

describe('S3DeployExecutor', () => {
  it('extracts every file under the prefix, with content types and CacheControl', async () => {
    await putArtifact(
      await zipOf({ 'index.html': '<h1>hi</h1>', 'assets/': '', 'assets/app.js': 'go()' }),
    );
    const result = await executor.execute(
      deployTask({ Extract: 'true', ObjectKey: 'site/', CacheControl: 'max-age=60' }),
      recordingControls(),
    );
    expect(result.status).toBe('Succeeded');
    expect((await keysOf('website')).sort()).toEqual(['site/assets/app.js', 'site/index.html']);
    expect(await textOf('website', 'site/index.html')).toBe('<h1>hi</h1>');
    const { version } = await objects.service.headObject({
      scope: testScope,
      bucket: 'website',
      key: 'site/assets/app.js',
    });
    expect(version.contentType).toBe('text/javascript');
    expect(version.headers['cache-control']).toBe('max-age=60');
  });

  it('extracts to the bucket root without an ObjectKey', async () => {
    await putArtifact(await zipOf({ 'a.txt': 'a' }));
    await executor.execute(deployTask({ Extract: 'true' }), recordingControls());
    expect(await keysOf('website')).toEqual(['a.txt']);
  });

  it('copies the artifact as one object when Extract is false', async () => {
    await putArtifact(await zipOf({ 'a.txt': 'a' }));
    const result = await executor.execute(
      deployTask({ Extract: 'false', ObjectKey: 'releases/app.zip' }),
      recordingControls(),
    );
    expect(result.status).toBe('Succeeded');
    expect(await keysOf('website')).toEqual(['releases/app.zip']);
  });

  it('refuses an archive with an entry that climbs out, writing nothing', async () => {
    // yazl refuses to write `..`, so the name is patched in: same length, both headers.
    const zip = await zipOf({ 'ok.txt': 'fine', 'xx/evil.txt': 'evil' });
    const patched = Buffer.from(zip.toString('latin1').replaceAll('xx/evil', '../evil'), 'latin1');
    await putArtifact(patched);
    const result = await executor.execute(
      deployTask({ Extract: 'true', ObjectKey: 'site' }),
      recordingControls(),
    );
    expect(result.status).toBe('Failed');
    expect(result.summary).toMatch(/\.\.\/evil/);
    expect(await keysOf('website')).toEqual([]);
  });

  it('fails when the bucket does not exist', async () => {
    await putArtifact(await zipOf({ 'a.txt': 'a' }));
    const result = await executor.execute(
      deployTask({ BucketName: 'nope', Extract: 'true' }),
      recordingControls(),
    );
    expect(result).toMatchObject({ status: 'Failed', summary: 'The bucket nope does not exist' });
  });

  it('requires ObjectKey when Extract is false', async () => {
    const result = await executor.execute(deployTask({ Extract: 'false' }), recordingControls());
    expect(result).toMatchObject({
      status: 'Failed',
      errorDetails: { code: 'ConfigurationError' },
    });
  });
});
