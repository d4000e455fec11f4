import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { blobStoreContract } from '@slipway/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../../../test/support/s3.ts';
import { startTestServer, type TestServer } from '../../../../test/support/test-server.ts';
import { loadConfig } from '../config.ts';
import { openBlobStore } from './open-blob-store.ts';
import { S3BlobStore } from './s3-blob-store.ts';

/**
 * Slipway's external-S3 blob backend, tested against Slipway's own S3 door: a second server in
 * this process plays the S3-compatible store.
 */
let backing: TestServer;
let backingClient: S3Client;
const backingBucket = 'slipway-blobs';

beforeAll(async () => {
  backing = await startTestServer();
  backingClient = s3Client(backing);
  await backingClient.send(new CreateBucketCommand({ Bucket: backingBucket }));
});
afterAll(async () => {
  backingClient.destroy();
  await backing.close();
});

blobStoreContract('S3 (a Slipway S3 door as the store)', () => {
  // Each test gets its own prefix: a fresh, empty store in the shared bucket.
  const client = s3Client(backing);
  const store = new S3BlobStore({ client, bucket: backingBucket, prefix: `${randomUUID()}/` });
  return Promise.resolve({
    store,
    close: () => {
      client.destroy();
      return Promise.resolve();
    },
  });
});

describe('S3BlobStore', () => {
  it('keeps blobs under its prefix only', async () => {
    const store = new S3BlobStore({ client: backingClient, bucket: backingBucket, prefix: 'p/' });
    await store.put('a/b', chunks('scoped'));
    const head = await backingClient.send(
      new HeadObjectCommand({ Bucket: backingBucket, Key: 'p/a/b' }),
    );
    expect(head.ContentLength).toBe(6);
    await store.delete('a/b');
    await expect(
      backingClient.send(new HeadObjectCommand({ Bucket: backingBucket, Key: 'p/a/b' })),
    ).rejects.toBeInstanceOf(NotFound);
  });
});

