import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  ListPartsCommand,
  NoSuchUpload,
  NotFound,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3ServiceException,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../support/s3.ts';
import { NodeSha256, signHeaders } from '../support/sign.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let client: S3Client;
const bucket = 'js-sdk-conformance';
const MiB = 1024 * 1024;

beforeAll(async () => {
  server = await startTestServer();
  client = s3Client(server);
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
});
afterAll(async () => {
  client.destroy();
  await server.close();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * `size` deterministic pseudo-random bytes (xorshift32 from `seed`) as a stream of 1 MiB chunks
 * that honours backpressure; `sha256` resolves with their digest once the stream has ended.
 * Nothing but the current chunk is ever held.
 */
function generated(
  size: number,
  seed: number,
  /** Called per chunk; a promise it returns holds the chunk (and the stream) back until settled. */
  onProduced: (produced: number) => Promise<void> | undefined = () => undefined,
): { stream: Readable; sha256: Promise<string> } {
  const hash = createHash('sha256');
  let state = seed >>> 0 || 1;
  let produced = 0;
  let finish: (hex: string) => void = () => undefined;
  const digest = new Promise<string>((resolve) => (finish = resolve));
  const stream = new Readable({
    read() {
      if (produced >= size) {
        finish(hash.digest('hex'));
        this.push(null);
        return;
      }
      const length = Math.min(MiB, size - produced);
      const words = new Uint32Array(Math.ceil(length / 4));
      for (let i = 0; i < words.length; i++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        words[i] = state;
      }
      const chunk = Buffer.from(words.buffer, 0, length);
      hash.update(chunk);
      produced += length;
      const hold = onProduced(produced);
      if (hold === undefined) this.push(chunk);
      else void hold.then(() => this.push(chunk));
    },
  });
  return { stream, sha256: digest };
}

/** The whole of a small generated body, for tests that want the bytes at hand. */
async function generatedBytes(size: number, seed: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of generated(size, seed).stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/** Downloads `key` and hashes it as it streams; answers the digest and the byte count. */
async function downloadDigest(key: string): Promise<{ sha256: string; size: number }> {
  const output = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of output.Body as Readable) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).byteLength;
  }
  return { sha256: hash.digest('hex'), size };
}

async function getText(key: string, extra: { VersionId?: string } = {}): Promise<string> {
  const output = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...extra }));
  return (await output.Body?.transformToString()) ?? '';
}

/** Records the headers of every request `target` sends, after signing. */
function recordRequests(target: S3Client): Record<string, string>[] {
  const seen: Record<string, string>[] = [];
  target.middlewareStack.add(
    (next) => (args) => {
      const { headers } = args.request as { headers?: Record<string, string> };
      if (headers !== undefined) seen.push({ ...headers });
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'recordSignedRequests' },
  );
  return seen;
}

/** Polls an async condition (a file system the server changes) until it holds. */
async function until(condition: () => Promise<boolean>, message: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() >= deadline) throw new Error(`${message}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function seconds<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(2)} s`);
  return result;
}

