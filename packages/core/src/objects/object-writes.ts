import { type AppError, isAppError } from '../errors/app-error.ts';
import type { Scope } from '../source/source.deps.ts';
import { type Bucket, type ObjectPart, type ObjectVersion, Versioning } from './object.model.ts';
import { missingBlob } from './object-bytes.ts';
import { checkPreconditions, findReadableVersion } from './object-reads.ts';
import type { BodyDescription, ExpectedDigests } from './objects.deps.ts';
import {
  checkKey,
  checkVersionId,
  deleteBlobs,
  newBlobKey,
  newVersionId,
  record,
  requireBucket,
  writeBlob,
  type ObjectsContext,
} from './objects.context.ts';
import { invalidObjectInput, ObjectSubject } from './objects.errors.ts';
import { type NewObjectVersion, nullVersionId, type PutVersionResult } from './objects.ports.ts';
import type { Preconditions } from './preconditions.ts';

export interface PutObjectInput {
  readonly scope: Scope;
  readonly bucket: string;
  readonly key: string;
  /** The body as the door's hashing stream passes it on. */
  readonly body: AsyncIterable<Uint8Array>;
  /** Called once the body is fully written: the ETag and checksums come from it. */
  readonly describe: () => BodyDescription;
  /** What the client said the digests are: BadDigest (`digest`), storing nothing, otherwise. */
  readonly expected?: ExpectedDigests | undefined;
  readonly contentType?: string | undefined;
  /** Content-Encoding, Cache-Control, Content-Disposition, Content-Language, Expires … */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** `x-amz-meta-*` without the prefix, lower-cased. */
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}

export interface ObjectLocation {
  readonly bucket: string;
  readonly key: string;
}

export interface DeleteObjectInput extends ObjectLocation {
  readonly scope: Scope;
  readonly versionId?: string | undefined;
}

export interface DeleteObjectOutput {
  /** Whether a delete marker was created, or the version removed was one. */
  readonly deleteMarker: boolean;
  /** The marker created or the version removed; undefined for an unversioned delete. */
  readonly versionId: string | undefined;
}

export interface ObjectToDelete {
  readonly key: string;
  readonly versionId?: string | undefined;
}

/** One key of a DeleteObjects request: what happened, or the error it met. */
export type DeleteObjectsResult =
  | {
      readonly key: string;
      readonly versionId: string | undefined;
      readonly deleted: DeleteObjectOutput;
    }
  | { readonly key: string; readonly versionId: string | undefined; readonly error: AppError };

export const MetadataDirective = { Copy: 'COPY', Replace: 'REPLACE' } as const;
export type MetadataDirective = (typeof MetadataDirective)[keyof typeof MetadataDirective];

export interface CopyObjectInput {
  readonly scope: Scope;
  readonly source: ObjectLocation & { readonly versionId?: string | undefined };
  readonly target: ObjectLocation;
  /** COPY (the default) keeps the source's content type, headers and metadata. */
  readonly metadataDirective?: MetadataDirective | undefined;
  readonly contentType?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly metadata?: Readonly<Record<string, string>> | undefined;
  /** `x-amz-copy-source-if-*`: any failure is PreconditionFailed (412). */
  readonly sourceConditions?: Preconditions | undefined;
}

export interface CopyObjectOutput {
  readonly version: ObjectVersion;
  readonly sourceVersion: ObjectVersion;
}

/** The most keys one DeleteObjects request may name. */
export const maxKeysPerDelete = 1000;
const copyAttempts = 3;

export class ObjectWrites {
  readonly #context: ObjectsContext;

  constructor(context: ObjectsContext) {
    this.#context = context;
  }

