import { AppErrorKind } from '../errors/app-error.ts';
import type { Scope } from '../source/source.deps.ts';
import type { ObjectVersion } from './object.model.ts';
import {
  type ByteRangeRequest,
  missingBlob,
  openSlices,
  partRange,
  type ResolvedRange,
  resolveRange,
  sliceParts,
} from './object-bytes.ts';
import { checkKey, checkVersionId, requireBucket, type ObjectsContext } from './objects.context.ts';
import {
  invalidObjectInput,
  ObjectSubject,
  objectNotFound,
  ObjectVersionError,
} from './objects.errors.ts';
import { evaluatePreconditions, PreconditionOutcome, type Preconditions } from './preconditions.ts';

export interface HeadObjectInput {
  readonly scope: Scope;
  readonly bucket: string;
  readonly key: string;
  /** The latest version when omitted. */
  readonly versionId?: string | undefined;
  readonly range?: ByteRangeRequest | undefined;
  /** GetObject's `partNumber`: that part of a multipart object (1 for any other object). */
  readonly partNumber?: number | undefined;
  /** Evaluated before the range, as RFC 7233 says. */
  readonly conditions?: Preconditions | undefined;
}

export type GetObjectInput = HeadObjectInput;

export interface HeadObjectOutput {
  readonly version: ObjectVersion;
  /** Set when a range or part number was asked for: answer 206 with this Content-Range. */
  readonly range: ResolvedRange | undefined;
}

export interface GetObjectOutput extends HeadObjectOutput {
  readonly body: AsyncIterable<Uint8Array>;
}

/** Tries when a version's blob is gone because the object was replaced meanwhile. */
const readAttempts = 3;

/**
 * The version a read names. NotFound `key` when there is none; NotFound `version` for an
 * unknown version id; for a delete marker, an ObjectVersionError carrying it: NotFound
 * `delete-marker` when it is the latest, `delete-marker-version` when asked for by id.
 */
export async function findReadableVersion(
  context: ObjectsContext,
  scope: Scope,
  bucket: string,
  key: string,
  versionId: string | undefined,
): Promise<ObjectVersion> {
  await requireBucket(context, scope, bucket);
  checkKey(key);
  if (versionId !== undefined) checkVersionId(versionId);
  const version = await context.deps.metadata.findVersion(bucket, key, versionId);
  if (version === undefined) {
    throw versionId === undefined
      ? objectNotFound(ObjectSubject.Key, 'The specified key does not exist.')
      : objectNotFound(ObjectSubject.Version, 'The specified version does not exist.');
  }
  if (version.isDeleteMarker) {
    throw versionId === undefined
      ? new ObjectVersionError(
          AppErrorKind.NotFound,
          ObjectSubject.DeleteMarker,
          'The specified key does not exist.',
          version,
        )
      : new ObjectVersionError(
          AppErrorKind.InvalidInput,
          ObjectSubject.DeleteMarkerVersion,
          'The specified method is not allowed against this resource.',
          version,
        );
  }
  return version;
}

/**
 * Throws an ObjectVersionError carrying the version when the conditions fail: Conflict
 * `not-modified` (304) or Conflict `precondition` (412).
 */
export function checkPreconditions(
  version: ObjectVersion,
  conditions: Preconditions | undefined,
  method: string,
): void {
  if (conditions === undefined) return;
  const outcome = evaluatePreconditions(version, conditions, method);
  if (outcome === PreconditionOutcome.Ok) return;
  throw outcome === PreconditionOutcome.NotModified
    ? new ObjectVersionError(
        AppErrorKind.Conflict,
        ObjectSubject.NotModified,
        'Not Modified',
        version,
      )
    : new ObjectVersionError(
        AppErrorKind.Conflict,
        ObjectSubject.Precondition,
        'At least one of the pre-conditions you specified did not hold',
        version,
      );
}

export class ObjectReads {
  readonly #context: ObjectsContext;

  constructor(context: ObjectsContext) {
    this.#context = context;
  }

  async headObject(input: HeadObjectInput): Promise<HeadObjectOutput> {
    const version = await findReadableVersion(
      this.#context,
      input.scope,
      input.bucket,
      input.key,
      input.versionId,
    );
    checkPreconditions(version, input.conditions, 'HEAD');
    return { version, range: rangeOf(version, input) };
  }

  /**
   * The version and its bytes (or the range asked for), streamed part after part. The first
   * blob is open when this returns; should it be gone (the object was just replaced and its
   * old blob deleted), the latest version is looked up again.
   */
  async getObject(input: GetObjectInput): Promise<GetObjectOutput> {
    for (let attempt = 1; ; attempt++) {
      const version = await findReadableVersion(
        this.#context,
        input.scope,
        input.bucket,
        input.key,
        input.versionId,
      );
      checkPreconditions(version, input.conditions, 'GET');
      const range = rangeOf(version, input);
      const slices = sliceParts(version.parts, range);
      const body = await openSlices(this.#context.deps.blobs, slices);
      if (body !== undefined) return { version, range, body };
      if (attempt >= readAttempts) throw missingBlob(slices[0]?.blobKey ?? '');
    }
  }
}

function rangeOf(version: ObjectVersion, input: HeadObjectInput): ResolvedRange | undefined {
  if (input.partNumber !== undefined) {
    if (input.range !== undefined) {
      throw invalidObjectInput(
        ObjectSubject.Argument,
        'Cannot specify both Range header and partNumber query parameter',
      );
    }
    return partRange(version, input.partNumber);
  }
  return input.range === undefined ? undefined : resolveRange(version.size, input.range);
}
