import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AwsChunkedError, decodeAwsChunked } from './aws-chunked.ts';

/** Encodes `data` as the SDKs do, in chunks of `chunkSize`, with optional trailers. */
function encode(
  data: Buffer,
  chunkSize: number,
  options: { trailers?: Record<string, string>; signed?: boolean } = {},
): Buffer {
  const parts: Buffer[] = [];
  const extension = (i: number) =>
    options.signed ? `;chunk-signature=${'ab'.repeat(32)}${i}` : '';
  let n = 0;
  for (let offset = 0; offset < data.length; offset += chunkSize) {
    const chunk = data.subarray(offset, offset + chunkSize);
    parts.push(
      Buffer.from(`${chunk.length.toString(16)}${extension(n++)}\r\n`),
      chunk,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`0${extension(n)}\r\n`));
  for (const [name, value] of Object.entries(options.trailers ?? {})) {
    parts.push(Buffer.from(`${name}:${value}\r\n`));
  }
  parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

/** Delivers `bytes` in pieces cut at `cuts`, as a socket might. */
async function* pieces(bytes: Buffer, cuts: number[]): AsyncIterable<Uint8Array> {
  let from = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b)) {
    yield await Promise.resolve(bytes.subarray(from, cut));
    from = cut;
  }
  yield bytes.subarray(from);
}

async function decodeAll(encoded: Buffer, cuts: number[] = [], length?: number) {
  const { data, done } = decodeAwsChunked(pieces(encoded, cuts), {
    decodedLength: length,
    hashChunks: true,
  });
  const out: Buffer[] = [];
  for await (const chunk of data) out.push(Buffer.from(chunk));
  return { bytes: Buffer.concat(out), ...(await done) };
}

describe('decodeAwsChunked', () => {
  it('decodes what the JS SDK sends: unsigned chunks and a checksum trailer', async () => {
    const data = Buffer.from('hello, aws-chunked world');
    const encoded = encode(data, 8, { trailers: { 'x-amz-checksum-crc32': 'Ag8HsA==' } });
    const result = await decodeAll(encoded, [], data.length);
    expect(result.bytes.toString()).toBe(data.toString());
    expect([...result.trailers]).toEqual([['x-amz-checksum-crc32', 'Ag8HsA==']]);
  });

  it('hashes chunks only when asked', async () => {
    const { data, done } = decodeAwsChunked(pieces(encode(Buffer.from('abc'), 2), []));
    for await (const chunk of data) expect(chunk.byteLength).toBeGreaterThan(0);
    expect((await done).chunkSha256s).toEqual([]);
  });

  it('collects chunk signatures of the signed streaming form', async () => {
    const result = await decodeAll(encode(Buffer.from('abc'), 2, { signed: true }));
    expect(result.signatures).toHaveLength(3);
    expect(result.bytes.toString()).toBe('abc');
  });

  it('decodes an empty body', async () => {
    const result = await decodeAll(encode(Buffer.alloc(0), 8), [], 0);
    expect(result.bytes.length).toBe(0);
  });

  it('gives back exactly the bytes, however the chunks and the network split them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 3000 }),
        fc.integer({ min: 1, max: 1024 }),
        fc.array(fc.nat({ max: 4000 }), { maxLength: 20 }),
        fc.boolean(),
        async (bytes, chunkSize, cuts, signed) => {
          const data = Buffer.from(bytes);
          const encoded = encode(data, chunkSize, {
            signed,
            trailers: { 'x-amz-checksum-sha256': 'x' },
          });
          const result = await decodeAll(encoded, cuts, data.length);
          expect(result.bytes.equals(data)).toBe(true);
          expect(result.trailers.get('x-amz-checksum-sha256')).toBe('x');
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each([
    ['a body cut off inside a chunk', Buffer.from('a\r\nhello')],
    ['a bad size', Buffer.from('zz\r\nhello\r\n0\r\n\r\n')],
    ['data without its CRLF', Buffer.from('2\r\nhiX\r\n0\r\n\r\n')],
    ['a header without CR', Buffer.from('2\nhi\r\n0\r\n\r\n')],
    ['bytes after the end', Buffer.from('0\r\n\r\nextra')],
    ['no final blank line', Buffer.from('0\r\n')],
    ['a bad trailer', Buffer.from('0\r\nnocolon\r\n\r\n')],
  ])('refuses %s', async (_name, encoded) => {
    await expect(decodeAll(encoded)).rejects.toBeInstanceOf(AwsChunkedError);
  });

  it('refuses a decoded length other than x-amz-decoded-content-length', async () => {
    await expect(decodeAll(encode(Buffer.from('abc'), 2), [], 4)).rejects.toThrow(
      /decoded 3 bytes/,
    );
  });

  it('refuses an endless header line', async () => {
    await expect(decodeAll(Buffer.alloc(10_000, 0x31))).rejects.toThrow(/too long/);
  });
});