describe('streaming uploads (aws-chunked with a CRC32 trailer)', () => {
  it('stores a Readable body sent as STREAMING-UNSIGNED-PAYLOAD-TRAILER byte for byte', async () => {
    const streaming = s3Client(server);
    const requests = recordRequests(streaming);
    try {
      const body = await generatedBytes(3 * MiB + 17, 1);
      const put = await streaming.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'stream/known-length',
          // The SDK needs the length up front for x-amz-decoded-content-length (see below).
          ContentLength: body.byteLength,
          Body: Readable.from([body.subarray(0, MiB), body.subarray(MiB)]),
        }),
      );
      const sent = requests.at(-1) ?? {};
      expect(sent['content-encoding']).toBe('aws-chunked');
      expect(sent['x-amz-content-sha256']).toBe('STREAMING-UNSIGNED-PAYLOAD-TRAILER');
      expect(sent['x-amz-trailer']).toBe('x-amz-checksum-crc32');
      expect(sent['x-amz-decoded-content-length']).toBe(String(body.byteLength));
      expect(sent['transfer-encoding']).toBe('chunked');
      // The trailer's checksum was verified and is echoed back, as S3 does.
      expect(put.ChecksumCRC32).toMatch(/^[A-Za-z0-9+/]{6}==$/);
      expect(put.ETag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
      expect(await downloadDigest('stream/known-length')).toEqual({
        sha256: sha256(body),
        size: body.byteLength,
      });
      const head = await client.send(
        new HeadObjectCommand({
          Bucket: bucket,
          Key: 'stream/known-length',
          ChecksumMode: 'ENABLED',
        }),
      );
      expect(head.ChecksumCRC32).toBe(put.ChecksumCRC32);
      // aws-chunked is how the bytes travelled, not how they are stored.
      expect(head.ContentEncoding).toBeUndefined();
    } finally {
      streaming.destroy();
    }
  });

  it('refuses, in the SDK itself, a PutObject stream of unknown length (Upload is the way)', async () => {
    // @aws-sdk/client-s3 3.11xx cannot fill x-amz-decoded-content-length for a Readable without
    // ContentLength and fails before sending; should a later SDK send it, it must round-trip.
    const result = await client
      .send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'stream/unknown-length',
          Body: Readable.from([Buffer.from('hello '), Buffer.from('world')]),
        }),
      )
      .then(
        () => 'stored',
        (error: unknown) => (error as { code?: string }).code ?? String(error),
      );
    if (result === 'stored') {
      expect(await getText('stream/unknown-length')).toBe('hello world');
    } else {
      expect(result).toBe('ERR_HTTP_INVALID_HEADER_VALUE');
      await expect(
        client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'stream/unknown-length' })),
      ).rejects.toBeInstanceOf(NotFound);
    }
  });

  it('stores a Readable of unknown length through lib-storage Upload', async () => {
    const source = generated(7 * MiB + 3, 2);
    const done = await new Upload({
      client,
      params: { Bucket: bucket, Key: 'stream/unknown-length-upload', Body: source.stream },
      partSize: 5 * MiB,
    }).done();
    // Two parts of a multipart upload: 5 MiB, then the rest.
    expect(done.ETag).toMatch(/-2"$/);
    expect(await downloadDigest('stream/unknown-length-upload')).toEqual({
      sha256: await source.sha256,
      size: 7 * MiB + 3,
    });
  });
});

describe('byte-identical round trips', () => {
  it.each([
    ['0 B', 0],
    ['1 B', 1],
    ['5 MiB + 1', 5 * MiB + 1],
  ])('%s through PutObject and through lib-storage Upload', async (_label, size) => {
    const body = await generatedBytes(size, size + 10);
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: `round-trip/put-${size}`, Body: body }),
    );
    expect(await downloadDigest(`round-trip/put-${size}`)).toEqual({ sha256: sha256(body), size });

    const upload = await new Upload({
      client,
      params: { Bucket: bucket, Key: `round-trip/upload-${size}`, Body: body },
      partSize: 5 * MiB,
    }).done();
    // lib-storage sends one PutObject below one part, a multipart upload above.
    if (size > 5 * MiB) expect(upload.ETag).toMatch(/-2"$/);
    expect(await downloadDigest(`round-trip/upload-${size}`)).toEqual({
      sha256: sha256(body),
      size,
    });
    const head = await client.send(
      new HeadObjectCommand({ Bucket: bucket, Key: `round-trip/upload-${size}` }),
    );
    expect(head.ContentLength).toBe(size);
  });

  const big = 200 * MiB;

  it('200 MiB through lib-storage Upload (8 MiB parts), streamed both ways', async () => {
    const source = generated(big, 200);
    await seconds('200 MiB multipart upload (lib-storage, 8 MiB parts, queue 4)', () =>
      new Upload({
        client,
        params: { Bucket: bucket, Key: 'round-trip/big-multipart', Body: source.stream },
        partSize: 8 * MiB,
        queueSize: 4,
      }).done(),
    );
    const downloaded = await seconds('200 MiB download of the multipart object', () =>
      downloadDigest('round-trip/big-multipart'),
    );
    expect(downloaded).toEqual({ sha256: await source.sha256, size: big });
  }, 120_000);

  it('200 MiB as one aws-chunked PutObject stream, streamed both ways', async () => {
    const source = generated(big, 201);
    const streaming = s3Client(server);
    const requests = recordRequests(streaming);
    try {
      await seconds('200 MiB single PutObject (aws-chunked, CRC32 trailer)', () =>
        streaming.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: 'round-trip/big-single',
            Body: source.stream,
            ContentLength: big,
          }),
        ),
      );
    } finally {
      streaming.destroy();
    }
    expect(requests.at(-1)?.['content-encoding']).toBe('aws-chunked');
    const downloaded = await seconds('200 MiB download of the single-part object', () =>
      downloadDigest('round-trip/big-single'),
    );
    expect(downloaded).toEqual({ sha256: await source.sha256, size: big });
  }, 120_000);
});

