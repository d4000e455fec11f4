import { AppErrorKind, nullVersionId, Versioning, type ObjectMetadataStore } from '@slipway/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeClockStart } from '../fake-clock.ts';
import type { ContractFactory, ContractHarness } from './contract-harness.ts';
import { expectAppError } from './expect-app-error.ts';
import {
  aBlob,
  aBucket,
  accountId,
  aMarker,
  anUpload,
  aVersion,
  bucketName,
  otherAccountId,
  putAll,
  summaries,
  unversioned,
  versioned,
  versionId,
  versionsQuery,
} from './object-metadata-fixtures.ts';
import { objectListingCases } from './object-metadata-listing.contract.ts';
import { multipartUploadCases } from './object-metadata-multipart.contract.ts';

/** An object metadata store under test, and a way to add the accounts buckets belong to. */
export interface ObjectMetadataStoreSubject {
  readonly store: ObjectMetadataStore;
  addAccount(accountId: string): Promise<void>;
}

/** The behaviour every `ObjectMetadataStore` shares; each test opens a store of its own. */
export function objectMetadataStoreContract(
  name: string,
  factory: ContractFactory<ObjectMetadataStoreSubject>,
): void {
  describe(`ObjectMetadataStore contract: ${name}`, () => {
    let harness: ContractHarness<ObjectMetadataStoreSubject> | undefined;

    beforeEach(async () => {
      harness = await factory();
      for (const id of [accountId, otherAccountId]) await harness.subject.addAccount(id);
      await harness.subject.store.createBucket(aBucket(bucketName));
    });
    afterEach(async () => {
      await harness?.close();
      harness = undefined;
    });

    const store = (): ObjectMetadataStore => {
      if (harness === undefined) throw new Error('the store under test did not open');
      return harness.subject.store;
    };

    describe('buckets', () => {
      it('finds a bucket with every field, and lists an account’s buckets by name', async () => {
        const zeta = aBucket('zeta', { versioning: Versioning.Enabled, createdAt: 5 });
        const other = aBucket('alpha', { accountId: otherAccountId, region: 'eu-west-1' });
        await store().createBucket(zeta);
        await store().createBucket(other);
        expect(await store().findBucket('zeta')).toEqual(zeta);
        expect(await store().findBucket('nope')).toBeUndefined();
        expect((await store().listBuckets(accountId)).map((b) => b.name)).toEqual([
          bucketName,
          'zeta',
        ]);
        expect(await store().listBuckets(otherAccountId)).toEqual([other]);
      });

      it('refuses a name taken by any account, keeping the first', async () => {
        for (const owner of [accountId, otherAccountId]) {
          const error = await expectAppError(
            store().createBucket(aBucket(bucketName, { accountId: owner, region: 'eu-west-1' })),
            AppErrorKind.AlreadyExists,
          );
          expect(error.resource).toBe('bucket-exists-owned');
        }
        expect(await store().findBucket(bucketName)).toEqual(aBucket(bucketName));
      });

      it('sets versioning, saying whether there was a bucket', async () => {
        expect(await store().setVersioning(bucketName, Versioning.Enabled)).toBe(true);
        expect((await store().findBucket(bucketName))?.versioning).toBe(Versioning.Enabled);
        expect(await store().setVersioning('nope', Versioning.Enabled)).toBe(false);
      });

      it('deletes an empty bucket, and says false when there is none', async () => {
        expect(await store().deleteBucket(bucketName)).toBe(true);
        expect(await store().findBucket(bucketName)).toBeUndefined();
        expect(await store().deleteBucket(bucketName)).toBe(false);
      });

      const holders: [string, () => Promise<unknown>][] = [
        ['a version', () => store().putVersion(aVersion('k'), unversioned)],
        ['only a delete marker', () => store().putVersion(aMarker('k', versionId(1)), versioned)],
        ['an upload in progress', () => store().createUpload(anUpload('u1', 'k'))],
      ];
      for (const [what, add] of holders) {
        it(`refuses to delete a bucket holding ${what}`, async () => {
          await add();
          const error = await expectAppError(
            store().deleteBucket(bucketName),
            AppErrorKind.Conflict,
          );
          expect(error.resource).toBe('bucket-not-empty');
          expect(await store().findBucket(bucketName)).toBeDefined();
        });
      }
    });

    describe('versions', () => {
      it('keeps every field of a version', async () => {
        const version = aVersion('dir/ünï 😀\u0000', {
          parts: [aBlob(3), aBlob(4)],
          size: 7,
          etag: '"0123456789abcdef0123456789abcdef-2"',
          contentType: 'application/zip',
          headers: { 'cache-control': 'no-cache', 'content-encoding': 'gzip' },
          metadata: { build: '42', 'commit-id': 'abc' },
          checksums: { crc32: 'AAAAAA==', sha256: 'x'.repeat(44) },
          lastModified: fakeClockStart + 1234,
          partCount: 2,
        });
        const { version: put, replaced } = await store().putVersion(version, unversioned);
        expect(put).toEqual({ ...version, isLatest: true });
        expect(replaced).toEqual([]);
        expect(await store().findVersion(bucketName, version.key)).toEqual(put);
        expect(await store().findVersion(bucketName, version.key, nullVersionId)).toEqual(put);
      });

      it('replaces the null version when not versioned, returning its parts', async () => {
        const first = aVersion('k');
        const second = aVersion('k', { size: 99 });
        await store().putVersion(first, unversioned);
        const { replaced } = await store().putVersion(second, unversioned);
        expect(replaced).toEqual(first.parts);
        expect(await store().findVersion(bucketName, 'k')).toEqual({ ...second, isLatest: true });
        expect(summaries(await store().listVersions(versionsQuery()))).toEqual(['k null latest']);
      });

      it('keeps older versions when versioned; the newest is the latest', async () => {
        const v1 = aVersion('k', { versionId: versionId(1) });
        const v2 = aVersion('k', { versionId: versionId(2) });
        await putAll(store(), [v1, v2], versioned);
        expect(await store().findVersion(bucketName, 'k')).toEqual({ ...v2, isLatest: true });
        expect(await store().findVersion(bucketName, 'k', v1.versionId)).toEqual({
          ...v1,
          isLatest: false,
        });
        expect(await store().findVersion(bucketName, 'k', versionId(3))).toBeUndefined();
        expect(await store().findVersion(bucketName, 'other')).toBeUndefined();
      });

      it('orders versions by write, not by id or time', async () => {
        const newer = aVersion('k', { versionId: versionId(1), lastModified: fakeClockStart });
        const older = aVersion('k', { versionId: versionId(9), lastModified: fakeClockStart + 9 });
        await putAll(store(), [older, newer], versioned);
        expect((await store().findVersion(bucketName, 'k'))?.versionId).toBe(versionId(1));
      });

      it('suspended: a null version replaces the null one and becomes latest; others stay', async () => {
        const nullOne = aVersion('k');
        await store().putVersion(nullOne, unversioned);
        await store().putVersion(aVersion('k', { versionId: versionId(1) }), versioned);
        const nullTwo = aVersion('k', { size: 1 });
        const { replaced } = await store().putVersion(nullTwo, unversioned);
        expect(replaced).toEqual(nullOne.parts);
        expect(summaries(await store().listVersions(versionsQuery()))).toEqual([
          'k null latest',
          `k ${versionId(1)}`,
        ]);
      });

      it('finds a delete marker as the latest version', async () => {
        await store().putVersion(aVersion('k', { versionId: versionId(1) }), versioned);
        await store().putVersion(aMarker('k', versionId(2)), versioned);
        const latest = await store().findVersion(bucketName, 'k');
        expect(latest).toMatchObject({ versionId: versionId(2), isDeleteMarker: true, parts: [] });
      });

      it('refuses a version for a bucket that does not exist', async () => {
        const error = await expectAppError(
          store().putVersion(aVersion('k', { bucket: 'nope' }), unversioned),
          AppErrorKind.NotFound,
        );
        expect(error.resource).toBe('bucket');
      });

      it('deletes one version; the previous one becomes the latest', async () => {
        const v1 = aVersion('k', { versionId: versionId(1) });
        await putAll(store(), [v1, aMarker('k', versionId(2))], versioned);
        const removed = await store().deleteVersion(bucketName, 'k', versionId(2));
        expect(removed).toMatchObject({
          versionId: versionId(2),
          isDeleteMarker: true,
          isLatest: true,
        });
        expect(await store().findVersion(bucketName, 'k')).toEqual({ ...v1, isLatest: true });
        expect(await store().deleteVersion(bucketName, 'k', versionId(2))).toBeUndefined();
        expect(await store().deleteVersion(bucketName, 'k', v1.versionId)).toEqual({
          ...v1,
          isLatest: true,
        });
        expect(await store().findVersion(bucketName, 'k')).toBeUndefined();
      });

      it('keeps one version of concurrent unversioned writes and hands back the others', async () => {
        const writes = Array.from({ length: 6 }, () => aVersion('k'));
        const results = await Promise.all(writes.map((v) => store().putVersion(v, unversioned)));
        const versions = await store().listVersions(versionsQuery());
        expect(versions).toHaveLength(1);
        const kept = versions.flatMap((v) => v.parts);
        const replaced = results.flatMap((r) => r.replaced);
        expect([...kept, ...replaced].map((p) => p.blobKey).sort()).toEqual(
          writes
            .flatMap((w) => w.parts)
            .map((p) => p.blobKey)
            .sort(),
        );
      });
    });

    objectListingCases(store);
    multipartUploadCases(store);
  });
}