describe('S3BlobStore over several parts', () => {
  it('aborts the multipart upload when the body fails after a part was sent', async () => {
    const prefix = `failing-${randomUUID()}/`;
    const store = new S3BlobStore({ client: backingClient, bucket: backingBucket, prefix });
    async function* failsAfterSixMiB(): AsyncIterable<Uint8Array> {
      for (let i = 0; i < 6; i++) yield await Promise.resolve(new Uint8Array(1024 * 1024));
      throw new Error('client went away');
    }
    await expect(store.put('big', failsAfterSixMiB())).rejects.toThrow(/went away/);
    expect(await store.stat('big')).toBeUndefined();
    const uploads = await backingClient.send(
      new ListMultipartUploadsCommand({ Bucket: backingBucket, Prefix: prefix }),
    );
    expect(uploads.Uploads ?? []).toEqual([]);
  });

  it('stores a body of several parts whole', async () => {
    const store = new S3BlobStore({ client: backingClient, bucket: backingBucket, prefix: 'mp/' });
    const part = new Uint8Array(1024 * 1024).fill(7);
    async function* elevenMiB(): AsyncIterable<Uint8Array> {
      for (let i = 0; i < 11; i++) yield await Promise.resolve(part);
      yield new TextEncoder().encode('tail');
    }
    expect(await store.put('several', elevenMiB())).toEqual({ size: 11 * 1024 * 1024 + 4 });
    const head = await backingClient.send(
      new HeadObjectCommand({ Bucket: backingBucket, Key: 'mp/several' }),
    );
    expect(head.ETag).toMatch(/-3"$/);
    const tail = await store.get('several', { start: 11 * 1024 * 1024, end: 11 * 1024 * 1024 + 3 });
    const bytes: Buffer[] = [];
    for await (const chunk of tail ?? []) bytes.push(Buffer.from(chunk));
    expect(Buffer.concat(bytes).toString()).toBe('tail');
  });
});

describe('openBlobStore', () => {
  it('opens a working S3 store from the loaded (deep-frozen) config', async () => {
    // Regression: the SDK writes `$source` onto the credentials object it is given; handed the
    // frozen config's own object, every request failed inside the SDK (a 500 on every PUT).
    const config = loadConfig({
      env: {
        SLIPWAY_BLOB_URL: `s3://${backingBucket}/opened/`,
        SLIPWAY_BLOB_ENDPOINT: backing.url,
        SLIPWAY_BLOB_ACCESS_KEY_ID: backing.accessKeyId,
        SLIPWAY_BLOB_SECRET_ACCESS_KEY: backing.secretAccessKey,
      },
      argv: [],
      cwd: process.cwd(),
    });
    expect(Object.isFrozen(config.blobs)).toBe(true);
    const store = await openBlobStore(config.blobs, backing.dataDir);
    expect(await store.put('from-config', chunks('configured'))).toEqual({ size: 10 });
    expect(await store.stat('from-config')).toEqual({ size: 10 });
    const head = await backingClient.send(
      new HeadObjectCommand({ Bucket: backingBucket, Key: 'opened/from-config' }),
    );
    expect(head.ContentLength).toBe(10);
  });
});

describe('a Slipway server whose blobs live in another Slipway over S3', () => {
  let front: TestServer;
  let frontClient: S3Client;
  const prefix = `front-${randomUUID()}/blobs/`;

  beforeAll(async () => {
    front = await startTestServer({
      env: {
        SLIPWAY_BLOB_URL: `s3://${backingBucket}/${prefix}`,
        SLIPWAY_BLOB_ENDPOINT: backing.url,
        SLIPWAY_BLOB_ACCESS_KEY_ID: backing.accessKeyId,
        SLIPWAY_BLOB_SECRET_ACCESS_KEY: backing.secretAccessKey,
      },
    });
    frontClient = s3Client(front);
    await frontClient.send(new CreateBucketCommand({ Bucket: 'front-bucket' }));
  });
  afterAll(async () => {
    frontClient.destroy();
    await front.close();
  });

  async function backingBlobs(): Promise<{ key: string; size: number; etag: string }[]> {
    const page = await backingClient.send(
      new ListObjectsV2Command({ Bucket: backingBucket, Prefix: prefix }),
    );
    return (page.Contents ?? []).map((c) => ({
      key: c.Key ?? '',
      size: c.Size ?? -1,
      etag: c.ETag ?? '',
    }));
  }

  it('round-trips objects whose bytes are objects under blobs/ in the backing bucket', async () => {
    const small = Buffer.from('bytes kept in the other server');
    // Over 5 MiB, the blob itself is written as a multipart upload to the backing store.
    const large = Buffer.alloc(6 * 1024 * 1024 + 5, 'x');
    await frontClient.send(
      new PutObjectCommand({ Bucket: 'front-bucket', Key: 'small.txt', Body: small }),
    );
    await frontClient.send(
      new PutObjectCommand({ Bucket: 'front-bucket', Key: 'large.bin', Body: large }),
    );

    for (const [key, body] of [
      ['small.txt', small],
      ['large.bin', large],
    ] as const) {
      const got = await frontClient.send(
        new GetObjectCommand({ Bucket: 'front-bucket', Key: key }),
      );
      const hash = createHash('sha256');
      for await (const chunk of got.Body as Readable) hash.update(chunk as Buffer);
      expect(hash.digest('hex')).toBe(createHash('sha256').update(body).digest('hex'));
    }
    const ranged = await frontClient.send(
      new GetObjectCommand({ Bucket: 'front-bucket', Key: 'small.txt', Range: 'bytes=6-9' }),
    );
    expect(await ranged.Body?.transformToString()).toBe('kept');

    const blobs = await backingBlobs();
    expect(blobs.map((b) => b.size).sort((a, b) => a - b)).toEqual([
      small.byteLength,
      large.byteLength,
    ]);
    for (const blob of blobs) expect(blob.key.startsWith(prefix)).toBe(true);
    expect(blobs.find((b) => b.size === large.byteLength)?.etag).toMatch(/-2"$/);
    const smallBlob = blobs.find((b) => b.size === small.byteLength);
    const raw = await backingClient.send(
      new GetObjectCommand({ Bucket: backingBucket, Key: smallBlob?.key }),
    );
    expect(await raw.Body?.transformToString()).toBe(small.toString());

    // Deleting the object deletes its blob in the backing store.
    await frontClient.send(new DeleteObjectCommand({ Bucket: 'front-bucket', Key: 'small.txt' }));
    expect((await backingBlobs()).map((b) => b.size)).toEqual([large.byteLength]);
  });
});

async function* chunks(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield await Promise.resolve(new TextEncoder().encode(part));
}
