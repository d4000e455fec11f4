import type { Clock } from '../platform/clock.ts';
import type { Random } from '../platform/random.ts';
import type { BlobStore } from './blob.ports.ts';
import type { Checksums } from './object.model.ts';
import type { ObjectMetadataStore } from './objects.ports.ts';

/** What the door's hashing stream computed over a body it has fully passed on. */
export interface BodyDescription {
  /** Lowercase hex MD5 of the bytes: the ETag, quoted, of a single-part object or a part. */
  readonly md5Hex: string;
  /** Base64, as on the wire; whichever the request asked for (or the door always computes). */
  readonly checksums: Checksums;
}

/** A body wrapped in a hashing stream: `describe` is valid once `body` is fully read. */
export interface HashedBody {
  readonly body: AsyncIterable<Uint8Array>;
  readonly describe: () => BodyDescription;
}

/** Digests the client sent (Content-MD5, `x-amz-checksum-*`), checked against what was hashed. */
export interface ExpectedDigests {
  readonly md5Hex?: string | undefined;
  readonly checksums?: Checksums | undefined;
}

/**
 * The core does no hashing of its own (no I/O, no node:crypto): the server passes functions
 * built on node:crypto, tests may pass the same.
 */
export interface ObjectsDeps {
  readonly metadata: ObjectMetadataStore;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly random: Random;
  /** Lowercase hex MD5 of a few bytes (the concatenated part MD5s of a multipart ETag). */
  readonly md5: (bytes: Uint8Array) => string;
  /** Wraps a body in a hashing stream; used where the service itself moves bytes (part copy). */
  readonly hashBody: (body: AsyncIterable<Uint8Array>) => HashedBody;
  /** Told when a blob that is no longer referenced could not be deleted (it is then garbage). */
  readonly onBlobDeleteFailed?: ((blobKey: string, error: unknown) => void) | undefined;
}

export interface ObjectsOptions {
  /** Every part but the last must be at least this big: 5 MiB in S3; tests lower it. */
  readonly minPartSize?: number | undefined;
}

export const defaultMinPartSize = 5 * 1024 * 1024;
