import { createHash } from 'node:crypto';
import type { HashedBody } from '@slipway/core';

/** Lowercase hex MD5, for multipart ETags. */
export function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** Bytes the service moves itself (part copies), hashed on the way for their ETag. */
export function hashBody(body: AsyncIterable<Uint8Array>): HashedBody {
  const md5 = createHash('md5');
  let done = false;
  async function* hashed(): AsyncIterable<Uint8Array> {
    for await (const chunk of body) {
      md5.update(chunk);
      yield chunk;
    }
    done = true;
  }
  let hex: string | undefined;
  return {
    body: hashed(),
    describe: () => {
      if (!done) throw new Error('the body was not read to its end');
      hex ??= md5.digest('hex');
      return { md5Hex: hex, checksums: {} };
    },
  };
}