describe('reads', () => {
  beforeAll(async () => {
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'read/digits', Body: '0123456789' }),
    );
  });

  it('serves a Range as 206 with Content-Range', async () => {
    const output = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'read/digits', Range: 'bytes=2-4' }),
    );
    expect(output.$metadata.httpStatusCode).toBe(206);
    expect(output.ContentRange).toBe('bytes 2-4/10');
    expect(output.ContentLength).toBe(3);
    expect(await output.Body?.transformToString()).toBe('234');

    const suffix = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'read/digits', Range: 'bytes=-3' }),
    );
    expect(await suffix.Body?.transformToString()).toBe('789');
  });

  it('answers IfNoneMatch on the current ETag with 304, which the SDK throws as Unknown', async () => {
    const { ETag } = await client.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'read/digits' }),
    );
    const error = await client
      .send(new GetObjectCommand({ Bucket: bucket, Key: 'read/digits', IfNoneMatch: ETag }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(S3ServiceException);
    const thrown = error as S3ServiceException;
    expect(thrown.$metadata.httpStatusCode).toBe(304);
    // A 304 has no body to carry an error code, and the SDK names only a bodiless 404
    // (NotFound); against AWS it throws the same nameless error.
    expect(thrown.name).toBe('Unknown');
    expect(thrown.$response?.headers.etag).toBe(ETag);

    const changed = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'read/digits', IfNoneMatch: '"other"' }),
    );
    expect(await changed.Body?.transformToString()).toBe('0123456789');
  });

  it('answers HeadObject on a missing key with NotFound', async () => {
    const error = await client
      .send(new HeadObjectCommand({ Bucket: bucket, Key: 'read/missing' }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(NotFound);
    expect((error as NotFound).$metadata.httpStatusCode).toBe(404);
  });
});

