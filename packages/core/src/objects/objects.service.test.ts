import {
  bodyOf,
  expectAppError,
  failingBody,
  fakeClockStart,
  md5Hex,
  objectsHarness,
  readText,
  type ObjectsHarness,
} from '@slipway/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AppErrorKind, isAppError } from '../errors/app-error.ts';
import { Versioning } from './object.model.ts';
import { isObjectVersionError } from './objects.errors.ts';

const bucket = 'artifacts';
const other = { accountId: '210987654321', region: 'eu-west-1' };
const quotedMd5 = (text: string) => `"${md5Hex(new TextEncoder().encode(text))}"`;

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

describe('buckets', () => {
  it('creates, finds, lists and locates a bucket', async () => {
    const created = await h.service.createBucket(h.scope, 'zeta.builds');
    expect(created).toEqual({
      name: 'zeta.builds',
      accountId: h.scope.accountId,
      region: 'us-east-1',
      versioning: Versioning.Unversioned,
      createdAt: fakeClockStart,
    });
    expect(await h.service.headBucket(h.scope, 'zeta.builds')).toEqual(created);
    expect((await h.service.listBuckets(h.scope)).map((b) => b.name)).toEqual([
      bucket,
      'zeta.builds',
    ]);
    expect(await h.service.listBuckets(other)).toEqual([]);
    expect(await h.service.getBucketLocation(h.scope, bucket)).toBe('us-east-1');
  });

  it('tells taken names apart by owner, and checks names', async () => {
    const owned = await expectAppError(
      h.service.createBucket(h.scope, bucket),
      AppErrorKind.AlreadyExists,
    );
    expect(owned.resource).toBe('bucket-exists-owned');
    const taken = await expectAppError(
      h.service.createBucket(other, bucket),
      AppErrorKind.AlreadyExists,
    );
    expect(taken.resource).toBe('bucket-exists');
    for (const name of ['ab', 'Upper', 'a..b', '192.168.1.1', 'xn--abc']) {
      const error = await expectAppError(
        h.service.createBucket(h.scope, name),
        AppErrorKind.InvalidInput,
      );
      expect(error.resource).toBe('bucket-name');
    }
  });

  it('answers NoSuchBucket, and AccessDenied for another account’s bucket', async () => {
    const missing = await expectAppError(
      h.service.headBucket(h.scope, 'nope'),
      AppErrorKind.NotFound,
    );
    expect(missing.resource).toBe('bucket');
    const denied = await expectAppError(
      h.service.headBucket(other, bucket),
      AppErrorKind.AccessDenied,
    );
    expect(denied.resource).toBe('bucket');
    const { body, describe } = bodyOf('x');
    const noBucket = await expectAppError(
      h.service.putObject({ scope: h.scope, bucket: 'nope', key: 'k', body, describe }),
      AppErrorKind.NotFound,
    );
    expect(noBucket.resource).toBe('bucket');
    await expectAppError(
      h.service.listObjects({ scope: other, bucket }),
      AppErrorKind.AccessDenied,
    );
  });

  it('deletes only an empty bucket', async () => {
    await put('k', 'x');
    const error = await expectAppError(
      h.service.deleteBucket(h.scope, bucket),
      AppErrorKind.Conflict,
    );
    expect(error.resource).toBe('bucket-not-empty');
    await h.service.deleteObject({ scope: h.scope, bucket, key: 'k' });
    await h.service.deleteBucket(h.scope, bucket);
    await expectAppError(h.service.deleteBucket(h.scope, bucket), AppErrorKind.NotFound);
  });

  it('turns versioning on and off, but never back to unversioned', async () => {
    expect(await h.service.getBucketVersioning(h.scope, bucket)).toBe(Versioning.Unversioned);
    await h.service.putBucketVersioning(h.scope, bucket, 'Enabled');
    expect(await h.service.getBucketVersioning(h.scope, bucket)).toBe(Versioning.Enabled);
    await h.service.putBucketVersioning(h.scope, bucket, 'Suspended');
    expect(await h.service.getBucketVersioning(h.scope, bucket)).toBe(Versioning.Suspended);
    const error = await expectAppError(
      h.service.putBucketVersioning(h.scope, bucket, 'Unversioned' as 'Enabled'),
      AppErrorKind.InvalidInput,
    );
    expect(error.resource).toBe('versioning');
  });
});

