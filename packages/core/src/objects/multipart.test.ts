import { createHash } from 'node:crypto';
import {
  bodyOf,
  expectAppError,
  objectsHarness,
  readText,
  type ObjectsHarness,
} from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppErrorKind } from '../errors/app-error.ts';
import type { UploadedPart } from './object.model.ts';

const bucket = 'artifacts';
const key = 'builds/app.zip';
let h: ObjectsHarness;
let uploadId: string;

beforeEach(async () => {
  h = objectsHarness();
  await h.service.createBucket(h.scope, bucket);
  ({ uploadId } = await h.service.createMultipartUpload({
    scope: h.scope,
    bucket,
    key,
    contentType: 'application/zip',
    metadata: { build: '9' },
  }));
});

const at = () => ({ scope: h.scope, bucket, key, uploadId });
const upload = (partNumber: number, text: string) =>
  h.service.uploadPart({ ...at(), partNumber, ...bodyOf(text) });
const complete = (parts: readonly Pick<UploadedPart, 'partNumber' | 'etag'>[]) =>
  h.service.completeMultipartUpload({ ...at(), parts });

/** S3's multipart ETag, computed independently: MD5 of the binary part MD5s, then `-N`. */
function multipartEtag(texts: readonly string[]): string {
  const md5s = texts.map((text) => createHash('md5').update(text).digest());
  return `"${createHash('md5').update(Buffer.concat(md5s)).digest('hex')}-${texts.length}"`;
}

describe('complete', () => {
  it('assembles the parts, with a -N ETag, and serves ranges across part boundaries', async () => {
    const parts = [await upload(1, 'aaaaa'), await upload(2, 'bbbbb'), await upload(3, 'ccc')];
    const version = await complete(parts);
    expect(version).toMatchObject({
      key,
      size: 13,
      etag: multipartEtag(['aaaaa', 'bbbbb', 'ccc']),
      partCount: 3,
      contentType: 'application/zip',
      metadata: { build: '9' },
    });
    expect(version.parts.map((p) => p.blobKey)).toEqual(parts.map((p) => p.blobKey));
    const read = async (more: { range?: { start: number; end?: number }; partNumber?: number }) => {
      const got = await h.service.getObject({ scope: h.scope, bucket, key, ...more });
      return [await readText(got.body), got.range];
    };
    expect(await read({})).toEqual(['aaaaabbbbbccc', undefined]);
    expect(await read({ range: { start: 3, end: 11 } })).toEqual([
      'aabbbbbcc',
      { start: 3, end: 11, total: 13 },
    ]);
    expect(await read({ range: { start: 5, end: 9 } })).toEqual([
      'bbbbb',
      { start: 5, end: 9, total: 13 },
    ]);
    expect(await read({ range: { start: 12 } })).toEqual(['c', { start: 12, end: 12, total: 13 }]);
    expect(await read({ partNumber: 2 })).toEqual(['bbbbb', { start: 5, end: 9, total: 13 }]);
    const error = await expectAppError(read({ partNumber: 4 }), AppErrorKind.InvalidInput);
    expect(error.resource).toBe('range');
    await expectAppError(complete(parts), AppErrorKind.NotFound);
  });

  it('deletes the parts it does not use, and the version it replaces', async () => {
    await h.service.putObject({ scope: h.scope, bucket, key, ...bodyOf('old') });
    const one = await upload(1, 'aaaaa');
    await upload(2, 'bbbbb');
    const three = await upload(3, 'ccc');
    const version = await complete([one, three]);
    expect(version.size).toBe(8);
    expect(h.blobs.keys()).toEqual([one.blobKey, three.blobKey].sort());
  });

  it('refuses parts out of order (InvalidPartOrder)', async () => {
    const one = await upload(1, 'aaaaa');
    const two = await upload(2, 'bb');
    for (const parts of [
      [two, one],
      [one, one],
    ]) {
      const error = await expectAppError(complete(parts), AppErrorKind.InvalidInput);
      expect(error.resource).toBe('part-order');
    }
  });

  it('refuses a missing part or a wrong ETag (InvalidPart)', async () => {
    const one = await upload(1, 'aaaaa');
    for (const parts of [
      [one, { partNumber: 2, etag: one.etag }],
      [{ partNumber: 1, etag: '"00000000000000000000000000000000"' }],
    ]) {
      const error = await expectAppError(complete(parts), AppErrorKind.InvalidInput);
      expect(error.resource).toBe('part');
    }
    // Quotes are optional.
    expect((await complete([{ partNumber: 1, etag: one.etag.slice(1, -1) }])).size).toBe(5);
  });

  it('refuses a part smaller than the minimum unless it is the last (EntityTooSmall)', async () => {
    const small = await upload(1, 'aaaa');
    const last = await upload(2, 'b');
    const error = await expectAppError(complete([small, last]), AppErrorKind.InvalidInput);
    expect(error.resource).toBe('entity-too-small');
    expect((await complete([small])).size).toBe(4);
  });

  it('refuses an empty part list', async () => {
    const error = await expectAppError(complete([]), AppErrorKind.InvalidInput);
    expect(error.resource).toBe('malformed');
  });
});

