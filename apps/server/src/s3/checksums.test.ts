import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checksumExpectations,
  compositeChecksum,
  computeChecksum,
  digestBody,
  multipartEtag,
  verifyChecksums,
  type ChecksumAlgorithm,
  type DigestResult,
} from './checksums.ts';
import { S3Error } from './s3-errors.ts';

const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

async function* pieces(data: Buffer, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < data.length; i += size)
    yield await Promise.resolve(data.subarray(i, i + size));
}

async function digest(data: Buffer, algorithms: ChecksumAlgorithm[], size = 7) {
  const digesting = digestBody(pieces(data, size), { algorithms });
  const out: Uint8Array[] = [];
  for await (const chunk of digesting.body) out.push(chunk);
  expect(Buffer.concat(out)).toEqual(data);
  return digesting.result();
}

function code(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof S3Error) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'no error';
}

describe('checksum algorithms', () => {
  it('match the standard check values for "123456789"', () => {
    const data = Buffer.from('123456789');
    expect(computeChecksum('CRC32', data)).toBe(b64('cbf43926'));
    expect(computeChecksum('CRC32C', data)).toBe(b64('e3069283'));
    expect(computeChecksum('CRC64NVME', data)).toBe(b64('ae8b14860a799888'));
    expect(computeChecksum('CRC32', Buffer.alloc(0))).toBe('AAAAAA==');
  });

  it('match a bit-at-a-time reference for any data', () => {
    const reference = (bytes: Uint8Array, poly: bigint, width: bigint) => {
      const mask = (1n << width) - 1n;
      let crc = mask;
      for (const byte of bytes) {
        crc ^= BigInt(byte);
        for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
      }
      const hex = ((crc ^ mask) & mask).toString(16).padStart(Number(width / 4n), '0');
      return Buffer.from(hex, 'hex').toString('base64');
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(computeChecksum('CRC32C', bytes)).toBe(reference(bytes, 0x82f63b78n, 32n));
        expect(computeChecksum('CRC32', bytes)).toBe(reference(bytes, 0xedb88320n, 32n));
        expect(computeChecksum('CRC64NVME', bytes)).toBe(
          reference(bytes, 0x9a6c9329ac4bc9b5n, 64n),
        );
      }),
    );
  });

  it('match node:crypto for SHA-1 and SHA-256', () => {
    const data = Buffer.from('hello world');
    expect(computeChecksum('SHA1', data)).toBe(createHash('sha1').update(data).digest('base64'));
    expect(computeChecksum('SHA256', data)).toBe(
      createHash('sha256').update(data).digest('base64'),
    );
  });
});

describe('digestBody', () => {
  it('passes the body through and digests it however it is cut', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 1, max: 64 }),
        async (bytes, size) => {
          const data = Buffer.from(bytes);
          const all: ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];
          const result = await digest(data, all, size);
          expect(result.size).toBe(data.length);
          expect(result.md5Hex).toBe(createHash('md5').update(data).digest('hex'));
          expect(result.sha256Hex).toBe(createHash('sha256').update(data).digest('hex'));
          for (const algorithm of all) {
            expect(result.checksums[algorithm]).toBe(computeChecksum(algorithm, data));
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('computes only what is asked, and has no result before the end', async () => {
    const digesting = digestBody(pieces(Buffer.from('abc'), 1), { sha256: true });
    expect(() => digesting.result()).toThrow(/not been read/);
    for await (const chunk of digesting.body) expect(chunk.length).toBe(1);
    expect(digesting.result().checksums).toEqual({
      SHA256: computeChecksum('SHA256', Buffer.from('abc')),
    });
    expect(digesting.result().sha256Hex).toBe(createHash('sha256').update('abc').digest('hex'));
  });
});

