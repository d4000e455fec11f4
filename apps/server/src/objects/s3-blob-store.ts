import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  S3ServiceException,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { isBlobKey, type BlobInfo, type BlobStore, type ByteRange } from '@slipway/core';

export interface S3BlobStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Prepended to every blob key, e.g. `slipway/`; empty for the bucket's root. */
  readonly prefix: string;
}

/**
 * Blobs in an external S3-compatible store (fleet mode). A put is a multipart upload through
 * `@aws-sdk/lib-storage`, which S3 makes visible only on completion and aborts on failure, so
 * a blob is absent or complete as on local disk. Bodies of unknown length stream in 5 MiB parts.
 */
export class S3BlobStore implements BlobStore {
  readonly #options: S3BlobStoreOptions;

  constructor(options: S3BlobStoreOptions) {
    this.#options = options;
  }

  async put(key: string, body: AsyncIterable<Uint8Array>): Promise<BlobInfo> {
    let size = 0;
    const counted = Readable.from(
      (async function* () {
        for await (const chunk of body) {
          size += chunk.byteLength;
          yield chunk;
        }
      })(),
    );
    await new Upload({
      client: this.#options.client,
      params: { Bucket: this.#options.bucket, Key: this.#keyOf(key), Body: counted },
      leavePartsOnError: false,
    }).done();
    return { size };
  }

  async get(key: string, range?: ByteRange): Promise<AsyncIterable<Uint8Array> | undefined> {
    if (range !== undefined && range.end < range.start) return emptyBody();
    try {
      const output = await this.#options.client.send(
        new GetObjectCommand({
          Bucket: this.#options.bucket,
          Key: this.#keyOf(key),
          ...(range === undefined ? {} : { Range: `bytes=${range.start}-${range.end}` }),
        }),
      );
      return (output.Body as Readable | undefined) ?? emptyBody();
    } catch (error) {
      if (error instanceof NoSuchKey || isStatus(error, 404)) return undefined;
      if (isStatus(error, 416)) return emptyBody();
      throw error;
    }
  }

  async stat(key: string): Promise<BlobInfo | undefined> {
    try {
      const output = await this.#options.client.send(
        new HeadObjectCommand({ Bucket: this.#options.bucket, Key: this.#keyOf(key) }),
      );
      return { size: output.ContentLength ?? 0 };
    } catch (error) {
      if (error instanceof NotFound || isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.#options.client.send(
      new DeleteObjectCommand({ Bucket: this.#options.bucket, Key: this.#keyOf(key) }),
    );
  }

  #keyOf(key: string): string {
    if (!isBlobKey(key)) throw new Error(`Invalid blob key: ${JSON.stringify(key)}`);
    return `${this.#options.prefix}${key}`;
  }
}

function isStatus(error: unknown, status: number): boolean {
  return error instanceof S3ServiceException && error.$metadata.httpStatusCode === status;
}

async function* emptyBody(): AsyncIterable<Uint8Array> {}
