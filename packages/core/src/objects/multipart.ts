import { isAppError } from '../errors/app-error.ts';
import type { Scope } from '../source/source.deps.ts';
import {
  type MultipartUpload,
  type ObjectVersion,
  type UploadedPart,
  Versioning,
} from './object.model.ts';
import { missingBlob, openSlices, sliceParts } from './object-bytes.ts';
import { checkPreconditions, findReadableVersion } from './object-reads.ts';
import type { ObjectLocation } from './object-writes.ts';
import type { BodyDescription, ExpectedDigests } from './objects.deps.ts';
import {
  checkKey,
  deleteBlobs,
  newVersionId,
  record,
  requireBucket,
  writeBlob,
  type ObjectsContext,
  type WrittenBlob,
} from './objects.context.ts';
import { invalidObjectInput, noSuchUpload, ObjectSubject } from './objects.errors.ts';
import { nullVersionId } from './objects.ports.ts';
import { unquoteEtag, type Preconditions } from './preconditions.ts';

export interface CreateMultipartUploadInput extends ObjectLocation {
  readonly scope: Scope;
  readonly contentType?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly metadata?: Readonly<Record<string, string>> | undefined;
  readonly checksumAlgorithm?: string | undefined;
}

/** Names an upload: NoSuchUpload unless it exists for this bucket and key. */
export interface UploadLocation extends ObjectLocation {
  readonly scope: Scope;
  readonly uploadId: string;
}

export interface UploadPartInput extends UploadLocation {
  /** 1 to 10,000. */
  readonly partNumber: number;
  readonly body: AsyncIterable<Uint8Array>;
  readonly describe: () => BodyDescription;
  readonly expected?: ExpectedDigests | undefined;
}

export interface UploadPartCopyInput extends UploadLocation {
  readonly partNumber: number;
  readonly source: ObjectLocation & { readonly versionId?: string | undefined };
  /** `x-amz-copy-source-range`, inclusive; the whole source when absent. */
  readonly range?: { readonly start: number; readonly end: number } | undefined;
  readonly sourceConditions?: Preconditions | undefined;
}

export interface UploadPartCopyOutput {
  readonly part: UploadedPart;
  readonly sourceVersion: ObjectVersion;
}

export interface ListPartsInput extends UploadLocation {
  readonly partNumberMarker?: number | undefined;
  readonly maxParts?: number | undefined;
}

export interface ListPartsOutput {
  readonly upload: MultipartUpload;
  readonly parts: UploadedPart[];
  readonly isTruncated: boolean;
  /** Set when truncated: the last part number listed. */
  readonly nextPartNumberMarker: number | undefined;
}

export interface CompletedPart {
  readonly partNumber: number;
  /** With or without quotes. */
  readonly etag: string;
}

export interface CompleteMultipartUploadInput extends UploadLocation {
  readonly parts: readonly CompletedPart[];
}

export const maxPartNumber = 10_000;
const copyAttempts = 3;

export class MultipartOperations {
  readonly #context: ObjectsContext;

  constructor(context: ObjectsContext) {
    this.#context = context;
  }