describe('checksumExpectations and verifyChecksums', () => {
  const data = Buffer.from('hello');
  const md5 = createHash('md5').update(data).digest('base64');
  const crc32 = computeChecksum('CRC32', data);
  let result: DigestResult;
  beforeAll(async () => {
    result = await digest(data, ['CRC32']);
  });

  it('reads headers as botocore sends them and accepts matching digests', () => {
    const expected = checksumExpectations({
      'content-md5': md5,
      'x-amz-sdk-checksum-algorithm': 'CRC32',
      'x-amz-checksum-crc32': crc32,
      'x-amz-checksum-type': 'FULL_OBJECT',
    });
    expect(expected).toEqual({ contentMd5: md5, algorithm: 'CRC32', value: crc32 });
    expect(verifyChecksums(expected, result)).toEqual({ algorithm: 'CRC32', value: crc32 });
  });

  it('takes the value from the aws-chunked trailer the JS SDK declares', () => {
    const expected = checksumExpectations({
      'x-amz-trailer': 'x-amz-checksum-crc32',
      'x-amz-sdk-checksum-algorithm': 'crc32',
    });
    expect(expected).toEqual({ algorithm: 'CRC32', trailer: 'x-amz-checksum-crc32' });
    const trailers = new Map([['x-amz-checksum-crc32', crc32]]);
    expect(verifyChecksums(expected, result, trailers)).toEqual({
      algorithm: 'CRC32',
      value: crc32,
    });
    expect(code(() => verifyChecksums(expected, result))).toMatch(/^MalformedTrailerError/);
    expect(
      code(() =>
        verifyChecksums(expected, result, new Map([['x-amz-checksum-crc32', 'AAAAAA==']])),
      ),
    ).toBe('BadDigest: The CRC32 you specified did not match the calculated checksum.');
  });

  it('answers BadDigest for a mismatch and InvalidDigest / InvalidRequest for malformed values', () => {
    const wrongMd5 = createHash('md5').update('other').digest('base64');
    expect(
      code(() => verifyChecksums(checksumExpectations({ 'content-md5': wrongMd5 }), result)),
    ).toBe('BadDigest: The Content-MD5 you specified did not match what we received.');
    expect(
      code(() =>
        verifyChecksums(checksumExpectations({ 'x-amz-checksum-crc32': 'AAAAAA==' }), result),
      ),
    ).toBe('BadDigest: The CRC32 you specified did not match the calculated checksum.');
    expect(code(() => checksumExpectations({ 'content-md5': 'nope' }))).toMatch(/^InvalidDigest/);
    expect(code(() => checksumExpectations({ 'content-md5': 'AAAA' }))).toMatch(/^InvalidDigest/);
    expect(code(() => checksumExpectations({ 'x-amz-checksum-sha256': crc32 }))).toBe(
      'InvalidRequest: Value for x-amz-checksum-sha256 header is invalid.',
    );
    expect(
      code(() =>
        checksumExpectations({ 'x-amz-checksum-crc32': crc32, 'x-amz-checksum-crc32c': crc32 }),
      ),
    ).toMatch(/^InvalidRequest: Expecting a single x-amz-checksum- header/);
    expect(code(() => checksumExpectations({ 'x-amz-sdk-checksum-algorithm': 'CRC32' }))).toMatch(
      /^InvalidRequest: x-amz-sdk-checksum-algorithm specified/,
    );
    expect(code(() => checksumExpectations({ 'x-amz-trailer': 'x-amz-checksum-md4' }))).toMatch(
      /^InvalidRequest/,
    );
  });

  it('ignores x-amz-checksum-* headers that are not checksums', () => {
    expect(
      checksumExpectations({
        'x-amz-checksum-mode': 'ENABLED',
        'x-amz-checksum-algorithm': 'CRC32',
      }),
    ).toEqual({});
  });
});

describe('multipart digests', () => {
  it('builds the multipart ETag from the parts MD5s', () => {
    const parts = ['a', 'b'].map((p) => createHash('md5').update(p).digest('hex'));
    const expected = createHash('md5')
      .update(Buffer.concat(parts.map((p) => Buffer.from(p, 'hex'))))
      .digest('hex');
    expect(multipartEtag(parts)).toBe(`"${expected}-2"`);
    expect(multipartEtag(parts.map((p) => `"${p}"`))).toBe(`"${expected}-2"`);
  });

  it('builds a composite checksum from the parts checksums', () => {
    const parts = ['a', 'b'].map((p) => computeChecksum('CRC32', Buffer.from(p)));
    const joined = Buffer.concat(parts.map((p) => Buffer.from(p, 'base64')));
    expect(compositeChecksum('CRC32', parts)).toBe(`${computeChecksum('CRC32', joined)}-2`);
  });
});
