import {
  AppErrorKind,
  hexPrefixEnd,
  invalidObjectInput,
  noSuchBucket,
  noSuchUpload,
  nullVersionId,
  objectConflict,
  objectError,
  objectKeyHex,
  ObjectSubject,
  type Bucket,
  type CompleteUploadResult,
  type ListLatestQuery,
  type ListPartsQuery,
  type ListUploadsQuery,
  type ListVersionsQuery,
  type MultipartUpload,
  type NewObjectVersion,
  type ObjectMetadataStore,
  type ObjectVersion,
  type PutVersionOptions,
  type PutVersionResult,
  type UploadedPart,
  type Versioning,
} from '@slipway/core';
import { settle } from './settle.ts';

/** A stored version: its key as hex (for byte order) and the sequence that orders versions. */
interface VersionRow {
  readonly seq: number;
  readonly keyHex: string;
  readonly version: NewObjectVersion;
}

interface UploadRow {
  readonly keyHex: string;
  readonly upload: MultipartUpload;
  readonly parts: Map<number, UploadedPart>;
}

/**
 * Buckets, versions and uploads in memory, with the semantics of `KyselyObjectMetadataStore`;
 * the contract suite holds both. Every method does its work synchronously, so each is atomic.
 */
export class InMemoryObjectMetadataStore implements ObjectMetadataStore {
  readonly #buckets = new Map<string, Bucket>();
  #versions: VersionRow[] = [];
  readonly #uploads = new Map<string, UploadRow>();
  #seq = 0;

  createBucket(bucket: Bucket): Promise<void> {
    return settle(() => {
      if (this.#buckets.has(bucket.name)) {
        throw objectError(
          AppErrorKind.AlreadyExists,
          ObjectSubject.BucketExistsOwned,
          `The bucket ${bucket.name} already exists`,
        );
      }
      this.#buckets.set(bucket.name, copy(bucket));
    });
  }

