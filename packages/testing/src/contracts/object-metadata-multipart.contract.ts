import { AppErrorKind, type ObjectMetadataStore, type UploadedPart } from '@slipway/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeClockStart } from '../fake-clock.ts';
import { expectAppError } from './expect-app-error.ts';
import {
  aBucket,
  anUpload,
  aPart,
  aVersion,
  bucketName,
  otherBucketName,
  unversioned,
  versioned,
  versionId,
  versionsQuery,
} from './object-metadata-fixtures.ts';

/** Multipart uploads: parts, listing, atomic completion, abort. */
export function multipartUploadCases(store: () => ObjectMetadataStore): void {
  describe('multipart uploads', () => {
    it('creates and finds an upload with every field', async () => {
      const upload = anUpload('u1', 'dir/\u0000😀', {
        contentType: 'text/plain',
        headers: { 'content-disposition': 'attachment' },
        metadata: { a: 'b' },
        checksumAlgorithm: 'CRC32',
        initiatedAt: fakeClockStart + 7,
      });
      await store().createUpload(upload);
      expect(await store().findUpload('u1')).toEqual(upload);
      expect(await store().findUpload('u2')).toBeUndefined();
    });

    it('refuses an upload to a bucket that does not exist', async () => {
      const error = await expectAppError(
        store().createUpload(anUpload('u1', 'k', { bucket: 'nope' })),
        AppErrorKind.NotFound,
      );
      expect(error.resource).toBe('bucket');
    });

    it('records parts, replacing one with the same number, and lists them by number', async () => {
      await store().createUpload(anUpload('u1', 'k'));
      const [p3, p1, p2, p1again] = [
        aPart('u1', 3),
        aPart('u1', 1),
        aPart('u1', 2),
        aPart('u1', 1, 8),
      ];
      for (const part of [p3, p1, p2]) expect(await store().putPart(part)).toBeUndefined();
      expect(await store().putPart(p1again)).toEqual(p1);
      expect(await store().listParts('u1', { after: undefined, limit: 10 })).toEqual([
        p1again,
        p2,
        p3,
      ]);
      expect(await store().listParts('u1', { after: 1, limit: 1 })).toEqual([p2]);
      expect(await store().listParts('u2', { after: undefined, limit: 10 })).toEqual([]);
    });

    it('refuses a part of an upload that is gone', async () => {
      const error = await expectAppError(store().putPart(aPart('u1', 1)), AppErrorKind.NotFound);
      expect(error.resource).toBe('upload');
    });

    it('lists uploads by key, then by initiation', async () => {
      await store().createBucket(aBucket(otherBucketName));
      const uploads = [
        anUpload('u5', 'b', { initiatedAt: fakeClockStart + 2 }),
        anUpload('u4', 'b', { initiatedAt: fakeClockStart + 1 }),
        anUpload('u3', 'a/2'),
        anUpload('u2', 'a/1'),
        anUpload('u1', 'a/1'),
        anUpload('u9', 'a/1', { bucket: otherBucketName }),
      ];
      for (const upload of uploads) await store().createUpload(upload);
      const list = (query: Partial<Parameters<ObjectMetadataStore['listUploads']>[1]>) =>
        store()
          .listUploads(bucketName, {
            prefix: '',
            keyMarker: undefined,
            uploadIdMarker: undefined,
            limit: 100,
            ...query,
          })
          .then((listed) => listed.map((u) => u.uploadId));
      expect(await list({})).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
      expect(await list({ prefix: 'a/' })).toEqual(['u1', 'u2', 'u3']);
      expect(await list({ keyMarker: 'a/1' })).toEqual(['u3', 'u4', 'u5']);
      expect(await list({ keyMarker: 'a/1', uploadIdMarker: 'u1', limit: 2 })).toEqual([
        'u2',
        'u3',
      ]);
      expect(await list({ keyMarker: 'b', uploadIdMarker: 'u4' })).toEqual(['u5']);
      expect(await list({ keyMarker: 'a/', afterPrefixed: true })).toEqual(['u4', 'u5']);
    });

    describe('complete', () => {
      const parts = [aPart('u1', 1), aPart('u1', 2), aPart('u1', 3)];
      const objectOf = (used: readonly UploadedPart[]) =>
        aVersion('k', {
          parts: used.map(({ blobKey, size }) => ({ blobKey, size })),
          size: used.reduce((sum, p) => sum + p.size, 0),
          partCount: used.length,
        });
      beforeEach(async () => {
        await store().createUpload(anUpload('u1', 'k'));
        for (const part of parts) await store().putPart(part);
      });

      it('turns the upload into a version, handing back unused and replaced parts', async () => {
        const old = aVersion('k');
        await store().putVersion(old, unversioned);
        const object = objectOf([parts[0], parts[2]].filter((p) => p !== undefined));
        const result = await store().completeUpload('u1', object, unversioned);
        expect(result.version).toEqual({ ...object, isLatest: true });
        expect(result.replaced).toEqual(old.parts);
        expect(result.unused).toEqual([{ blobKey: parts[1]?.blobKey, size: parts[1]?.size }]);
        expect(await store().findVersion(bucketName, 'k')).toEqual(result.version);
        expect(await store().findUpload('u1')).toBeUndefined();
        expect(await store().listParts('u1', { after: undefined, limit: 10 })).toEqual([]);
        const again = await expectAppError(
          store().completeUpload('u1', object, unversioned),
          AppErrorKind.NotFound,
        );
        expect(again.resource).toBe('upload');
      });

      it('lets only one of two concurrent completes succeed', async () => {
        const object = objectOf(parts);
        const outcomes = await Promise.allSettled([
          store().completeUpload('u1', object, versioned),
          store().completeUpload('u1', { ...object, versionId: versionId(2) }, versioned),
        ]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        expect(await store().listVersions(versionsQuery())).toHaveLength(1);
      });

      it('refuses a version using a blob that is not a part of the upload, changing nothing', async () => {
        const replacedSince = aPart('u1', 2, 9);
        await store().putPart(replacedSince);
        const error = await expectAppError(
          store().completeUpload('u1', objectOf(parts), unversioned),
          AppErrorKind.InvalidInput,
        );
        expect(error.resource).toBe('part');
        expect(await store().findUpload('u1')).toBeDefined();
        expect(await store().listParts('u1', { after: undefined, limit: 10 })).toHaveLength(3);
        expect(await store().findVersion(bucketName, 'k')).toBeUndefined();
      });

      it('aborts: the upload goes and its parts come back, once', async () => {
        expect(await store().abortUpload('u1')).toEqual(parts);
        expect(await store().abortUpload('u1')).toBeUndefined();
        expect(await store().findUpload('u1')).toBeUndefined();
        expect(await store().deleteBucket(bucketName)).toBe(true);
      });
    });
  });
}