describe('put and get', () => {
  it('round-trips bytes, ETag, checksums, content type, headers and metadata', async () => {
    const { body, describe } = bodyOf('hello ', 'world');
    const version = await h.service.putObject({
      scope: h.scope,
      bucket,
      key: 'dir/../a\u0000b 😀',
      body,
      describe,
      contentType: 'text/plain',
      headers: { 'cache-control': 'no-cache' },
      metadata: { build: '7' },
    });
    expect(version).toMatchObject({
      versionId: 'null',
      isLatest: true,
      size: 11,
      etag: quotedMd5('hello world'),
      contentType: 'text/plain',
      headers: { 'cache-control': 'no-cache' },
      metadata: { build: '7' },
      lastModified: fakeClockStart,
      partCount: undefined,
    });
    expect(version.checksums.sha256).toMatch(/=$/);
    const got = await get('dir/../a\u0000b 😀');
    expect(got.version).toEqual(version);
    expect(got.range).toBeUndefined();
    expect(await readText(got.body)).toBe('hello world');
    expect(
      (await h.service.headObject({ scope: h.scope, bucket, key: version.key })).version,
    ).toEqual(version);
  });

  it('stores an empty object', async () => {
    await put('empty');
    expect(await textOf('empty')).toBe('');
    expect((await get('empty')).version.etag).toBe(quotedMd5(''));
  });

  it('answers NoSuchKey, and refuses keys S3 refuses', async () => {
    const missing = await expectAppError(get('nope'), AppErrorKind.NotFound);
    expect(missing.resource).toBe('key');
    const cases = [
      ['', 'key'],
      ['x'.repeat(1025), 'key-too-long'],
      ['\uD800', 'key'],
    ] as const;
    for (const [key, subject] of cases) {
      const error = await expectAppError(put(key, 'x'), AppErrorKind.InvalidInput);
      expect(error.resource).toBe(subject);
    }
    expect(h.blobs.keys()).toEqual([]);
  });

  it('replacing an object deletes the old blob after the new version is committed', async () => {
    await put('k', 'one');
    const [first] = h.blobs.keys();
    await put('k', 'two');
    expect(await textOf('k')).toBe('two');
    expect(h.blobs.keys()).toHaveLength(1);
    expect(h.blobs.keys()).not.toContain(first);
  });

  it('leaves nothing behind when the body fails', async () => {
    await put('k', 'kept');
    const disconnect = new Error('client went away');
    const { body, describe } = failingBody(disconnect, 'partial ', 'bytes');
    await expect(
      h.service.putObject({ scope: h.scope, bucket, key: 'k', body, describe }),
    ).rejects.toBe(disconnect);
    const fresh = failingBody(disconnect, 'x');
    await expect(
      h.service.putObject({ scope: h.scope, bucket, key: 'new', ...fresh }),
    ).rejects.toBe(disconnect);
    expect(await textOf('k')).toBe('kept');
    expect(await h.metadata.findVersion(bucket, 'new')).toBeUndefined();
    expect(h.blobs.keys()).toHaveLength(1);
  });

  it('refuses a body whose digest differs from what the client sent, storing nothing', async () => {
    const { body, describe } = bodyOf('bytes');
    const error = await expectAppError(
      h.service.putObject({
        scope: h.scope,
        bucket,
        key: 'k',
        body,
        describe,
        expected: { md5Hex: md5Hex(new TextEncoder().encode('other')) },
      }),
      AppErrorKind.InvalidInput,
    );
    expect(error.resource).toBe('digest');
    const checksum = bodyOf('bytes');
    await expectAppError(
      h.service.putObject({
        scope: h.scope,
        bucket,
        key: 'k',
        ...checksum,
        expected: { checksums: { sha256: 'AAAA' } },
      }),
      AppErrorKind.InvalidInput,
    );
    expect(await h.metadata.findVersion(bucket, 'k')).toBeUndefined();
    expect(h.blobs.keys()).toEqual([]);
  });

  it('serves byte ranges, clamping the end; a range past the end is InvalidRange', async () => {
    await put('k', '0123', '456789');
    const read = async (range: Parameters<typeof h.service.getObject>[0]['range']) => {
      const got = await h.service.getObject({ scope: h.scope, bucket, key: 'k', range });
      return [await readText(got.body), got.range];
    };
    expect(await read({ start: 2, end: 5 })).toEqual(['2345', { start: 2, end: 5, total: 10 }]);
    expect(await read({ start: 7 })).toEqual(['789', { start: 7, end: 9, total: 10 }]);
    expect(await read({ start: 8, end: 100 })).toEqual(['89', { start: 8, end: 9, total: 10 }]);
    expect(await read({ suffixLength: 3 })).toEqual(['789', { start: 7, end: 9, total: 10 }]);
    expect(await read({ suffixLength: 30 })).toEqual([
      '0123456789',
      { start: 0, end: 9, total: 10 },
    ]);
    expect(await read({ start: 5, end: 2 })).toEqual(['0123456789', undefined]);
    const error = await expectAppError(read({ start: 10 }), AppErrorKind.InvalidInput);
    expect(error.resource).toBe('range');
  });

  it('looks again when the blob of the version it found was just replaced', async () => {
    const stale = await put('k', 'old');
    await put('k', 'new');
    vi.spyOn(h.metadata, 'findVersion').mockResolvedValueOnce(stale);
    expect(await textOf('k')).toBe('new');
    await h.blobs.delete((await get('k')).version.parts[0]?.blobKey ?? '');
    const error = await expectAppError(get('k'), AppErrorKind.Internal);
    expect(error.resource).toBe('blob');
  });

  it('evaluates conditions before the range, carrying the version in the error', async () => {
    const version = await put('k', 'abc');
    const error = await get('k')
      .then(() =>
        h.service.getObject({
          scope: h.scope,
          bucket,
          key: 'k',
          range: { start: 100 },
          conditions: { ifNoneMatch: version.etag },
        }),
      )
      .catch((e: unknown) => e);
    expect(isObjectVersionError(error) && error.resource).toBe('not-modified');
    expect(isObjectVersionError(error) && error.version).toEqual(version);
    const failed = await h.service
      .headObject({ scope: h.scope, bucket, key: 'k', conditions: { ifMatch: '"other"' } })
      .catch((e: unknown) => e);
    expect(isAppError(failed) && failed.resource).toBe('precondition');
  });
});