  /**
   * Writes the body to a fresh blob, then records the version; the blobs of the version it
   * replaced are deleted after. A body that fails leaves nothing behind.
   */
  async putObject(input: PutObjectInput): Promise<ObjectVersion> {
    const bucket = await requireBucket(this.#context, input.scope, input.bucket);
    checkKey(input.key);
    const blob = await writeBlob(this.#context, input.body, input.describe, input.expected);
    const versioned = bucket.versioning === Versioning.Enabled;
    return this.#commit(
      {
        bucket: bucket.name,
        key: input.key,
        versionId: versioned ? newVersionId(this.#context) : nullVersionId,
        isDeleteMarker: false,
        parts: [{ blobKey: blob.blobKey, size: blob.size }],
        size: blob.size,
        etag: `"${blob.description.md5Hex}"`,
        contentType: input.contentType,
        headers: record(input.headers),
        metadata: record(input.metadata),
        checksums: { ...blob.description.checksums },
        lastModified: this.#context.deps.clock.now(),
        partCount: undefined,
      },
      versioned,
    );
  }

  /**
   * S3's DeleteObject. With a version id, removes that version (or delete marker). Without one:
   * in an unversioned bucket removes the object (no error when there is none); with versioning
   * enabled adds a delete marker; suspended, adds a `null` delete marker replacing the `null`
   * version.
   */
  async deleteObject(input: DeleteObjectInput): Promise<DeleteObjectOutput> {
    const bucket = await requireBucket(this.#context, input.scope, input.bucket);
    return this.#delete(bucket, input.key, input.versionId);
  }

  /** S3's DeleteObjects: the bucket's errors fail the request, a key's only its result. */
  async deleteObjects(
    scope: Scope,
    bucketName: string,
    objects: readonly ObjectToDelete[],
  ): Promise<DeleteObjectsResult[]> {
    if (objects.length === 0 || objects.length > maxKeysPerDelete) {
      throw invalidObjectInput(
        ObjectSubject.Malformed,
        `A DeleteObjects request names 1 to ${maxKeysPerDelete} keys`,
      );
    }
    const bucket = await requireBucket(this.#context, scope, bucketName);
    const results: DeleteObjectsResult[] = [];
    for (const { key, versionId } of objects) {
      try {
        results.push({ key, versionId, deleted: await this.#delete(bucket, key, versionId) });
      } catch (error) {
        if (!isAppError(error)) throw error;
        results.push({ key, versionId, error });
      }
    }
    return results;
  }

  /**
   * Copies the source's bytes into new blobs, part by part (blobs are never shared between
   * versions, so deleting one never breaks another), keeping its ETag and checksums.
   */
  async copyObject(input: CopyObjectInput): Promise<CopyObjectOutput> {
    const { source, target } = input;
    const targetBucket = await requireBucket(this.#context, input.scope, target.bucket);
    checkKey(target.key);
    const directive = input.metadataDirective ?? MetadataDirective.Copy;
    if (directive !== MetadataDirective.Copy && directive !== MetadataDirective.Replace) {
      throw invalidObjectInput(ObjectSubject.Argument, 'Unknown metadata directive.');
    }
    const replace = directive === MetadataDirective.Replace;
    for (let attempt = 1; ; attempt++) {
      const sourceVersion = await findReadableVersion(
        this.#context,
        input.scope,
        source.bucket,
        source.key,
        source.versionId,
      );
      checkPreconditions(sourceVersion, input.sourceConditions, 'PUT');
      if (!replace && source.bucket === target.bucket && source.key === target.key) {
        throw invalidObjectInput(
          ObjectSubject.CopyToItself,
          "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
        );
      }
      const parts = await this.#copyParts(sourceVersion.parts);
      if (parts === undefined) {
        if (attempt >= copyAttempts) throw missingBlob(sourceVersion.parts[0]?.blobKey ?? '');
        continue;
      }
      const versioned = targetBucket.versioning === Versioning.Enabled;
      const version = await this.#commit(
        {
          bucket: targetBucket.name,
          key: target.key,
          versionId: versioned ? newVersionId(this.#context) : nullVersionId,
          isDeleteMarker: false,
          parts,
          size: sourceVersion.size,
          etag: sourceVersion.etag,
          contentType: replace ? input.contentType : sourceVersion.contentType,
          headers: record(replace ? input.headers : sourceVersion.headers),
          metadata: record(replace ? input.metadata : sourceVersion.metadata),
          checksums: { ...sourceVersion.checksums },
          lastModified: this.#context.deps.clock.now(),
          partCount: sourceVersion.partCount,
        },
        versioned,
      );
      return { version, sourceVersion };
    }
  }

  async #delete(bucket: Bucket, key: string, versionId: string | undefined) {
    checkKey(key);
    const { metadata } = this.#context.deps;
    if (versionId !== undefined) {
      checkVersionId(versionId);
      const removed = await metadata.deleteVersion(bucket.name, key, versionId);
      if (removed !== undefined) await deleteBlobs(this.#context, removed.parts);
      return { deleteMarker: removed?.isDeleteMarker ?? false, versionId };
    }
    if (bucket.versioning === Versioning.Unversioned) {
      const removed = await metadata.deleteVersion(bucket.name, key, nullVersionId);
      if (removed !== undefined) await deleteBlobs(this.#context, removed.parts);
      return { deleteMarker: false, versionId: undefined };
    }
    const versioned = bucket.versioning === Versioning.Enabled;
    const marker = await this.#commit(
      {
        bucket: bucket.name,
        key,
        versionId: versioned ? newVersionId(this.#context) : nullVersionId,
        isDeleteMarker: true,
        parts: [],
        size: 0,
        etag: '',
        contentType: undefined,
        headers: {},
        metadata: {},
        checksums: {},
        lastModified: this.#context.deps.clock.now(),
        partCount: undefined,
      },
      versioned,
    );
    return { deleteMarker: true, versionId: marker.versionId };
  }

  /** New blobs holding the parts' bytes; undefined when a source blob is gone. */
  async #copyParts(parts: readonly ObjectPart[]): Promise<ObjectPart[] | undefined> {
    const { blobs } = this.#context.deps;
    const copied: ObjectPart[] = [];
    try {
      for (const part of parts) {
        const body = await blobs.get(part.blobKey);
        if (body === undefined) {
          await deleteBlobs(this.#context, copied);
          return undefined;
        }
        const blobKey = newBlobKey(this.#context);
        copied.push({ blobKey, size: 0 });
        const { size } = await blobs.put(blobKey, body);
        copied[copied.length - 1] = { blobKey, size };
      }
    } catch (error) {
      await deleteBlobs(this.#context, copied);
      throw error;
    }
    return copied;
  }

  /** Records the version, then deletes the blobs it replaced. */
  async #commit(version: NewObjectVersion, versioned: boolean): Promise<ObjectVersion> {
    const result = await commitVersion(this.#context, version, versioned);
    return result.version;
  }
}

/**
 * `putVersion`, deleting the version's own blobs when the store definitely refused it (an
 * AppError: no bucket any more) and the replaced version's blobs once it is committed. Other
 * failures leave the blobs alone: the row may have been committed after all.
 */
export async function commitVersion(
  context: ObjectsContext,
  version: NewObjectVersion,
  versioned: boolean,
): Promise<PutVersionResult> {
  let result: PutVersionResult;
  try {
    result = await context.deps.metadata.putVersion(version, { versioned });
  } catch (error) {
    if (isAppError(error)) await deleteBlobs(context, version.parts);
    throw error;
  }
  await deleteBlobs(context, result.replaced);
  return result;
}
