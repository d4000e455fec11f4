import {
  nullVersionId,
  Versioning,
  type Bucket,
  type MultipartUpload,
  type NewObjectVersion,
  type ObjectMetadataStore,
  type ObjectVersion,
  type PutVersionOptions,
  type UploadedPart,
} from '@slipway/core';
import { fakeClockStart } from '../fake-clock.ts';

/** Builders and data shared by the parts of the object metadata store contract. */

export const accountId = '123456789012';
export const otherAccountId = '210987654321';
export const bucketName = 'artifacts';
export const otherBucketName = 'other-artifacts';

export function aBucket(name: string, overrides: Partial<Bucket> = {}): Bucket {
  return {
    name,
    accountId,
    region: 'us-east-1',
    versioning: Versioning.Unversioned,
    createdAt: fakeClockStart,
    ...overrides,
  };
}

let blobs = 0;
export function aBlob(size = 10) {
  blobs += 1;
  return { blobKey: `objects/blob-${blobs}`, size };
}

export function aVersion(key: string, overrides: Partial<NewObjectVersion> = {}): NewObjectVersion {
  const part = aBlob();
  return {
    bucket: bucketName,
    key,
    versionId: nullVersionId,
    isDeleteMarker: false,
    parts: [part],
    size: part.size,
    etag: '"9e107d9d372bb6826bd81d3542a419d6"',
    contentType: undefined,
    headers: {},
    metadata: {},
    checksums: {},
    lastModified: fakeClockStart,
    partCount: undefined,
    ...overrides,
  };
}

export function aMarker(key: string, versionId: string): NewObjectVersion {
  return aVersion(key, { versionId, isDeleteMarker: true, parts: [], size: 0, etag: '' });
}

export function versionId(n: number): string {
  return n.toString(16).padStart(32, '0');
}

export function anUpload(uploadId: string, key: string, overrides: Partial<MultipartUpload> = {}) {
  return {
    uploadId,
    bucket: bucketName,
    key,
    contentType: undefined,
    headers: {},
    metadata: {},
    checksumAlgorithm: undefined,
    initiatedAt: fakeClockStart,
    ...overrides,
  } satisfies MultipartUpload;
}

export function aPart(uploadId: string, partNumber: number, size = 5): UploadedPart {
  return {
    uploadId,
    partNumber,
    ...aBlob(size),
    etag: `"${partNumber.toString(16).padStart(32, '0')}"`,
    checksums: { crc32: 'AAAAAA==' },
    lastModified: fakeClockStart,
  };
}

/** Keys in UTF-8 byte order; UTF-16 order would put `b😀` before `b\uFF21`. */
export const orderedKeys = [
  '..',
  'A',
  'a',
  'a\u0000b',
  'a b',
  'a/../b',
  'a//b',
  'a/b',
  'b\uFF21',
  'b😀',
  'é',
];

export const keysOf = (versions: readonly ObjectVersion[]) => versions.map((v) => v.key);
export const summaries = (versions: readonly ObjectVersion[]) =>
  versions.map(
    (v) =>
      `${v.key} ${v.versionId}${v.isDeleteMarker ? ' marker' : ''}${v.isLatest ? ' latest' : ''}`,
  );

export const unversioned: PutVersionOptions = { versioned: false };
export const versioned: PutVersionOptions = { versioned: true };

export async function putAll(
  store: ObjectMetadataStore,
  versions: readonly NewObjectVersion[],
  options: PutVersionOptions = unversioned,
): Promise<void> {
  for (const version of versions) await store.putVersion(version, options);
}

export const versionsQuery = (
  query: Partial<Parameters<ObjectMetadataStore['listVersions']>[0]> = {},
) => ({
  bucket: bucketName,
  prefix: '',
  keyMarker: undefined,
  versionIdMarker: undefined,
  limit: 100,
  ...query,
});
