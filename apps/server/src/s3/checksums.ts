import { createHash, timingSafeEqual } from 'node:crypto';
import type { DigestWorkers, NativeDigest } from '../objects/digest-workers.ts';
import { digestStream } from '../objects/streaming-digests.ts';
import { createHasher, type Hasher } from './digests.ts';
import { S3Errors } from './s3-errors.ts';

/** The flexible checksums S3 accepts (`x-amz-checksum-<lower-case name>`). */
export const ChecksumAlgorithm = {
  CRC32: 'CRC32',
  CRC32C: 'CRC32C',
  CRC64NVME: 'CRC64NVME',
  SHA1: 'SHA1',
  SHA256: 'SHA256',
} as const;
export type ChecksumAlgorithm = (typeof ChecksumAlgorithm)[keyof typeof ChecksumAlgorithm];

const digestBytes: Readonly<Record<ChecksumAlgorithm, number>> = {
  CRC32: 4,
  CRC32C: 4,
  CRC64NVME: 8,
  SHA1: 20,
  SHA256: 32,
};

/** One checksum of whole data, base64 as `x-amz-checksum-*` carries it. */
export function computeChecksum(algorithm: ChecksumAlgorithm, data: Uint8Array): string {
  const hasher = createHasher(algorithm);
  hasher.update(data);
  return hasher.digest().toString('base64');
}

export interface DigestResult {
  readonly size: number;
  /** Hex MD5: the ETag of a single-part object. */
  readonly md5Hex: string;
  /** Hex SHA-256, when asked for (`sha256`) or when SHA256 is among the algorithms. */
  readonly sha256Hex?: string;
  /** Base64 digests of the requested algorithms. */
  readonly checksums: Readonly<Partial<Record<ChecksumAlgorithm, string>>>;
}

export interface DigestOptions {
  readonly algorithms?: readonly ChecksumAlgorithm[];
  /** Also compute the hex SHA-256, to check a declared `x-amz-content-sha256`. */
  readonly sha256?: boolean;
  /** Where a large body's native digests are computed; on the event loop without. */
  readonly workers?: DigestWorkers | undefined;
}

const nativeDigests: ReadonlySet<string> = new Set<NativeDigest>([
  'MD5',
  'SHA1',
  'SHA256',
  'CRC32',
]);

/**
 * Passes `body` through unchanged while computing its MD5 and the requested digests: the
 * native ones through `digestStream` (on workers for a large body), CRC32C and CRC64NVME here.
 * `result()` is available once the wrapped body has been read to the end, and throws before.
 */
export function digestBody(
  body: AsyncIterable<Uint8Array>,
  options: DigestOptions = {},
): { body: AsyncIterable<Uint8Array>; result(): DigestResult } {
  const algorithms = [...new Set(options.algorithms ?? [])];
  if (options.sha256 === true && !algorithms.includes('SHA256')) algorithms.push('SHA256');
  const native = ['MD5', ...algorithms.filter((a) => nativeDigests.has(a))] as NativeDigest[];
  const local = algorithms
    .filter((algorithm) => !nativeDigests.has(algorithm))
    .map((algorithm) => [algorithm, createHasher(algorithm)] as const);
  const streamed = digestStream(
    local.length === 0 ? body : hashLocally(body, local),
    native,
    options.workers,
  );
  let result: DigestResult | undefined;
  async function* wrapped(): AsyncIterable<Uint8Array> {
    yield* streamed.body;
    const { size, digests: nativeResults } = streamed.result();
    const digest = (algorithm: ChecksumAlgorithm) =>
      nativeResults.get(algorithm as NativeDigest) ??
      local.find(([name]) => name === algorithm)?.[1].digest();
    const digests = algorithms.map((algorithm) => [algorithm, digest(algorithm)] as const);
    const sha256 = nativeResults.get('SHA256');
    result = {
      size,
      md5Hex: nativeResults.get('MD5')?.toString('hex') ?? '',
      ...(sha256 === undefined ? {} : { sha256Hex: sha256.toString('hex') }),
      checksums: Object.fromEntries(
        digests.map(([algorithm, value]) => [algorithm, value?.toString('base64') ?? '']),
      ),
    };
  }
  return {
    body: wrapped(),
    result: () => {
      if (result === undefined)
        throw new Error('digestBody: the body has not been read to its end');
      return result;
    },
  };
}

async function* hashLocally(
  body: AsyncIterable<Uint8Array>,
  hashers: readonly (readonly [ChecksumAlgorithm, Hasher])[],
): AsyncIterable<Uint8Array> {
  for await (const chunk of body) {
    for (const [, hasher] of hashers) hasher.update(chunk);
    yield chunk;
  }
}

/** What a request says its body's digests must be, read from its headers. */
export interface ChecksumExpectations {
  /** Base64 `Content-MD5`, checked to be 16 bytes. */
  readonly contentMd5?: string;
  /** The flexible checksum to compute, if any. */
  readonly algorithm?: ChecksumAlgorithm;
  /** Its expected base64 value, when given in a header. */
  readonly value?: string;
  /** Its trailer's name (`x-amz-checksum-crc32`), when the value comes after an aws-chunked body. */
  readonly trailer?: string;
}