describe('listing, copy and delete', () => {
  it('lists with a Delimiter as Contents and CommonPrefixes', async () => {
    for (const key of ['list/a/1', 'list/a/2', 'list/b/1', 'list/c']) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    }
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'list/', Delimiter: '/' }),
    );
    expect(page.Contents?.map((c) => c.Key)).toEqual(['list/c']);
    expect(page.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['list/a/', 'list/b/']);
    expect(page.KeyCount).toBe(3);
    expect(page.IsTruncated).toBe(false);

    const paged = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'list/', MaxKeys: 2 }),
    );
    expect(paged.Contents?.map((c) => c.Key)).toEqual(['list/a/1', 'list/a/2']);
    expect(paged.IsTruncated).toBe(true);
    const rest = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: 'list/',
        ContinuationToken: paged.NextContinuationToken,
      }),
    );
    expect(rest.Contents?.map((c) => c.Key)).toEqual(['list/b/1', 'list/c']);
  });

  it('copies an object with its ETag, and replaces metadata when asked', async () => {
    const put = await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'copy/source',
        Body: 'copied bytes',
        ContentType: 'text/plain',
        Metadata: { colour: 'blue' },
      }),
    );
    const copy = await client.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'copy/target',
        CopySource: `${bucket}/copy/source`,
      }),
    );
    expect(copy.CopyObjectResult?.ETag).toBe(put.ETag);
    expect(await getText('copy/target')).toBe('copied bytes');
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'copy/target' }));
    expect(head.ContentType).toBe('text/plain');
    expect(head.Metadata).toEqual({ colour: 'blue' });

    await client.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'copy/target',
        CopySource: `${bucket}/copy/target`,
        MetadataDirective: 'REPLACE',
        Metadata: { colour: 'red' },
      }),
    );
    const replaced = await client.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'copy/target' }),
    );
    expect(replaced.Metadata).toEqual({ colour: 'red' });
  });

  it('deletes several keys with DeleteObjects (a missing key counts as deleted)', async () => {
    for (const key of ['bulk/1', 'bulk/2']) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    }
    const result = await client.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: [{ Key: 'bulk/1' }, { Key: 'bulk/2' }, { Key: 'bulk/never' }] },
      }),
    );
    expect(result.Deleted?.map((d) => d.Key).sort()).toEqual(['bulk/1', 'bulk/2', 'bulk/never']);
    expect(result.Errors ?? []).toEqual([]);
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'bulk/' }));
    expect(listed.KeyCount).toBe(0);
  });
});

describe('versioning', () => {
  it('keeps every version and delete marker, and lists them newest first', async () => {
    const versioned = 'js-sdk-versioned';
    await client.send(new CreateBucketCommand({ Bucket: versioned }));
    await client.send(
      new PutBucketVersioningCommand({
        Bucket: versioned,
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    const first = await client.send(
      new PutObjectCommand({ Bucket: versioned, Key: 'doc', Body: 'one' }),
    );
    const second = await client.send(
      new PutObjectCommand({ Bucket: versioned, Key: 'doc', Body: 'two' }),
    );
    expect(first.VersionId).toBeDefined();
    expect(second.VersionId).not.toBe(first.VersionId);
    const deleted = await client.send(new DeleteObjectCommand({ Bucket: versioned, Key: 'doc' }));
    expect(deleted.DeleteMarker).toBe(true);

    await expect(
      client.send(new GetObjectCommand({ Bucket: versioned, Key: 'doc' })),
    ).rejects.toMatchObject({ name: 'NoSuchKey' });
    const old = await client.send(
      new GetObjectCommand({ Bucket: versioned, Key: 'doc', VersionId: first.VersionId }),
    );
    expect(await old.Body?.transformToString()).toBe('one');

    const listed = await client.send(new ListObjectVersionsCommand({ Bucket: versioned }));
    expect(listed.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([
      [second.VersionId, false],
      [first.VersionId, false],
    ]);
    expect(listed.DeleteMarkers?.map((m) => [m.Key, m.VersionId, m.IsLatest])).toEqual([
      ['doc', deleted.VersionId, true],
    ]);

    // Removing the delete marker brings the newest version back.
    await client.send(
      new DeleteObjectCommand({ Bucket: versioned, Key: 'doc', VersionId: deleted.VersionId }),
    );
    const restored = await client.send(new GetObjectCommand({ Bucket: versioned, Key: 'doc' }));
    expect(await restored.Body?.transformToString()).toBe('two');
    expect(restored.VersionId).toBe(second.VersionId);
  });
});

describe('multipart by hand', () => {
  it('creates, uploads, lists, completes and aborts', async () => {
    const key = 'multipart/by-hand';
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: 'text/x-parts' }),
    );
    expect(UploadId).toBeDefined();
    const part1 = await generatedBytes(5 * MiB, 31);
    const part2 = Buffer.from('the last part may be small');
    const one = await client.send(
      new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: part1 }),
    );
    const two = await client.send(
      new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 2, Body: part2 }),
    );
    expect(one.ETag).toBe(`"${createHash('md5').update(part1).digest('hex')}"`);

    const parts = await client.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId }));
    expect(parts.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual([
      [1, one.ETag, part1.byteLength],
      [2, two.ETag, part2.byteLength],
    ]);
    const uploads = await client.send(
      new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'multipart/' }),
    );
    expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([[key, UploadId]]);

    const completed = await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: one.ETag },
            { PartNumber: 2, ETag: two.ETag },
          ],
        },
      }),
    );
    const md5s = Buffer.concat([part1, part2].map((p) => createHash('md5').update(p).digest()));
    expect(completed.ETag).toBe(`"${createHash('md5').update(md5s).digest('hex')}-2"`);
    expect(await downloadDigest(key)).toEqual({
      sha256: sha256(Buffer.concat([part1, part2])),
      size: part1.byteLength + part2.byteLength,
    });
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ContentType).toBe('text/x-parts');
    const afterComplete = await client.send(
      new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: 'multipart/' }),
    );
    expect(afterComplete.Uploads ?? []).toEqual([]);

    const aborted = await client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'multipart/aborted' }),
    );
    await client.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: 'multipart/aborted',
        UploadId: aborted.UploadId,
        PartNumber: 1,
        Body: 'doomed',
      }),
    );
    await client.send(
      new AbortMultipartUploadCommand({
        Bucket: bucket,
        Key: 'multipart/aborted',
        UploadId: aborted.UploadId,
      }),
    );
    await expect(
      client.send(
        new ListPartsCommand({
          Bucket: bucket,
          Key: 'multipart/aborted',
          UploadId: aborted.UploadId,
        }),
      ),
    ).rejects.toBeInstanceOf(NoSuchUpload);
    await expect(
      client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'multipart/aborted' })),
    ).rejects.toBeInstanceOf(NotFound);
  });
});

