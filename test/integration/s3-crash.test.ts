import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  NoSuchUpload,
  NotFound,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { s3Client } from '../support/s3.ts';
import { signHeaders } from '../support/sign.ts';
import { readCredentials, spawnServer, type SpawnedServer } from '../support/test-server.ts';

const MiB = 1024 * 1024;
const bucket = 'crash-bucket';

let dataDir: string;
let running: SpawnedServer | undefined;
let client: S3Client | undefined;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'slipway-s3-crash-'));
});
afterEach(async () => {
  client?.destroy();
  client = undefined;
  running?.child.kill('SIGKILL');
  running = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

/** `slipway server` on this test's data directory (SQLite, local-disk blobs), and a client. */
async function start(): Promise<{ server: SpawnedServer; client: S3Client; secret: Secret }> {
  running = await spawnServer(['--port', '0', '--data-dir', dataDir]);
  const secret = await readCredentials(join(dataDir, 'credentials'));
  client?.destroy();
  client = s3Client({ url: running.url, ...secret });
  return { server: running, client, secret };
}

type Secret = Awaited<ReturnType<typeof readCredentials>>;

async function killHard(server: SpawnedServer): Promise<void> {
  server.child.kill('SIGKILL');
  await server.exited;
  running = undefined;
}

/** A 1 MiB block that differs per index, so misplaced bytes would show in the digest. */
function block(index: number): Buffer {
  const seed = createHash('sha256').update(`block ${index}`).digest();
  const out = Buffer.alloc(MiB);
  for (let offset = 0; offset < MiB; offset += seed.length) seed.copy(out, offset);
  return out;
}

async function until(condition: () => Promise<boolean>, message: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() >= deadline) throw new Error(`${message}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sizes of the partial blob files the local-disk store is writing. */
async function partialSizes(): Promise<number[]> {
  const incoming = join(dataDir, 'objects', 'incoming');
  const names = await readdir(incoming).catch(() => [] as string[]);
  const sizes = await Promise.all(
    names.map((name) =>
      stat(join(incoming, name)).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  return sizes;
}

describe('S3 under kill -9', () => {
  it('never shows a 200 MiB upload that was half sent when the server died', async () => {
    const first = await start();
    await first.client.send(new CreateBucketCommand({ Bucket: bucket }));
    await first.client.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'committed', Body: 'before the crash' }),
    );

    const declared = 200 * MiB;
    const path = `/${bucket}/big`;
    const headers = await signHeaders({
      url: first.server.url,
      service: 's3',
      method: 'PUT',
      path,
      accessKeyId: first.secret.accessKeyId,
      secretAccessKey: first.secret.secretAccessKey,
      headers: { 'content-length': String(declared), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    const req = httpRequest(new URL(path, first.server.url), { method: 'PUT', headers });
    const outcome = new Promise<string>((resolve) => {
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      req.on('response', (res) => resolve(`answered ${res.statusCode}`));
    });
    // Send the first half, honouring backpressure, then hold the rest back.
    for (let i = 0; i < 100; i++) {
      if (!req.write(block(i))) await new Promise((resolve) => req.once('drain', resolve));
    }
    // Kill once the server has most of that half on disk, in its partial file.
    await until(
      async () => (await partialSizes()).some((size) => size >= 90 * MiB),
      'about half the upload in objects/incoming',
    );
    await killHard(first.server);
    expect(await outcome).not.toMatch(/^answered/);

    const second = await start();
    await expect(
      second.client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'big' })),
    ).rejects.toBeInstanceOf(NotFound);
    await expect(
      second.client.send(new GetObjectCommand({ Bucket: bucket, Key: 'big' })),
    ).rejects.toMatchObject({ name: 'NoSuchKey' });
    const listed = await second.client.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual(['committed']);
    const committed = await second.client.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'committed' }),
    );
    expect(await committed.Body?.transformToString()).toBe('before the crash');
    // The partial bytes stay out of sight until the start-up sweep removes them, a day on.
    expect((await partialSizes()).length).toBe(1);

    // The key is writable as ever.
    await second.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'big', Body: 'small' }));
    const rewritten = await second.client.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'big' }),
    );
    expect(await rewritten.Body?.transformToString()).toBe('small');
  }, 60_000);

  it('keeps a multipart upload and its parts, to complete or abort after a restart', async () => {
    const first = await start();
    await first.client.send(new CreateBucketCommand({ Bucket: bucket }));
    const uploads: Record<'kept' | 'dropped', string> = { kept: '', dropped: '' };
    const part1 = Buffer.concat([0, 1, 2, 3, 4].map(block));
    let etag1 = '';
    for (const key of ['kept', 'dropped'] as const) {
      const created = await first.client.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }),
      );
      uploads[key] = created.UploadId ?? '';
      const part = await first.client.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploads[key],
          PartNumber: 1,
          Body: part1,
        }),
      );
      etag1 = part.ETag ?? '';
    }
    await killHard(first.server);

    const second = await start();
    const listed = await second.client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(listed.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([
      ['dropped', uploads.dropped],
      ['kept', uploads.kept],
    ]);
    const parts = await second.client.send(
      new ListPartsCommand({ Bucket: bucket, Key: 'kept', UploadId: uploads.kept }),
    );
    expect(parts.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual([
      [1, etag1, part1.byteLength],
    ]);

    const part2 = Buffer.from('the last part, sent after the restart');
    const two = await second.client.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: 'kept',
        UploadId: uploads.kept,
        PartNumber: 2,
        Body: part2,
      }),
    );
    const completed = await second.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: 'kept',
        UploadId: uploads.kept,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: etag1 },
            { PartNumber: 2, ETag: two.ETag },
          ],
        },
      }),
    );
    expect(completed.ETag).toMatch(/-2"$/);
    const object = await second.client.send(new GetObjectCommand({ Bucket: bucket, Key: 'kept' }));
    const hash = createHash('sha256');
    for await (const chunk of object.Body as Readable) hash.update(chunk as Buffer);
    expect(hash.digest('hex')).toBe(
      createHash('sha256')
        .update(Buffer.concat([part1, part2]))
        .digest('hex'),
    );

    await second.client.send(
      new AbortMultipartUploadCommand({
        Bucket: bucket,
        Key: 'dropped',
        UploadId: uploads.dropped,
      }),
    );
    await expect(
      second.client.send(
        new ListPartsCommand({ Bucket: bucket, Key: 'dropped', UploadId: uploads.dropped }),
      ),
    ).rejects.toBeInstanceOf(NoSuchUpload);
    await expect(
      second.client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dropped' })),
    ).rejects.toBeInstanceOf(NotFound);
    const after = await second.client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(after.Uploads ?? []).toEqual([]);
  }, 60_000);
});
