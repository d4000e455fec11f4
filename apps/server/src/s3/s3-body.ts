import type { BodyDescription, Checksums } from '@slipway/core';
import { timingSafeEqual } from 'node:crypto';
import type { DigestWorkers } from '../objects/digest-workers.ts';
import { AwsChunkedError, decodeAwsChunked, type AwsChunkedResult } from './aws-chunked.ts';
import {
  checksumExpectations,
  digestBody,
  verifyChecksums,
  type ChecksumAlgorithm,
  type DigestResult,
} from './checksums.ts';
import { chunkSignature, type ChunkSigningContext, type S3Payload } from './s3-auth.ts';
import { S3Errors } from './s3-errors.ts';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** An upload's bytes as the service stores them, and what to record about them afterwards. */
export interface UploadBody {
  readonly body: AsyncIterable<Uint8Array>;
  /** Valid once `body` has been read to its end without throwing. */
  readonly describe: () => BodyDescription;
}

/**
 * The request body of a PUT/POST with its content encoding undone (aws-chunked) and every digest
 * the client declared checked at its end: the SigV4 payload hash, Content-MD5 and
 * `x-amz-checksum-*` (header or trailer). A mismatch throws from the body's last read, so the
 * blob being written is discarded and nothing becomes visible.
 */
export function uploadBody(
  raw: AsyncIterable<Uint8Array>,
  headers: Headers,
  payload: S3Payload,
  workers?: DigestWorkers,
): UploadBody {
  const expected = checksumExpectations(headers);
  const chunked = payload.kind === 'streaming' || isAwsChunked(headers);
  const decoded = chunked
    ? decodeAwsChunked(raw, {
        decodedLength: payload.kind === 'streaming' ? payload.decodedLength : undefined,
        hashChunks: payload.kind === 'streaming' && payload.chunkSigning !== undefined,
      })
    : undefined;
  const algorithms: ChecksumAlgorithm[] =
    expected.algorithm === undefined ? [] : [expected.algorithm];
  const digested = digestBody(decoded?.data ?? raw, {
    algorithms,
    sha256: payload.kind === 'hash',
    workers,
  });
  let verified: { algorithm: ChecksumAlgorithm; value: string } | undefined;
  let result: DigestResult | undefined;
  async function* checked(): AsyncIterable<Uint8Array> {
    try {
      yield* digested.body;
    } catch (error) {
      if (error instanceof AwsChunkedError) throw S3Errors.invalidRequest(error.message);
      throw error;
    }
    result = digested.result();
    if (payload.kind === 'hash' && result.sha256Hex !== payload.sha256.toLowerCase()) {
      throw S3Errors.contentSha256Mismatch(payload.sha256, result.sha256Hex ?? '');
    }
    const framing = decoded === undefined ? undefined : await decoded.done;
    if (payload.kind === 'streaming' && payload.chunkSigning !== undefined && framing) {
      verifyChunkSignatures(payload.chunkSigning, framing);
    }
    verified = verifyChecksums(expected, result, framing?.trailers);
  }
  return {
    body: checked(),
    describe: () => {
      if (result === undefined) throw new Error('the upload body was not read to its end');
      return { md5Hex: result.md5Hex, checksums: toChecksums(verified) };
    },
  };
}

/**
 * `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`: each chunk's signature chains from the previous one
 * (the seed is the request's), over that chunk's SHA-256. Checked once the body has ended, like
 * every other digest, so a tampered chunk discards the whole upload.
 */
function verifyChunkSignatures(context: ChunkSigningContext, framing: AwsChunkedResult): void {
  const { signatures, chunkSha256s } = framing;
  if (signatures.length !== chunkSha256s.length) {
    throw S3Errors.signatureDoesNotMatch({
      Detail: 'Every chunk of a signed upload must carry a signature.',
    });
  }
  let previous = context.seedSignature;
  for (const [i, sha256] of chunkSha256s.entries()) {
    const expected = chunkSignature(context, previous, sha256);
    const given = signatures[i] ?? '';
    if (
      given.length !== expected.length ||
      !timingSafeEqual(Buffer.from(given), Buffer.from(expected))
    ) {
      throw S3Errors.signatureDoesNotMatch({
        Detail: `Chunk ${i + 1} has a signature that does not match.`,
      });
    }
    previous = expected;
  }
}

function isAwsChunked(headers: Headers): boolean {
  const encoding = headers['content-encoding'];
  const value = Array.isArray(encoding) ? encoding.join(',') : (encoding ?? '');
  return value.split(',').some((e) => e.trim().toLowerCase() === 'aws-chunked');
}

const modelNames: Partial<Record<ChecksumAlgorithm, keyof Checksums>> = {
  CRC32: 'crc32',
  CRC32C: 'crc32c',
  SHA1: 'sha1',
  SHA256: 'sha256',
};

function toChecksums(verified: { algorithm: ChecksumAlgorithm; value: string } | undefined) {
  const name = verified === undefined ? undefined : modelNames[verified.algorithm];
  return name === undefined || verified === undefined ? {} : { [name]: verified.value };
}

/** The request body whole, for the small XML documents some operations send. */
export async function readSmallBody(raw: AsyncIterable<Uint8Array>, limit = 2 * 1024 * 1024) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of raw) {
    size += chunk.byteLength;
    if (size > limit) throw S3Errors.invalidRequest('The request body is too large.');
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