/**
 * Reads `Content-MD5`, `x-amz-checksum-<alg>`, `x-amz-trailer` and
 * `x-amz-sdk-checksum-algorithm`. Throws InvalidDigest / InvalidRequest for malformed ones.
 */
export function checksumExpectations(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): ChecksumExpectations {
  const get = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  };
  const contentMd5 = get('content-md5')?.trim();
  if (contentMd5 !== undefined && !isDigest(contentMd5, 16)) {
    throw S3Errors.invalidDigest(contentMd5);
  }
  const given: { algorithm: ChecksumAlgorithm; value?: string; trailer?: string }[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const algorithm = algorithmOf(name);
    if (algorithm === undefined || value === undefined) continue;
    const text = (Array.isArray(value) ? value.join(',') : value).trim();
    if (!isDigest(text, digestBytes[algorithm])) {
      throw S3Errors.invalidRequest(`Value for ${name} header is invalid.`);
    }
    given.push({ algorithm, value: text });
  }
  for (const name of (get('x-amz-trailer') ?? '').split(',')) {
    const trailer = name.trim().toLowerCase();
    if (trailer === '') continue;
    const algorithm = algorithmOf(trailer);
    if (algorithm === undefined) {
      throw S3Errors.invalidRequest(
        'The value specified in the x-amz-trailer header is not supported',
      );
    }
    given.push({ algorithm, trailer });
  }
  if (given.length > 1) {
    throw S3Errors.invalidRequest(
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
  }
  const sdkAlgorithm = get('x-amz-sdk-checksum-algorithm')?.trim().toUpperCase();
  const chosen = given[0];
  if (sdkAlgorithm !== undefined && sdkAlgorithm !== '') {
    if (chosen === undefined) {
      throw S3Errors.invalidRequest(
        'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
      );
    }
    if (sdkAlgorithm !== chosen.algorithm) {
      throw S3Errors.invalidRequest('Value for x-amz-sdk-checksum-algorithm header is invalid.');
    }
  }
  return { ...(contentMd5 === undefined ? {} : { contentMd5 }), ...chosen };
}

/**
 * Compares the computed digests with the expected ones (trailers from the aws-chunked decoder,
 * lower-case names). Throws BadDigest on a mismatch, MalformedTrailerError when a declared trailer
 * is missing. Returns the verified flexible checksum, for the object to keep.
 */
export function verifyChecksums(
  expected: ChecksumExpectations,
  result: DigestResult,
  trailers: ReadonlyMap<string, string> = new Map(),
): { algorithm: ChecksumAlgorithm; value: string } | undefined {
  if (expected.contentMd5 !== undefined) {
    const calculated = Buffer.from(result.md5Hex, 'hex').toString('base64');
    if (!sameDigest(expected.contentMd5, calculated)) {
      throw S3Errors.badDigest('The Content-MD5 you specified did not match what we received.', {
        ExpectedDigest: expected.contentMd5,
        CalculatedDigest: calculated,
      });
    }
  }
  const { algorithm } = expected;
  if (algorithm === undefined) return undefined;
  let value = expected.value;
  if (expected.trailer !== undefined) {
    value = trailers.get(expected.trailer)?.trim();
    if (value === undefined) throw S3Errors.malformedTrailer();
    if (!isDigest(value, digestBytes[algorithm])) {
      throw S3Errors.invalidRequest(`Value for ${expected.trailer} trailing header is invalid.`);
    }
  }
  const calculated = result.checksums[algorithm];
  if (calculated === undefined) {
    throw new Error(`verifyChecksums: ${algorithm} was not computed (pass it to digestBody)`);
  }
  if (value === undefined || !sameDigest(value, calculated)) {
    throw S3Errors.badDigest(
      `The ${algorithm} you specified did not match the calculated checksum.`,
    );
  }
  return { algorithm, value: calculated };
}

/** The ETag of a completed multipart upload: MD5 of the parts' binary MD5s, dash, part count. */
export function multipartEtag(partMd5Hexes: readonly string[]): string {
  const hash = createHash('md5');
  for (const hex of partMd5Hexes) hash.update(Buffer.from(hex.replace(/"/g, ''), 'hex'));
  return `"${hash.digest('hex')}-${partMd5Hexes.length}"`;
}

/** A multipart object's composite checksum: the checksum of the parts' checksums, dash, count. */
export function compositeChecksum(
  algorithm: ChecksumAlgorithm,
  partChecksums: readonly string[],
): string {
  const joined = Buffer.concat(partChecksums.map((c) => Buffer.from(c, 'base64')));
  return `${computeChecksum(algorithm, joined)}-${partChecksums.length}`;
}

function algorithmOf(headerName: string): ChecksumAlgorithm | undefined {
  if (!headerName.startsWith('x-amz-checksum-')) return undefined;
  const suffix = headerName.slice('x-amz-checksum-'.length).toUpperCase();
  return Object.hasOwn(digestBytes, suffix) ? (suffix as ChecksumAlgorithm) : undefined;
}

/** Canonical base64 of exactly `bytes` bytes. */
function isDigest(value: string, bytes: number): boolean {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return false;
  const decoded = Buffer.from(value, 'base64');
  return decoded.length === bytes && decoded.toString('base64') === value;
}

function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