describe('presigned URLs', () => {
  // @aws-sdk/s3-request-presigner is not installed; it is a thin wrapper over SigV4's presign
  // with the payload declared UNSIGNED-PAYLOAD and an `x-id` query parameter, done here alike.
  async function presign(method: 'GET' | 'PUT', key: string, command: string): Promise<string> {
    const url = new URL(server.url);
    const signer = new SignatureV4({
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      region: 'us-east-1',
      service: 's3',
      sha256: NodeSha256,
      uriEscapePath: false,
    });
    const signed = await signer.presign(
      {
        method,
        protocol: url.protocol,
        hostname: url.hostname,
        port: Number(url.port),
        path: `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`,
        query: { 'x-id': command },
        headers: { host: url.host, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
      },
      { expiresIn: 900 },
    );
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(signed.query ?? {})) {
      if (typeof value === 'string') query.set(name, value);
    }
    return `${server.url}${signed.path}?${query.toString()}`;
  }

  it('GETs and PUTs with fetch and nothing but the URL', async () => {
    const putUrl = await presign('PUT', 'presigned/file name.txt', 'PutObject');
    expect(putUrl).toContain('X-Amz-Content-Sha256=UNSIGNED-PAYLOAD');
    const put = await fetch(putUrl, { method: 'PUT', body: 'uploaded with a presigned URL' });
    expect(put.status).toBe(200);
    expect(await getText('presigned/file name.txt')).toBe('uploaded with a presigned URL');

    const get = await fetch(await presign('GET', 'presigned/file name.txt', 'GetObject'));
    expect(get.status).toBe(200);
    expect(await get.text()).toBe('uploaded with a presigned URL');

    const tampered = (await presign('GET', 'presigned/file name.txt', 'GetObject')).replace(
      /X-Amz-Signature=[0-9a-f]{2}/,
      'X-Amz-Signature=00',
    );
    const refused = await fetch(tampered);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});

interface RawPut {
  readonly path: string;
  readonly headers: Record<string, string>;
}

async function signedPut(key: string, headers: Record<string, string>): Promise<RawPut> {
  const path = `/${bucket}/${key}`;
  const signed = await signHeaders({
    url: server.url,
    service: 's3',
    method: 'PUT',
    path,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    headers,
  });
  return { path, headers: signed };
}

describe('Expect: 100-continue', () => {
  it('answers 100 Continue before the body is sent, then stores the object', async () => {
    const body = await generatedBytes(256 * 1024, 100);
    const { path, headers } = await signedPut('continue/object', {
      'content-length': String(body.byteLength),
      'x-amz-content-sha256': sha256(body),
    });
    const events: string[] = [];
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest(new URL(path, server.url), {
        method: 'PUT',
        headers: { ...headers, expect: '100-continue' },
      });
      const timer = setTimeout(() => {
        req.destroy();
        reject(new Error('no 100 Continue within 5 s'));
      }, 5_000);
      req.on('continue', () => {
        clearTimeout(timer);
        events.push('100 Continue');
        req.end(body);
        events.push('body sent');
      });
      req.on('response', (res) => {
        events.push(`${res.statusCode}`);
        resolve(res);
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    response.resume();
    expect(events).toEqual(['100 Continue', 'body sent', '200']);
    expect(await downloadDigest('continue/object')).toEqual({
      sha256: sha256(body),
      size: body.byteLength,
    });
  });
});

describe('a client that disconnects mid-upload', () => {
  it('leaves no object and no partial file', async () => {
    const declared = 16 * MiB;
    const incoming = join(server.dataDir, 'objects', 'incoming');
    const partials = async () => (await readdir(incoming).catch(() => [] as string[])).length;
    expect(await partials()).toBe(0);
    const { path, headers } = await signedPut('disconnect/object', {
      'content-length': String(declared),
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    });
    const req = httpRequest(new URL(path, server.url), { method: 'PUT', headers });
    const failed = new Promise<string>((resolve) => {
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      req.on('response', (res) => resolve(`answered ${res.statusCode}`));
    });
    req.write(await generatedBytes(declared / 2, 7));
    // The server is writing the blob (its partial file exists) when the client goes away.
    await until(async () => (await partials()) > 0, 'a partial file in objects/incoming');
    req.destroy();
    expect(await failed).not.toMatch(/^answered/);
    await until(async () => (await partials()) === 0, 'the partial file removed');
    expect(await readdir(incoming)).toEqual([]);
    await expect(
      client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'disconnect/object' })),
    ).rejects.toBeInstanceOf(NotFound);
  });

  it('leaves nothing of an aws-chunked SDK upload aborted part way', async () => {
    const incoming = join(server.dataDir, 'objects', 'incoming');
    const partials = async () => (await readdir(incoming).catch(() => [] as string[])).length;
    const size = 64 * MiB;
    let halfRead: () => void = () => undefined;
    const halfSent = new Promise<void>((resolve) => (halfRead = resolve));
    // The second half is never produced: the upload is certainly in flight when aborted.
    const source = generated(size, 64, (produced) => {
      if (produced < size / 2) return undefined;
      halfRead();
      return new Promise<void>(() => undefined);
    });
    const streaming = s3Client(server);
    const abort = new AbortController();
    const put = streaming
      .send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'disconnect/chunked',
          Body: source.stream,
          ContentLength: size,
        }),
        { abortSignal: abort.signal },
      )
      .then(
        () => 'stored',
        (error: Error) => error.name,
      );
    try {
      await halfSent;
      await until(async () => (await partials()) > 0, 'a partial file in objects/incoming');
      abort.abort();
      expect(await put).toBe('AbortError');
    } finally {
      streaming.destroy();
    }
    await until(async () => (await partials()) === 0, 'the partial file removed');
    await expect(
      client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'disconnect/chunked' })),
    ).rejects.toBeInstanceOf(NotFound);
  });
});