describe('versioning', () => {
  beforeEach(() => h.service.putBucketVersioning(h.scope, bucket, 'Enabled'));

  it('keeps versions, hides the key behind a delete marker, and restores it when removed', async () => {
    const v1 = await put('k', 'one');
    const v2 = await put('k', 'two');
    expect(v1.versionId).toMatch(/^[0-9a-f]{32}$/);
    expect(v2.versionId).not.toBe(v1.versionId);
    expect(await textOf('k')).toBe('two');
    expect(await textOf('k', v1.versionId)).toBe('one');

    const deleted = await h.service.deleteObject({ scope: h.scope, bucket, key: 'k' });
    expect(deleted.deleteMarker).toBe(true);
    const marker = deleted.versionId ?? '';
    const hidden = await get('k').catch((e: unknown) => e);
    expect(isObjectVersionError(hidden) && hidden.kind).toBe(AppErrorKind.NotFound);
    expect(isObjectVersionError(hidden) && hidden.resource).toBe('delete-marker');
    expect(isObjectVersionError(hidden) && hidden.version.versionId).toBe(marker);
    const byId = await get('k', { versionId: marker }).catch((e: unknown) => e);
    expect(isObjectVersionError(byId) && byId.resource).toBe('delete-marker-version');
    expect((await h.service.listObjects({ scope: h.scope, bucket })).contents).toEqual([]);
    const listed = await h.service.listObjectVersions({ scope: h.scope, bucket });
    expect(listed.versions.map((v) => [v.versionId, v.isDeleteMarker, v.isLatest])).toEqual([
      [marker, true, true],
      [v2.versionId, false, false],
      [v1.versionId, false, false],
    ]);

    expect(
      await h.service.deleteObject({ scope: h.scope, bucket, key: 'k', versionId: marker }),
    ).toEqual({ deleteMarker: true, versionId: marker });
    expect(await textOf('k')).toBe('two');
    expect(h.blobs.keys()).toHaveLength(2);
    expect(
      await h.service.deleteObject({ scope: h.scope, bucket, key: 'k', versionId: v2.versionId }),
    ).toEqual({ deleteMarker: false, versionId: v2.versionId });
    expect(await textOf('k')).toBe('one');
    expect(h.blobs.keys()).toHaveLength(1);
  });

  it('answers NoSuchVersion for an unknown version, InvalidArgument for a malformed one', async () => {
    await put('k', 'one');
    const unknown = await expectAppError(
      get('k', { versionId: 'f'.repeat(32) }),
      AppErrorKind.NotFound,
    );
    expect(unknown.resource).toBe('version');
    const malformed = await expectAppError(get('k', { versionId: 'x' }), AppErrorKind.InvalidInput);
    expect(malformed.resource).toBe('version-id');
  });

  it('suspended: writes replace the null version and keep the others', async () => {
    const v1 = await put('k', 'one');
    await h.service.putBucketVersioning(h.scope, bucket, 'Suspended');
    expect((await put('k', 'two')).versionId).toBe('null');
    expect((await put('k', 'three')).versionId).toBe('null');
    expect(h.blobs.keys()).toHaveLength(2);
    expect(await h.service.deleteObject({ scope: h.scope, bucket, key: 'k' })).toEqual({
      deleteMarker: true,
      versionId: 'null',
    });
    expect(h.blobs.keys()).toHaveLength(1);
    expect(await textOf('k', v1.versionId)).toBe('one');
  });
});
