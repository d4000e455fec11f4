import { AppErrorKind } from '../errors/app-error.ts';
import type { Scope } from '../source/source.deps.ts';
import { type Bucket, objectKeyProblem, type ObjectPart } from './object.model.ts';
import { isWellFormedKey } from './object-keys.ts';
import type { BodyDescription, ExpectedDigests, ObjectsDeps } from './objects.deps.ts';
import { invalidObjectInput, noSuchBucket, ObjectSubject, objectError } from './objects.errors.ts';
import { nullVersionId } from './objects.ports.ts';

/** What the parts of the service share. */
export interface ObjectsContext {
  readonly deps: ObjectsDeps;
  readonly minPartSize: number;
}

/** The bucket, when it exists and belongs to the caller's account. */
export async function requireBucket(
  context: ObjectsContext,
  scope: Scope,
  name: string,
): Promise<Bucket> {
  const bucket = await context.deps.metadata.findBucket(name);
  if (bucket === undefined) throw noSuchBucket(name);
  if (bucket.accountId !== scope.accountId) {
    throw objectError(AppErrorKind.AccessDenied, ObjectSubject.Bucket, 'Access Denied');
  }
  return bucket;
}

export function checkKey(key: string): void {
  if (!isWellFormedKey(key)) {
    throw invalidObjectInput(ObjectSubject.Key, 'Object keys must be valid UTF-8');
  }
  const problem = objectKeyProblem(key);
  if (problem === undefined) return;
  if (key.length > 0) {
    throw invalidObjectInput(ObjectSubject.KeyTooLong, 'Your key is too long');
  }
  throw invalidObjectInput(ObjectSubject.Key, `The object key ${problem}`);
}

/** `null`, or an id this service generates (32 lowercase hex digits). */
export function checkVersionId(versionId: string): void {
  if (versionId !== nullVersionId && !/^[0-9a-f]{32}$/.test(versionId)) {
    throw invalidObjectInput(ObjectSubject.VersionId, 'Invalid version id specified');
  }
}

export function newVersionId(context: ObjectsContext): string {
  return context.deps.random.uuid().replaceAll('-', '');
}

export function newBlobKey(context: ObjectsContext): string {
  return `objects/${context.deps.random.uuid()}`;
}

export interface WrittenBlob {
  readonly blobKey: string;
  readonly size: number;
  readonly description: BodyDescription;
}

/**
 * Writes a body to a fresh blob and describes it. When the body fails, the description throws
 * or disagrees with the digests the client sent, the blob is deleted and the error rethrown.
 */
export async function writeBlob(
  context: ObjectsContext,
  body: AsyncIterable<Uint8Array>,
  describe: () => BodyDescription,
  expected: ExpectedDigests | undefined,
): Promise<WrittenBlob> {
  const blobKey = newBlobKey(context);
  try {
    const { size } = await context.deps.blobs.put(blobKey, body);
    const description = describe();
    checkDigests(description, expected);
    return { blobKey, size, description };
  } catch (error) {
    await deleteBlobs(context, [{ blobKey, size: 0 }]);
    throw error;
  }
}

function checkDigests(actual: BodyDescription, expected: ExpectedDigests | undefined): void {
  if (expected === undefined) return;
  if (expected.md5Hex !== undefined && expected.md5Hex.toLowerCase() !== actual.md5Hex) {
    throw invalidObjectInput(
      ObjectSubject.Digest,
      'The Content-MD5 you specified did not match what we received.',
    );
  }
  for (const [name, value] of Object.entries(expected.checksums ?? {})) {
    const computed = (actual.checksums as Record<string, string | undefined>)[name];
    if (typeof value === 'string' && computed !== undefined && computed !== value) {
      throw invalidObjectInput(
        ObjectSubject.Digest,
        `The ${name.toUpperCase()} you specified did not match the calculated checksum.`,
      );
    }
  }
}

/** Best effort: a blob left behind is garbage, never a broken object. */
export async function deleteBlobs(
  context: ObjectsContext,
  parts: readonly ObjectPart[],
): Promise<void> {
  for (const { blobKey } of parts) {
    try {
      await context.deps.blobs.delete(blobKey);
    } catch (error) {
      context.deps.onBlobDeleteFailed?.(blobKey, error);
    }
  }
}

/** An empty object's headers and metadata, copied so callers' records are not shared. */
export function record(
  value: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  return { ...(value ?? {}) };
}