  async createMultipartUpload(input: CreateMultipartUploadInput): Promise<MultipartUpload> {
    await requireBucket(this.#context, input.scope, input.bucket);
    checkKey(input.key);
    const upload: MultipartUpload = {
      uploadId: this.#context.deps.random.uuid().replaceAll('-', ''),
      bucket: input.bucket,
      key: input.key,
      contentType: input.contentType,
      headers: record(input.headers),
      metadata: record(input.metadata),
      checksumAlgorithm: input.checksumAlgorithm,
      initiatedAt: this.#context.deps.clock.now(),
    };
    await this.#context.deps.metadata.createUpload(upload);
    return upload;
  }

  /** Stores the part's bytes, replacing (and deleting) a part uploaded before with its number. */
  async uploadPart(input: UploadPartInput): Promise<UploadedPart> {
    checkPartNumber(input.partNumber);
    await this.#requireUpload(input);
    const blob = await writeBlob(this.#context, input.body, input.describe, input.expected);
    return this.#recordPart(input, blob);
  }

  /** UploadPartCopy: the part's bytes come from (a range of) an object. */
  async uploadPartCopy(input: UploadPartCopyInput): Promise<UploadPartCopyOutput> {
    checkPartNumber(input.partNumber);
    await this.#requireUpload(input);
    const { source } = input;
    for (let attempt = 1; ; attempt++) {
      const sourceVersion = await findReadableVersion(
        this.#context,
        input.scope,
        source.bucket,
        source.key,
        source.versionId,
      );
      checkPreconditions(sourceVersion, input.sourceConditions, 'PUT');
      const { range } = input;
      if (range !== undefined && !(0 <= range.start && range.start <= range.end)) {
        throw invalidObjectInput(ObjectSubject.Argument, 'The copy source range is not valid');
      }
      if (range !== undefined && range.end >= sourceVersion.size) {
        throw invalidObjectInput(
          ObjectSubject.Argument,
          `Range specified is not valid for source object of size: ${sourceVersion.size}`,
        );
      }
      const slices = sliceParts(
        sourceVersion.parts,
        range === undefined ? undefined : { ...range, total: sourceVersion.size },
      );
      const body = await openSlices(this.#context.deps.blobs, slices);
      if (body === undefined) {
        if (attempt >= copyAttempts) throw missingBlob(slices[0]?.blobKey ?? '');
        continue;
      }
      const hashed = this.#context.deps.hashBody(body);
      const blob = await writeBlob(this.#context, hashed.body, () => hashed.describe(), undefined);
      return { part: await this.#recordPart(input, blob), sourceVersion };
    }
  }

  async listParts(input: ListPartsInput): Promise<ListPartsOutput> {
    const upload = await this.#requireUpload(input);
    const maxParts = checkMaxParts(input.maxParts);
    const marker = input.partNumberMarker;
    if (marker !== undefined && (!Number.isSafeInteger(marker) || marker < 0)) {
      throw invalidObjectInput(ObjectSubject.Argument, 'Invalid part number marker');
    }
    const listed = await this.#context.deps.metadata.listParts(input.uploadId, {
      after: marker,
      limit: maxParts + 1,
    });
    const parts = listed.slice(0, maxParts);
    const isTruncated = listed.length > maxParts;
    return {
      upload,
      parts,
      isTruncated,
      nextPartNumberMarker: isTruncated ? parts.at(-1)?.partNumber : undefined,
    };
  }

  /**
   * Checks the parts listed (InvalidPartOrder, InvalidPart, EntityTooSmall), then atomically
   * turns the upload into a version whose parts are the upload's part blobs (no copy). Parts
   * not listed are deleted, as is the version replaced. The ETag is the MD5 of the parts'
   * binary MD5s, then `-<number of parts>`.
   */
  async completeMultipartUpload(input: CompleteMultipartUploadInput): Promise<ObjectVersion> {
    const bucket = await requireBucket(this.#context, input.scope, input.bucket);
    const upload = await this.#requireUpload(input);
    if (input.parts.length === 0) {
      throw invalidObjectInput(ObjectSubject.Malformed, 'You must specify at least one part');
    }
    input.parts.forEach((part, i) => {
      const previous = input.parts[i - 1];
      if (previous !== undefined && part.partNumber <= previous.partNumber) {
        throw invalidObjectInput(
          ObjectSubject.PartOrder,
          'The list of parts was not in ascending order. Parts must be ordered by part number.',
        );
      }
    });
    const stored = new Map(
      (
        await this.#context.deps.metadata.listParts(input.uploadId, {
          after: undefined,
          limit: maxPartNumber,
        })
      ).map((part) => [part.partNumber, part]),
    );
    const parts = input.parts.map(({ partNumber, etag }) => {
      const part = stored.get(partNumber);
      if (part === undefined || unquoteEtag(part.etag) !== unquoteEtag(etag)) {
        throw invalidObjectInput(
          ObjectSubject.Part,
          'One or more of the specified parts could not be found. The part may not have been ' +
            "uploaded, or the specified entity tag may not match the part's entity tag.",
        );
      }
      return part;
    });
    parts.slice(0, -1).forEach((part) => {
      if (part.size < this.#context.minPartSize) {
        throw invalidObjectInput(
          ObjectSubject.EntityTooSmall,
          `Your proposed upload is smaller than the minimum allowed object size (part ${part.partNumber}).`,
        );
      }
    });
    const versioned = bucket.versioning === Versioning.Enabled;
    const result = await this.#context.deps.metadata.completeUpload(
      input.uploadId,
      {
        bucket: bucket.name,
        key: upload.key,
        versionId: versioned ? newVersionId(this.#context) : nullVersionId,
        isDeleteMarker: false,
        parts: parts.map(({ blobKey, size }) => ({ blobKey, size })),
        size: parts.reduce((sum, part) => sum + part.size, 0),
        etag: `"${this.#context.deps.md5(concatenatedMd5s(parts))}-${parts.length}"`,
        contentType: upload.contentType,
        headers: record(upload.headers),
        metadata: record(upload.metadata),
        checksums: {},
        lastModified: this.#context.deps.clock.now(),
        partCount: parts.length,
      },
      { versioned },
    );
    await deleteBlobs(this.#context, [...result.replaced, ...result.unused]);
    return result.version;
  }

  async abortMultipartUpload(input: UploadLocation): Promise<void> {
    await this.#requireUpload(input);
    const parts = await this.#context.deps.metadata.abortUpload(input.uploadId);
    if (parts === undefined) throw noSuchUpload(input.uploadId);
    await deleteBlobs(this.#context, parts);
  }

  async #requireUpload(input: UploadLocation): Promise<MultipartUpload> {
    await requireBucket(this.#context, input.scope, input.bucket);
    checkKey(input.key);
    const upload = await this.#context.deps.metadata.findUpload(input.uploadId);
    if (upload === undefined || upload.bucket !== input.bucket || upload.key !== input.key) {
      throw noSuchUpload(input.uploadId);
    }
    return upload;
  }

  async #recordPart(
    input: UploadLocation & { readonly partNumber: number },
    blob: WrittenBlob,
  ): Promise<UploadedPart> {
    const part: UploadedPart = {
      uploadId: input.uploadId,
      partNumber: input.partNumber,
      blobKey: blob.blobKey,
      size: blob.size,
      etag: `"${blob.description.md5Hex}"`,
      checksums: { ...blob.description.checksums },
      lastModified: this.#context.deps.clock.now(),
    };
    let replaced: UploadedPart | undefined;
    try {
      replaced = await this.#context.deps.metadata.putPart(part);
    } catch (error) {
      // The upload was completed or aborted meanwhile: this part's bytes belong to nobody.
      if (isAppError(error)) await deleteBlobs(this.#context, [part]);
      throw error;
    }
    if (replaced !== undefined) await deleteBlobs(this.#context, [replaced]);
    return part;
  }
}

function checkPartNumber(partNumber: number): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > maxPartNumber) {
    throw invalidObjectInput(
      ObjectSubject.PartNumber,
      `Part number must be an integer between 1 and ${maxPartNumber}, inclusive`,
    );
  }
}

function checkMaxParts(value: number | undefined): number {
  if (value === undefined) return 1000;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw invalidObjectInput(
      ObjectSubject.MaxKeys,
      'Provided max-parts not an integer or within integer range',
    );
  }
  return Math.min(value, 1000);
}

/** The parts' MD5s as bytes, one after another: what a multipart ETag is the MD5 of. */
function concatenatedMd5s(parts: readonly UploadedPart[]): Uint8Array {
  const bytes = new Uint8Array(parts.length * 16);
  parts.forEach((part, i) => {
    const hex = unquoteEtag(part.etag);
    for (let j = 0; j < 16; j++) bytes[i * 16 + j] = parseInt(hex.slice(2 * j, 2 * j + 2), 16);
  });
  return bytes;
}
