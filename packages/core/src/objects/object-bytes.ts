import { AppErrorKind } from '../errors/app-error.ts';
import type { BlobStore } from './blob.ports.ts';
import type { ObjectPart, ObjectVersion } from './object.model.ts';
import { invalidObjectInput, ObjectSubject, objectError } from './objects.errors.ts';

/** A `Range: bytes=…` request as the door parsed it: `start-[end]` or `-suffixLength`. */
export type ByteRangeRequest =
  { readonly start: number; readonly end?: number | undefined } | { readonly suffixLength: number };

/** The bytes served, inclusive, out of `total`: the `Content-Range` of a 206. */
export interface ResolvedRange {
  readonly start: number;
  readonly end: number;
  readonly total: number;
}

/**
 * Resolves a range against an object's size. `end` is clamped to the last byte and a suffix
 * longer than the object is the whole object; a range starting at or past the end (or any
 * range of an empty object) is InvalidRange. A range whose end precedes its start is not a
 * valid range at all and is ignored, as RFC 7233 says (undefined: serve the whole object).
 */
export function resolveRange(size: number, request: ByteRangeRequest): ResolvedRange | undefined {
  const unsatisfiable = () =>
    invalidObjectInput(ObjectSubject.Range, 'The requested range is not satisfiable');
  if ('suffixLength' in request) {
    if (!Number.isSafeInteger(request.suffixLength) || request.suffixLength < 0) return undefined;
    if (request.suffixLength === 0 || size === 0) throw unsatisfiable();
    return { start: Math.max(0, size - request.suffixLength), end: size - 1, total: size };
  }
  const { start, end } = request;
  if (!Number.isSafeInteger(start) || start < 0) return undefined;
  if (end !== undefined && (!Number.isSafeInteger(end) || end < start)) return undefined;
  if (start >= size) throw unsatisfiable();
  return { start, end: Math.min(end ?? size - 1, size - 1), total: size };
}

/** The bytes of part `partNumber` (1-based) of a multipart object, as a range. */
export function partRange(version: ObjectVersion, partNumber: number): ResolvedRange {
  const count = version.parts.length;
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > Math.max(count, 1)) {
    throw invalidObjectInput(ObjectSubject.Range, 'The requested partnumber is not satisfiable');
  }
  let start = 0;
  for (const part of version.parts.slice(0, partNumber - 1)) start += part.size;
  const size = version.parts[partNumber - 1]?.size ?? 0;
  if (size === 0) {
    throw invalidObjectInput(ObjectSubject.Range, 'The requested partnumber is not satisfiable');
  }
  return { start, end: start + size - 1, total: version.size };
}

/** A blob stretch to read: the part's blob, and the inclusive range inside it. */
export interface PartSlice {
  readonly blobKey: string;
  readonly start: number;
  readonly end: number;
}

/** The slices of the parts that hold bytes `range` of the object (all of them without range). */
export function sliceParts(parts: readonly ObjectPart[], range?: ResolvedRange): PartSlice[] {
  const slices: PartSlice[] = [];
  let offset = 0;
  for (const part of parts) {
    const first = offset;
    const last = offset + part.size - 1;
    offset += part.size;
    if (part.size === 0) continue;
    const start = Math.max(first, range?.start ?? first);
    const end = Math.min(last, range?.end ?? last);
    if (start > end) continue;
    slices.push({ blobKey: part.blobKey, start: start - first, end: end - first });
  }
  return slices;
}

/**
 * Streams slices in order. The first blob is opened before this returns (so a missing blob is
 * reported before a response starts, and the caller can look again); the others as they come.
 */
export async function openSlices(
  blobs: BlobStore,
  slices: readonly PartSlice[],
): Promise<AsyncIterable<Uint8Array> | undefined> {
  const [first, ...rest] = slices;
  if (first === undefined) return empty();
  const opened = await blobs.get(first.blobKey, { start: first.start, end: first.end });
  if (opened === undefined) return undefined;
  return concatenate(blobs, opened, rest);
}

async function* concatenate(
  blobs: BlobStore,
  first: AsyncIterable<Uint8Array>,
  rest: readonly PartSlice[],
): AsyncIterable<Uint8Array> {
  yield* first;
  for (const slice of rest) {
    const body = await blobs.get(slice.blobKey, { start: slice.start, end: slice.end });
    if (body === undefined) throw missingBlob(slice.blobKey);
    yield* body;
  }
}

// eslint-disable-next-line require-yield
async function* empty(): AsyncIterable<Uint8Array> {
  await Promise.resolve();
}

export function missingBlob(blobKey: string) {
  return objectError(AppErrorKind.Internal, ObjectSubject.Blob, `The bytes of ${blobKey} are gone`);
}
