import {
  objectKeyFromHex,
  type Bucket,
  type Checksums,
  type MultipartUpload,
  type NewObjectVersion,
  type ObjectPart,
  type ObjectVersion,
  type UploadedPart,
  type Versioning,
} from '@slipway/core';
import type { Insertable, Selectable } from 'kysely';
import type { Schema } from './schema.ts';

/** Row shapes of the objects tables and their mapping to the core's model. */
export type BucketRow = Selectable<Schema['buckets']>;
export type VersionRow = Selectable<Schema['object_versions']>;
export type UploadRow = Selectable<Schema['multipart_uploads']>;
export type PartRow = Selectable<Schema['upload_parts']>;

export function toBucket(row: BucketRow): Bucket {
  return {
    name: row.name,
    accountId: row.account_id,
    region: row.region,
    versioning: row.versioning as Versioning,
    createdAt: Number(row.created_at),
  };
}

export function versionValues(
  version: NewObjectVersion,
  keyHex: string,
): Insertable<Schema['object_versions']> {
  return {
    bucket: version.bucket,
    key_hex: keyHex,
    version_id: version.versionId,
    is_delete_marker: version.isDeleteMarker ? 1 : 0,
    parts: JSON.stringify(version.parts.map(({ blobKey, size }) => ({ blobKey, size }))),
    size: version.size,
    etag: version.etag,
    content_type: version.contentType ?? null,
    headers: JSON.stringify(version.headers),
    metadata: JSON.stringify(version.metadata),
    checksums: JSON.stringify(version.checksums),
    last_modified: version.lastModified,
    part_count: version.partCount ?? null,
  };
}

export function toVersion(row: VersionRow, isLatest: unknown): ObjectVersion {
  return {
    bucket: row.bucket,
    key: objectKeyFromHex(row.key_hex),
    versionId: row.version_id,
    // PostgreSQL answers a boolean, SQLite 0 or 1.
    isLatest: isLatest === true || Number(isLatest) === 1,
    isDeleteMarker: Number(row.is_delete_marker) === 1,
    parts: toParts(row.parts),
    size: Number(row.size),
    etag: row.etag,
    contentType: row.content_type ?? undefined,
    headers: JSON.parse(row.headers) as Record<string, string>,
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    checksums: JSON.parse(row.checksums) as Checksums,
    lastModified: Number(row.last_modified),
    partCount: row.part_count === null ? undefined : Number(row.part_count),
  };
}

export function toParts(json: string): ObjectPart[] {
  return JSON.parse(json) as ObjectPart[];
}

export function uploadValues(
  upload: MultipartUpload,
  keyHex: string,
): Insertable<Schema['multipart_uploads']> {
  return {
    upload_id: upload.uploadId,
    bucket: upload.bucket,
    key_hex: keyHex,
    content_type: upload.contentType ?? null,
    headers: JSON.stringify(upload.headers),
    metadata: JSON.stringify(upload.metadata),
    checksum_algorithm: upload.checksumAlgorithm ?? null,
    initiated_at: upload.initiatedAt,
  };
}

export function toUpload(row: UploadRow): MultipartUpload {
  return {
    uploadId: row.upload_id,
    bucket: row.bucket,
    key: objectKeyFromHex(row.key_hex),
    contentType: row.content_type ?? undefined,
    headers: JSON.parse(row.headers) as Record<string, string>,
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    checksumAlgorithm: row.checksum_algorithm ?? undefined,
    initiatedAt: Number(row.initiated_at),
  };
}

export function partValues(part: UploadedPart): Insertable<Schema['upload_parts']> {
  return {
    upload_id: part.uploadId,
    part_number: part.partNumber,
    blob_key: part.blobKey,
    size: part.size,
    etag: part.etag,
    checksums: JSON.stringify(part.checksums),
    last_modified: part.lastModified,
  };
}

export function toPart(row: PartRow): UploadedPart {
  return {
    uploadId: row.upload_id,
    partNumber: Number(row.part_number),
    blobKey: row.blob_key,
    size: Number(row.size),
    etag: row.etag,
    checksums: JSON.parse(row.checksums) as Checksums,
    lastModified: Number(row.last_modified),
  };
}

/** SQLite and PostgreSQL report a unique-key violation differently. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code } = error as { code?: unknown };
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
