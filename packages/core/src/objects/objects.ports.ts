import type {
  Bucket,
  MultipartUpload,
  ObjectPart,
  ObjectVersion,
  UploadedPart,
  Versioning,
} from './object.model.ts';

/** The version id of objects written while versioning was never enabled or is suspended. */
export const nullVersionId = 'null';

/** A version as the service writes it; the store decides whether it is the latest. */
export type NewObjectVersion = Omit<ObjectVersion, 'isLatest'>;

export interface PutVersionOptions {
  /**
   * True when the bucket's versioning is Enabled: the version (with a generated id) becomes the
   * latest and older ones stay. False (Unversioned, Suspended): the version's id is `null`, and
   * the key's existing `null` version, if any, is replaced.
   */
  readonly versioned: boolean;
}

export interface PutVersionResult {
  readonly version: ObjectVersion;
  /** The bytes of the version this one replaced, for the caller to delete once committed. */
  readonly replaced: readonly ObjectPart[];
}

export interface CompleteUploadResult extends PutVersionResult {
  /** The upload's parts the object does not use, for the caller to delete. */
  readonly unused: readonly ObjectPart[];
}

export interface ListLatestQuery {
  readonly bucket: string;
  /** Only keys that begin with this ('' for all). */
  readonly prefix: string;
  /** Only keys after this one, in UTF-8 byte order. */
  readonly after: string | undefined;
  /** With `after`: also skip every key that begins with it (resuming after a common prefix). */
  readonly afterPrefixed?: boolean | undefined;
  readonly limit: number;
}

export interface ListVersionsQuery {
  readonly bucket: string;
  readonly prefix: string;
  /** Only versions of keys after this one… */
  readonly keyMarker: string | undefined;
  /**
   * …and, with this, the versions of `keyMarker` older than this one first. When `keyMarker`
   * has no such version (it was deleted since), the listing resumes with the next key.
   */
  readonly versionIdMarker: string | undefined;
  /** With `keyMarker` and no version id marker: skip every key that begins with it. */
  readonly afterPrefixed?: boolean | undefined;
  readonly limit: number;
}

export interface ListPartsQuery {
  /** Only parts with a greater number. */
  readonly after: number | undefined;
  readonly limit: number;
}

export interface ListUploadsQuery {
  readonly prefix: string;
  /** Only uploads of keys after this one… */
  readonly keyMarker: string | undefined;
  /** …and, with this, the uploads of `keyMarker` initiated after this one first. */
  readonly uploadIdMarker: string | undefined;
  /** With `keyMarker` and no upload id marker: skip every key that begins with it. */
  readonly afterPrefixed?: boolean | undefined;
  readonly limit: number;
}

/**
 * Buckets, object versions and multipart uploads: the metadata. Bytes live in a `BlobStore`
 * under keys the service chooses; this store only records them (`ObjectPart.blobKey`), and
 * whatever it removes or replaces is handed back so the caller deletes the blobs after the
 * change is committed (a blob without a row is garbage; a row without its blob is a broken
 * object, so blobs are written before and deleted after).
 *
 * Keys are any UTF-8 string, NUL included, listed in UTF-8 byte order: SQL stores keep them as
 * `objectKeyHex` (see object-keys.ts). Versions of one key are ordered by a sequence the store
 * assigns on write (never by timestamps): the newest is the latest.
 */
export interface ObjectMetadataStore {
  /** Bucket names are global to the installation: AlreadyExists (`bucket-exists-owned`) when taken. */
  createBucket(bucket: Bucket): Promise<void>;
  findBucket(name: string): Promise<Bucket | undefined>;
  /** The account's buckets, by name. */
  listBuckets(accountId: string): Promise<Bucket[]>;
  /**
   * False when there was no bucket. Conflict (`bucket-not-empty`) while it holds any version,
   * delete marker or multipart upload.
   */
  deleteBucket(name: string): Promise<boolean>;
  /** False when there is no bucket. */
  setVersioning(name: string, versioning: Versioning): Promise<boolean>;

  /** Atomically writes a version (see `PutVersionOptions`). NotFound (`bucket`) without bucket. */
  putVersion(version: NewObjectVersion, options: PutVersionOptions): Promise<PutVersionResult>;
  /** The latest version (possibly a delete marker) when `versionId` is omitted. */
  findVersion(bucket: string, key: string, versionId?: string): Promise<ObjectVersion | undefined>;
  /** Removes one version or delete marker and returns it (its parts are the caller's to delete). */
  deleteVersion(bucket: string, key: string, versionId: string): Promise<ObjectVersion | undefined>;
  /** The latest version of each key, leaving out keys whose latest is a delete marker. */
  listLatest(query: ListLatestQuery): Promise<ObjectVersion[]>;
  /** Every version and delete marker: by key, then newest first. */
  listVersions(query: ListVersionsQuery): Promise<ObjectVersion[]>;

  /** NotFound (`bucket`) without bucket. */
  createUpload(upload: MultipartUpload): Promise<void>;
  findUpload(uploadId: string): Promise<MultipartUpload | undefined>;
  /**
   * Records a part, replacing the one with the same number, which is returned (its blob is the
   * caller's to delete). NotFound (`upload`) when the upload was completed or aborted.
   */
  putPart(part: UploadedPart): Promise<UploadedPart | undefined>;
  /** By part number. */
  listParts(uploadId: string, query: ListPartsQuery): Promise<UploadedPart[]>;
  /** By key, then by initiation (then upload id). */
  listUploads(bucket: string, query: ListUploadsQuery): Promise<MultipartUpload[]>;
  /**
   * Atomically removes the upload and its parts and puts `version` as `putVersion` does.
   * NotFound (`upload`) when the upload is gone, so of two concurrent completes one fails.
   * InvalidInput (`part`), changing nothing, when the version uses a blob that is not one of
   * the upload's parts at that moment (a part replaced since the caller listed them).
   */
  completeUpload(
    uploadId: string,
    version: NewObjectVersion,
    options: PutVersionOptions,
  ): Promise<CompleteUploadResult>;
  /** Removes the upload and returns its parts (their blobs are the caller's to delete). */
  abortUpload(uploadId: string): Promise<UploadedPart[] | undefined>;
}