  findBucket(name: string): Promise<Bucket | undefined> {
    return settle(() => copy(this.#buckets.get(name)));
  }

  listBuckets(accountId: string): Promise<Bucket[]> {
    return settle(() =>
      [...this.#buckets.values()]
        .filter((bucket) => bucket.accountId === accountId)
        .sort((a, b) => compare(a.name, b.name))
        .map(copy),
    );
  }

  deleteBucket(name: string): Promise<boolean> {
    return settle(() => {
      if (!this.#buckets.has(name)) return false;
      const used =
        this.#versions.some((row) => row.version.bucket === name) ||
        [...this.#uploads.values()].some((row) => row.upload.bucket === name);
      if (used) {
        throw objectConflict(
          ObjectSubject.BucketNotEmpty,
          'The bucket you tried to delete is not empty',
        );
      }
      return this.#buckets.delete(name);
    });
  }

  setVersioning(name: string, versioning: Versioning): Promise<boolean> {
    return settle(() => {
      const bucket = this.#buckets.get(name);
      if (bucket === undefined) return false;
      this.#buckets.set(name, { ...bucket, versioning });
      return true;
    });
  }

  putVersion(version: NewObjectVersion, options: PutVersionOptions): Promise<PutVersionResult> {
    return settle(() => this.#put(version, options));
  }

  findVersion(bucket: string, key: string, versionId?: string): Promise<ObjectVersion | undefined> {
    return settle(() => {
      const keyHex = objectKeyHex(key);
      const row = this.#versions
        .filter((r) => r.version.bucket === bucket && r.keyHex === keyHex)
        .filter((r) => versionId === undefined || r.version.versionId === versionId)
        .sort((a, b) => b.seq - a.seq)[0];
      return row === undefined ? undefined : this.#toVersion(row);
    });
  }

  deleteVersion(
    bucket: string,
    key: string,
    versionId: string,
  ): Promise<ObjectVersion | undefined> {
    return settle(() => {
      const keyHex = objectKeyHex(key);
      const row = this.#versions.find(
        (r) =>
          r.version.bucket === bucket && r.keyHex === keyHex && r.version.versionId === versionId,
      );
      if (row === undefined) return undefined;
      const removed = this.#toVersion(row);
      this.#versions = this.#versions.filter((r) => r !== row);
      return removed;
    });
  }

  listLatest(query: ListLatestQuery): Promise<ObjectVersion[]> {
    return settle(() => {
      const after = query.after === undefined ? undefined : objectKeyHex(query.after);
      const bound =
        after !== undefined && query.afterPrefixed === true ? hexPrefixEnd(after) : after;
      return this.#inBucket(query.bucket, query.prefix)
        .filter((row) => bound === undefined || row.keyHex > bound)
        .filter((row) => this.#isLatest(row) && !row.version.isDeleteMarker)
        .sort((a, b) => compare(a.keyHex, b.keyHex))
        .slice(0, Math.max(0, query.limit))
        .map((row) => this.#toVersion(row));
    });
  }

  listVersions(query: ListVersionsQuery): Promise<ObjectVersion[]> {
    return settle(() => {
      const marker = query.keyMarker === undefined ? undefined : objectKeyHex(query.keyMarker);
      const markerRow =
        marker === undefined || query.versionIdMarker === undefined
          ? undefined
          : this.#versions.find(
              (r) =>
                r.version.bucket === query.bucket &&
                r.keyHex === marker &&
                r.version.versionId === query.versionIdMarker,
            );
      const bound =
        marker !== undefined && query.afterPrefixed === true && query.versionIdMarker === undefined
          ? hexPrefixEnd(marker)
          : marker;
      return this.#inBucket(query.bucket, query.prefix)
        .filter(
          (row) =>
            bound === undefined ||
            row.keyHex > bound ||
            (markerRow !== undefined && row.keyHex === marker && row.seq < markerRow.seq),
        )
        .sort((a, b) => compare(a.keyHex, b.keyHex) || b.seq - a.seq)
        .slice(0, Math.max(0, query.limit))
        .map((row) => this.#toVersion(row));
    });
  }

  createUpload(upload: MultipartUpload): Promise<void> {
    return settle(() => {
      if (!this.#buckets.has(upload.bucket)) throw noSuchBucket(upload.bucket);
      if (this.#uploads.has(upload.uploadId)) {
        throw new Error(`duplicate upload id ${upload.uploadId}`);
      }
      this.#uploads.set(upload.uploadId, {
        keyHex: objectKeyHex(upload.key),
        upload: copy(upload),
        parts: new Map(),
      });
    });
  }

  findUpload(uploadId: string): Promise<MultipartUpload | undefined> {
    return settle(() => copy(this.#uploads.get(uploadId)?.upload));
  }

  putPart(part: UploadedPart): Promise<UploadedPart | undefined> {
    return settle(() => {
      const row = this.#uploads.get(part.uploadId);
      if (row === undefined) throw noSuchUpload(part.uploadId);
      const replaced = row.parts.get(part.partNumber);
      row.parts.set(part.partNumber, copy(part));
      return copy(replaced);
    });
  }

  listParts(uploadId: string, query: ListPartsQuery): Promise<UploadedPart[]> {
    return settle(() =>
      [...(this.#uploads.get(uploadId)?.parts.values() ?? [])]
        .filter((part) => query.after === undefined || part.partNumber > query.after)
        .sort((a, b) => a.partNumber - b.partNumber)
        .slice(0, Math.max(0, query.limit))
        .map(copy),
    );
  }

  listUploads(bucket: string, query: ListUploadsQuery): Promise<MultipartUpload[]> {
    return settle(() => {
      const prefix = objectKeyHex(query.prefix);
      const marker = query.keyMarker === undefined ? undefined : objectKeyHex(query.keyMarker);
      const markerRow =
        marker === undefined || query.uploadIdMarker === undefined
          ? undefined
          : this.#uploads.get(query.uploadIdMarker);
      const from =
        markerRow?.keyHex === marker && markerRow?.upload.bucket === bucket ? markerRow : undefined;
      const bound =
        marker !== undefined && query.afterPrefixed === true && query.uploadIdMarker === undefined
          ? hexPrefixEnd(marker)
          : marker;
      return [...this.#uploads.values()]
        .filter((row) => row.upload.bucket === bucket && row.keyHex.startsWith(prefix))
        .filter(
          (row) =>
            bound === undefined ||
            row.keyHex > bound ||
            (from !== undefined && row.keyHex === marker && compareUploads(row, from) > 0),
        )
        .sort((a, b) => compare(a.keyHex, b.keyHex) || compareUploads(a, b))
        .slice(0, Math.max(0, query.limit))
        .map((row) => copy(row.upload));
    });
  }

  completeUpload(
    uploadId: string,
    version: NewObjectVersion,
    options: PutVersionOptions,
  ): Promise<CompleteUploadResult> {
    return settle(() => {
      const row = this.#uploads.get(uploadId);
      if (row === undefined) throw noSuchUpload(uploadId);
      const parts = [...row.parts.values()];
      const uploaded = new Set(parts.map((part) => part.blobKey));
      const used = new Set(version.parts.map((part) => part.blobKey));
      if ([...used].some((blobKey) => !uploaded.has(blobKey))) {
        throw invalidObjectInput(
          ObjectSubject.Part,
          'A part of the object is not a part of the upload',
        );
      }
      if (!this.#buckets.has(version.bucket)) throw noSuchBucket(version.bucket);
      this.#uploads.delete(uploadId);
      const put = this.#put(version, options);
      const unused = parts
        .filter((part) => !used.has(part.blobKey))
        .sort((a, b) => a.partNumber - b.partNumber)
        .map(({ blobKey, size }) => ({ blobKey, size }));
      return { ...put, unused };
    });
  }

  abortUpload(uploadId: string): Promise<UploadedPart[] | undefined> {
    return settle(() => {
      const row = this.#uploads.get(uploadId);
      if (row === undefined) return undefined;
      this.#uploads.delete(uploadId);
      return [...row.parts.values()].sort((a, b) => a.partNumber - b.partNumber).map(copy);
    });
  }

  #put(version: NewObjectVersion, options: PutVersionOptions): PutVersionResult {
    if (!this.#buckets.has(version.bucket)) throw noSuchBucket(version.bucket);
    const keyHex = objectKeyHex(version.key);
    const same = (row: VersionRow, versionId: string) =>
      row.version.bucket === version.bucket &&
      row.keyHex === keyHex &&
      row.version.versionId === versionId;
    const replacedRow = options.versioned
      ? undefined
      : this.#versions.find((row) => same(row, nullVersionId));
    if (this.#versions.some((row) => row !== replacedRow && same(row, version.versionId))) {
      throw new Error(`duplicate version id ${version.versionId}`);
    }
    this.#versions = this.#versions.filter((row) => row !== replacedRow);
    const row: VersionRow = { seq: ++this.#seq, keyHex, version: copy(version) };
    this.#versions.push(row);
    return { version: this.#toVersion(row), replaced: copy(replacedRow?.version.parts ?? []) };
  }

  #inBucket(bucket: string, prefix: string): VersionRow[] {
    const prefixHex = objectKeyHex(prefix);
    return this.#versions.filter(
      (row) => row.version.bucket === bucket && row.keyHex.startsWith(prefixHex),
    );
  }

  #isLatest(row: VersionRow): boolean {
    return !this.#versions.some(
      (other) =>
        other.version.bucket === row.version.bucket &&
        other.keyHex === row.keyHex &&
        other.seq > row.seq,
    );
  }

  #toVersion(row: VersionRow): ObjectVersion {
    return { ...copy(row.version), isLatest: this.#isLatest(row) };
  }
}

/** Uploads of one key: by initiation, then upload id. */
function compareUploads(a: UploadRow, b: UploadRow): number {
  return (
    a.upload.initiatedAt - b.upload.initiatedAt || compare(a.upload.uploadId, b.upload.uploadId)
  );
}

/** Code-unit order: byte order for hex and for the ASCII names and ids compared here. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What is stored or handed out is never shared with the caller. */
function copy<T>(value: T): T {
  return structuredClone(value);
}
