import { createHash } from 'node:crypto';
import type { HashedBody } from '@slipway/core';
import type { DigestWorkers } from './digest-workers.ts';
import { digestStream } from './streaming-digests.ts';

/** Lowercase hex MD5, for multipart ETags. */
export function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/**
 * Bytes the service moves itself (part copies, artifacts), hashed on the way for their ETag;
 * a large body on `workers`.
 */
export function hashBody(body: AsyncIterable<Uint8Array>, workers?: DigestWorkers): HashedBody {
  const digested = digestStream(body, ['MD5'], workers);
  return {
    body: digested.body,
    describe: () => ({
      md5Hex: digested.result().digests.get('MD5')?.toString('hex') ?? '',
      checksums: {},
    }),
  };
}
