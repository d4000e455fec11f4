import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { DigestWorkers } from './digest-workers.ts';
import { digestStream, offloadBytes } from './streaming-digests.ts';

async function* inPieces(bytes: Buffer, size: number): AsyncIterable<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) {
    yield await Promise.resolve(bytes.subarray(at, at + size));
  }
}

async function drain(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function crc32Bytes(data: Buffer): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data) >>> 0);
  return out;
}

describe('digestStream', () => {
  let workers: DigestWorkers | undefined;
  afterEach(async () => {
    await workers?.close();
    workers = undefined;
  });

  it.each([
    ['empty', 0],
    ['small, hashed on the event loop', 1000],
    ['exactly the offload size', offloadBytes],
    ['large, hashed on workers', 5 * offloadBytes + 12345],
  ])('passes a %s body through and digests it exactly', async (_, size) => {
    workers = new DigestWorkers(2);
    const data = randomBytes(size);
    const digested = digestStream(inPieces(data, 65_536), ['MD5', 'SHA256', 'CRC32'], workers);
    expect((await drain(digested.body)).equals(data)).toBe(true);
    const { size: seen, digests } = digested.result();
    expect(seen).toBe(size);
    expect(digests.get('MD5')?.toString('hex')).toBe(createHash('md5').update(data).digest('hex'));
    expect(digests.get('SHA256')?.toString('hex')).toBe(
      createHash('sha256').update(data).digest('hex'),
    );
    expect(digests.get('CRC32')?.equals(crc32Bytes(data))).toBe(true);
  });

  it('digests many bodies at once on the same workers', async () => {
    workers = new DigestWorkers(2);
    const bodies = Array.from({ length: 6 }, (_, i) => randomBytes(2 * offloadBytes + i));
    const results = await Promise.all(
      bodies.map(async (data) => {
        const digested = digestStream(inPieces(data, 100_000), ['MD5'], workers);
        await drain(digested.body);
        return digested.result().digests.get('MD5')?.toString('hex');
      }),
    );
    expect(results).toEqual(bodies.map((d) => createHash('md5').update(d).digest('hex')));
  });

  it('hashes on the event loop when it has no workers', async () => {
    const data = randomBytes(3 * offloadBytes);
    const digested = digestStream(inPieces(data, 65_536), ['SHA1'], undefined);
    await drain(digested.body);
    expect(digested.result().digests.get('SHA1')?.toString('hex')).toBe(
      createHash('sha1').update(data).digest('hex'),
    );
  });

  it('has no result before the body ends, and none for a body that fails', async () => {
    workers = new DigestWorkers(1);
    async function* failing(): AsyncIterable<Uint8Array> {
      yield await Promise.resolve(Buffer.alloc(offloadBytes * 2));
      throw new Error('client went away');
    }
    const digested = digestStream(failing(), ['MD5'], workers);
    expect(() => digested.result()).toThrow(/not ended/);
    await expect(drain(digested.body)).rejects.toThrow('client went away');
    expect(() => digested.result()).toThrow(/not ended/);
    // The worker is still usable afterwards.
    const data = randomBytes(offloadBytes * 2);
    const next = digestStream(inPieces(data, 65_536), ['MD5'], workers);
    await drain(next.body);
    expect(next.result().digests.get('MD5')?.toString('hex')).toBe(
      createHash('md5').update(data).digest('hex'),
    );
  });
});
