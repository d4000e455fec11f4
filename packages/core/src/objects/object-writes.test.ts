import {
  bodyOf,
  expectAppError,
  objectsHarness,
  readText,
  type ObjectsHarness,
} from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppErrorKind } from '../errors/app-error.ts';

const bucket = 'artifacts';

let h: ObjectsHarness;
beforeEach(async () => {
  h = objectsHarness();
  await h.service.createBucket(h.scope, bucket);
});

function put(key: string, ...chunks: string[]) {
  const { body, describe } = bodyOf(...chunks);
  return h.service.putObject({ scope: h.scope, bucket, key, body, describe });
}
const get = (key: string, more: { versionId?: string } = {}) =>
  h.service.getObject({ scope: h.scope, bucket, key, ...more });
const textOf = async (key: string, versionId?: string) =>
  readText((await get(key, versionId === undefined ? {} : { versionId })).body);

describe('delete', () => {
  it('removes an unversioned object and its blob; deleting nothing is no error', async () => {
    await put('k', 'x');
    expect(await h.service.deleteObject({ scope: h.scope, bucket, key: 'k' })).toEqual({
      deleteMarker: false,
      versionId: undefined,
    });
    expect(h.blobs.keys()).toEqual([]);
    await h.service.deleteObject({ scope: h.scope, bucket, key: 'k' });
  });

  it('deletes many keys, reporting each', async () => {
    await put('a', 'x');
    const results = await h.service.deleteObjects(h.scope, bucket, [
      { key: 'a' },
      { key: 'missing' },
      { key: 'a', versionId: 'bad' },
    ]);
    expect(results.map((r) => ('error' in r ? r.error.resource : 'deleted'))).toEqual([
      'deleted',
      'deleted',
      'version-id',
    ]);
    await expectAppError(h.service.deleteObjects(h.scope, bucket, []), AppErrorKind.InvalidInput);
  });
});

describe('copy', () => {
  it('copies bytes into a blob of its own, keeping the ETag and checksums', async () => {
    const source = await put('src', 'payload');
    const { version, sourceVersion } = await h.service.copyObject({
      scope: h.scope,
      source: { bucket, key: 'src' },
      target: { bucket, key: 'dst' },
    });
    expect(sourceVersion).toEqual(source);
    expect(version).toMatchObject({ key: 'dst', etag: source.etag, checksums: source.checksums });
    expect(version.parts[0]?.blobKey).not.toBe(source.parts[0]?.blobKey);
    await h.service.deleteObject({ scope: h.scope, bucket, key: 'src' });
    expect(await textOf('dst')).toBe('payload');
  });

  it('replaces metadata when told to; copying onto itself unchanged is refused', async () => {
    await put('k', 'x');
    const error = await expectAppError(
      h.service.copyObject({
        scope: h.scope,
        source: { bucket, key: 'k' },
        target: { bucket, key: 'k' },
      }),
      AppErrorKind.InvalidInput,
    );
    expect(error.resource).toBe('copy-to-itself');
    const { version } = await h.service.copyObject({
      scope: h.scope,
      source: { bucket, key: 'k' },
      target: { bucket, key: 'k' },
      metadataDirective: 'REPLACE',
      contentType: 'text/csv',
      metadata: { fresh: 'yes' },
    });
    expect(version).toMatchObject({ contentType: 'text/csv', metadata: { fresh: 'yes' } });
    expect(h.blobs.keys()).toHaveLength(1);
    const failed = await expectAppError(
      h.service.copyObject({
        scope: h.scope,
        source: { bucket, key: 'k' },
        target: { bucket, key: 'k2' },
        sourceConditions: { ifNoneMatch: version.etag },
      }),
      AppErrorKind.Conflict,
    );
    expect(failed.resource).toBe('precondition');
  });
});
