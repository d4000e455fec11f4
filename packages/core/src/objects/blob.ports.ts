/**
 * Where object bytes live: local disk in embedded mode, an external S3-compatible store in a
 * fleet. Blob keys are chosen by Slipway (never an S3 key or any other user input); object
 * names, versions and metadata live in the relational store and point at blobs.
 */
export interface BlobStore {
  /**
   * Stores `body` under `key`. The blob becomes visible only once the whole body is written
   * and durable; if the body fails (a client disconnect) or the process dies, nothing is
   * visible and the partial bytes are discarded. Writing an existing key replaces it.
   */
  put(key: string, body: AsyncIterable<Uint8Array>): Promise<BlobInfo>;
  /** The blob's bytes, or a byte range of them (inclusive `end`); undefined when absent. */
  get(key: string, range?: ByteRange): Promise<AsyncIterable<Uint8Array> | undefined>;
  stat(key: string): Promise<BlobInfo | undefined>;
  /** Idempotent. */
  delete(key: string): Promise<void>;
}

export interface BlobInfo {
  readonly size: number;
}

/** Inclusive byte offsets, as HTTP ranges are; `end` is clamped to the blob's last byte. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** Blob keys: lowercase letters, digits, `-`, `_` and `/`-separated segments; no `.` segments. */
export function isBlobKey(key: string): boolean {
  return key.length > 0 && key.length <= 512 && /^[a-z0-9_-]+(\/[a-z0-9_-]+)*$/.test(key);
}
