import { nullVersionId, type ObjectMetadataStore } from '@slipway/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  aBucket,
  aMarker,
  aVersion,
  bucketName,
  keysOf,
  orderedKeys,
  otherBucketName,
  putAll,
  summaries,
  unversioned,
  versioned,
  versionId,
  versionsQuery,
} from './object-metadata-fixtures.ts';

/** Listing: UTF-8 byte order, prefixes, markers, versions newest first. */
export function objectListingCases(store: () => ObjectMetadataStore): void {
  describe('listLatest', () => {
    beforeEach(async () => {
      await store().createBucket(aBucket(otherBucketName));
      await putAll(
        store(),
        [...orderedKeys].reverse().map((key) => aVersion(key)),
      );
      await store().putVersion(aVersion('a', { bucket: otherBucketName }), unversioned);
    });
    const list = (query: Partial<Parameters<ObjectMetadataStore['listLatest']>[0]>) =>
      store().listLatest({
        bucket: bucketName,
        prefix: '',
        after: undefined,
        limit: 100,
        ...query,
      });

    it('lists keys in UTF-8 byte order, NUL and all', async () => {
      const listed = await list({});
      expect(keysOf(listed)).toEqual(orderedKeys);
      expect(listed.every((v) => v.isLatest)).toBe(true);
    });

    it('lists keys that begin with a prefix', async () => {
      expect(keysOf(await list({ prefix: 'a' }))).toEqual(orderedKeys.slice(2, 8));
      expect(keysOf(await list({ prefix: 'a/' }))).toEqual(['a/../b', 'a//b', 'a/b']);
      expect(keysOf(await list({ prefix: 'a//' }))).toEqual(['a//b']);
      expect(keysOf(await list({ prefix: 'a\u0000' }))).toEqual(['a\u0000b']);
      expect(keysOf(await list({ prefix: 'b' }))).toEqual(['b\uFF21', 'b😀']);
      expect(keysOf(await list({ prefix: 'b😀' }))).toEqual(['b😀']);
      expect(keysOf(await list({ prefix: 'é' }))).toEqual(['é']);
      expect(await list({ prefix: 'c' })).toEqual([]);
    });

    it('resumes after a key, or after every key under a prefix, and stops at the limit', async () => {
      expect(keysOf(await list({ after: 'a' }))).toEqual(orderedKeys.slice(3));
      expect(keysOf(await list({ after: 'a/', limit: 2 }))).toEqual(['a/../b', 'a//b']);
      expect(keysOf(await list({ after: 'a/', afterPrefixed: true }))).toEqual(
        orderedKeys.slice(8),
      );
      expect(keysOf(await list({ prefix: 'a', after: 'a', afterPrefixed: true }))).toEqual([]);
      expect(keysOf(await list({ after: 'é' }))).toEqual([]);
    });

    it('leaves out keys whose latest version is a delete marker, and older versions', async () => {
      await putAll(
        store(),
        [aMarker('a', versionId(1)), aVersion('A', { versionId: versionId(2) })],
        versioned,
      );
      await putAll(
        store(),
        [aMarker('..', versionId(3)), aVersion('..', { versionId: versionId(4) })],
        versioned,
      );
      const listed = await list({ limit: 3 });
      expect(keysOf(listed)).toEqual(['..', 'A', 'a\u0000b']);
      expect(listed.map((v) => v.versionId)).toEqual([versionId(4), versionId(2), nullVersionId]);
    });
  });

  describe('listVersions', () => {
    beforeEach(async () => {
      await putAll(store(), [aVersion('b😀'), aVersion('a/x')], unversioned);
      await putAll(
        store(),
        [
          aVersion('b😀', { versionId: versionId(1) }),
          aMarker('b😀', versionId(2)),
          aVersion('b\uFF21', { versionId: versionId(3) }),
          aVersion('a/y', { versionId: versionId(4) }),
        ],
        versioned,
      );
    });
    const list = (query: Partial<Parameters<ObjectMetadataStore['listVersions']>[0]>) =>
      store().listVersions(versionsQuery(query)).then(summaries);

    it('lists every version and delete marker by key, newest first', async () => {
      expect(await list({})).toEqual([
        'a/x null latest',
        `a/y ${versionId(4)} latest`,
        `b\uFF21 ${versionId(3)} latest`,
        `b😀 ${versionId(2)} marker latest`,
        `b😀 ${versionId(1)}`,
        'b😀 null',
      ]);
    });

    it('resumes after a key, after a version of a key, or after a prefix', async () => {
      expect(await list({ keyMarker: 'a/y', limit: 2 })).toEqual([
        `b\uFF21 ${versionId(3)} latest`,
        `b😀 ${versionId(2)} marker latest`,
      ]);
      expect(await list({ keyMarker: 'b😀', versionIdMarker: versionId(2) })).toEqual([
        `b😀 ${versionId(1)}`,
        'b😀 null',
      ]);
      expect(await list({ keyMarker: 'a/x', versionIdMarker: nullVersionId })).toHaveLength(5);
      expect(await list({ keyMarker: 'a/', afterPrefixed: true })).toHaveLength(4);
      expect(await list({ prefix: 'b', keyMarker: 'b😀', versionIdMarker: versionId(9) })).toEqual(
        [],
      );
      expect(await list({ prefix: 'a/' })).toEqual([
        'a/x null latest',
        `a/y ${versionId(4)} latest`,
      ]);
    });
  });
}
