import type { Scope } from '../source/source.deps.ts';
import type { MultipartUpload, ObjectVersion } from './object.model.ts';
import {
  checkMaxKeys,
  decodeContinuationToken,
  encodeContinuationToken,
  rollup,
  startAfter,
} from './listing.ts';
import { checkVersionId, requireBucket, type ObjectsContext } from './objects.context.ts';
import { invalidObjectInput, ObjectSubject } from './objects.errors.ts';

export interface ListObjectsInput {
  readonly scope: Scope;
  readonly bucket: string;
  readonly prefix?: string | undefined;
  readonly delimiter?: string | undefined;
  /** ListObjectsV2 `start-after`, or ListObjects (V1) `marker`. Ignored with a token. */
  readonly startAfter?: string | undefined;
  readonly continuationToken?: string | undefined;
  /** 0 to 1,000 (more is 1,000); 1,000 when absent. */
  readonly maxKeys?: number | undefined;
}

export interface ListObjectsOutput {
  /** Latest versions that are not delete markers, in UTF-8 byte order of key. */
  readonly contents: ObjectVersion[];
  /** Each once, in order. */
  readonly commonPrefixes: string[];
  readonly isTruncated: boolean;
  /** Set when truncated. */
  readonly nextContinuationToken: string | undefined;
  /** ListObjects (V1) `NextMarker`: the last key or common prefix, when truncated. */
  readonly nextMarker: string | undefined;
  /** Contents plus common prefixes. */
  readonly keyCount: number;
}

export interface ListObjectVersionsInput {
  readonly scope: Scope;
  readonly bucket: string;
  readonly prefix?: string | undefined;
  readonly delimiter?: string | undefined;
  readonly keyMarker?: string | undefined;
  /** Only with `keyMarker`. */
  readonly versionIdMarker?: string | undefined;
  readonly maxKeys?: number | undefined;
}

export interface ListObjectVersionsOutput {
  /** Versions and delete markers (`isDeleteMarker`), by key then newest first. */
  readonly versions: ObjectVersion[];
  readonly commonPrefixes: string[];
  readonly isTruncated: boolean;
  /** Set when truncated: the last key (or common prefix) returned… */
  readonly nextKeyMarker: string | undefined;
  /** …and the last version of it (undefined after a common prefix). */
  readonly nextVersionIdMarker: string | undefined;
}

export interface ListMultipartUploadsInput {
  readonly scope: Scope;
  readonly bucket: string;
  readonly prefix?: string | undefined;
  readonly delimiter?: string | undefined;
  readonly keyMarker?: string | undefined;
  /** Only with `keyMarker`. */
  readonly uploadIdMarker?: string | undefined;
  readonly maxUploads?: number | undefined;
}

export interface ListMultipartUploadsOutput {
  /** In progress, by key, then by initiation. */
  readonly uploads: MultipartUpload[];
  readonly commonPrefixes: string[];
  readonly isTruncated: boolean;
  readonly nextKeyMarker: string | undefined;
  readonly nextUploadIdMarker: string | undefined;
}

export class ObjectListing {
  readonly #context: ObjectsContext;

  constructor(context: ObjectsContext) {
    this.#context = context;
  }

  /** ListObjectsV2 (and V1 through `startAfter` = marker, `nextMarker`). */
  async listObjects(input: ListObjectsInput): Promise<ListObjectsOutput> {
    await requireBucket(this.#context, input.scope, input.bucket);
    const maxKeys = checkMaxKeys(input.maxKeys);
    const prefix = input.prefix ?? '';
    const start =
      input.continuationToken === undefined
        ? startAfter(input.startAfter, undefined, prefix, input.delimiter)
        : decodeContinuationToken(input.continuationToken);
    const page = await rollup({
      prefix,
      delimiter: input.delimiter,
      maxKeys,
      start,
      fetch: (after, limit) =>
        this.#context.deps.metadata.listLatest({
          bucket: input.bucket,
          prefix,
          after: after?.key,
          afterPrefixed: after?.skipPrefixed,
          limit,
        }),
      keyOf: (version) => version.key,
      markerOf: () => undefined,
    });
    const { next } = page;
    return {
      contents: page.items,
      commonPrefixes: page.commonPrefixes,
      isTruncated: page.isTruncated,
      nextContinuationToken: next === undefined ? undefined : encodeContinuationToken(next),
      nextMarker: next?.key,
      keyCount: page.items.length + page.commonPrefixes.length,
    };
  }

  async listObjectVersions(input: ListObjectVersionsInput): Promise<ListObjectVersionsOutput> {
    await requireBucket(this.#context, input.scope, input.bucket);
    const maxKeys = checkMaxKeys(input.maxKeys);
    const prefix = input.prefix ?? '';
    const { keyMarker, versionIdMarker } = input;
    if (versionIdMarker !== undefined) {
      if (keyMarker === undefined || keyMarker === '') {
        throw invalidObjectInput(
          ObjectSubject.Argument,
          'A version-id marker cannot be specified without a key marker.',
        );
      }
      checkVersionId(versionIdMarker);
    }
    const page = await rollup({
      prefix,
      delimiter: input.delimiter,
      maxKeys,
      start: startAfter(keyMarker, versionIdMarker, prefix, input.delimiter),
      fetch: (after, limit) =>
        this.#context.deps.metadata.listVersions({
          bucket: input.bucket,
          prefix,
          keyMarker: after?.key,
          versionIdMarker: after?.marker,
          afterPrefixed: after?.skipPrefixed,
          limit,
        }),
      keyOf: (version) => version.key,
      markerOf: (version) => version.versionId,
    });
    return {
      versions: page.items,
      commonPrefixes: page.commonPrefixes,
      isTruncated: page.isTruncated,
      nextKeyMarker: page.next?.key,
      nextVersionIdMarker: page.next?.marker,
    };
  }

  async listMultipartUploads(
    input: ListMultipartUploadsInput,
  ): Promise<ListMultipartUploadsOutput> {
    await requireBucket(this.#context, input.scope, input.bucket);
    const maxUploads = checkMaxKeys(input.maxUploads, 'max-uploads');
    const prefix = input.prefix ?? '';
    const { keyMarker } = input;
    const uploadIdMarker = keyMarker === undefined ? undefined : input.uploadIdMarker;
    const page = await rollup({
      prefix,
      delimiter: input.delimiter,
      maxKeys: maxUploads,
      start: startAfter(keyMarker, uploadIdMarker, prefix, input.delimiter),
      fetch: (after, limit) =>
        this.#context.deps.metadata.listUploads(input.bucket, {
          prefix,
          keyMarker: after?.key,
          uploadIdMarker: after?.marker,
          afterPrefixed: after?.skipPrefixed,
          limit,
        }),
      keyOf: (upload) => upload.key,
      markerOf: (upload) => upload.uploadId,
    });
    return {
      uploads: page.items,
      commonPrefixes: page.commonPrefixes,
      isTruncated: page.isTruncated,
      nextKeyMarker: page.next?.key,
      nextUploadIdMarker: page.next?.marker,
    };
  }
}