describe('parts and uploads', () => {
  it('replaces a part uploaded again, deleting the old bytes', async () => {
    const first = await upload(1, 'aaaaa');
    const again = await upload(1, 'AAAAA');
    expect(h.blobs.keys()).toEqual([again.blobKey]);
    expect(again.blobKey).not.toBe(first.blobKey);
    const listed = await h.service.listParts(at());
    expect(listed.parts).toEqual([again]);
    expect(listed.upload).toMatchObject({ uploadId, key, contentType: 'application/zip' });
  });

  it('pages parts', async () => {
    for (const n of [3, 1, 2]) await upload(n, `part${n}`);
    const first = await h.service.listParts({ ...at(), maxParts: 2 });
    expect(first.parts.map((p) => p.partNumber)).toEqual([1, 2]);
    expect(first).toMatchObject({ isTruncated: true, nextPartNumberMarker: 2 });
    const rest = await h.service.listParts({ ...at(), partNumberMarker: 2 });
    expect(rest.parts.map((p) => p.partNumber)).toEqual([3]);
    expect(rest.isTruncated).toBe(false);
  });

  it('refuses part numbers outside 1 to 10,000', async () => {
    for (const partNumber of [0, 10_001, 1.5]) {
      const error = await expectAppError(upload(partNumber, 'x'), AppErrorKind.InvalidInput);
      expect(error.resource).toBe('part-number');
    }
    expect(h.blobs.keys()).toEqual([]);
  });

  it('aborts: the parts’ bytes go, and the upload is then unknown', async () => {
    await upload(1, 'aaaaa');
    await h.service.abortMultipartUpload(at());
    expect(h.blobs.keys()).toEqual([]);
    for (const gone of [h.service.abortMultipartUpload(at()), upload(2, 'x')]) {
      const error = await expectAppError(gone, AppErrorKind.NotFound);
      expect(error.resource).toBe('upload');
    }
    expect(h.blobs.keys()).toEqual([]);
  });

  it('answers NoSuchUpload for an upload of another key', async () => {
    const error = await expectAppError(
      h.service.listParts({ ...at(), key: 'other' }),
      AppErrorKind.NotFound,
    );
    expect(error.resource).toBe('upload');
  });

  it('lists uploads in progress with common prefixes and markers', async () => {
    const more = ['builds/lib.zip', 'logs/1.txt', 'logs/2.txt', 'readme'];
    for (const k of more) {
      await h.service.createMultipartUpload({ scope: h.scope, bucket, key: k });
    }
    const all = await h.service.listMultipartUploads({ scope: h.scope, bucket });
    expect(all.uploads.map((u) => u.key)).toEqual([key, ...more]);
    const rolled = await h.service.listMultipartUploads({
      scope: h.scope,
      bucket,
      delimiter: '/',
      maxUploads: 2,
    });
    expect(rolled).toMatchObject({
      uploads: [],
      commonPrefixes: ['builds/', 'logs/'],
      isTruncated: true,
      nextKeyMarker: 'logs/',
    });
    const rest = await h.service.listMultipartUploads({
      scope: h.scope,
      bucket,
      delimiter: '/',
      keyMarker: rolled.nextKeyMarker,
    });
    expect(rest.uploads.map((u) => u.key)).toEqual(['readme']);
    const afterFirst = await h.service.listMultipartUploads({
      scope: h.scope,
      bucket,
      keyMarker: key,
      uploadIdMarker: uploadId,
      maxUploads: 1,
    });
    expect(afterFirst).toMatchObject({ isTruncated: true, nextKeyMarker: 'builds/lib.zip' });
  });

  it('copies a range of an object into a part, hashing the copied bytes', async () => {
    await h.service.putObject({ scope: h.scope, bucket, key: 'src', ...bodyOf('0123456789') });
    const { part } = await h.service.uploadPartCopy({
      ...at(),
      partNumber: 1,
      source: { bucket, key: 'src' },
      range: { start: 2, end: 6 },
    });
    expect(part.size).toBe(5);
    expect(part.etag).toBe(`"${createHash('md5').update('23456').digest('hex')}"`);
    const error = await expectAppError(
      h.service.uploadPartCopy({
        ...at(),
        partNumber: 2,
        source: { bucket, key: 'src' },
        range: { start: 5, end: 10 },
      }),
      AppErrorKind.InvalidInput,
    );
    expect(error.resource).toBe('argument');
    const version = await complete([part]);
    const got = await h.service.getObject({ scope: h.scope, bucket, key: version.key });
    expect(await readText(got.body)).toBe('23456');
  });
});
