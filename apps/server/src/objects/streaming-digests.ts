import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { DigestWorkers, NativeDigest } from './digest-workers.ts';

/**
 * Bodies up to this many bytes are hashed on the event loop once they end: a worker's round
 * trip costs more than hashing them. Beyond it, bytes go to the workers in batches this size.
 */
export const offloadBytes = 512 * 1024;

export interface DigestedStream {
  /** The body, unchanged; its end waits for the digests. */
  readonly body: AsyncIterable<Uint8Array>;
  /** Valid once `body` has been read to its end. */
  result(): { readonly size: number; readonly digests: ReadonlyMap<NativeDigest, Buffer> };
}

/**
 * Passes `body` through while computing native digests of it: on the event loop for a small
 * body, on `workers` for a large one, so hashing overlaps the socket and the disk.
 */
export function digestStream(
  body: AsyncIterable<Uint8Array>,
  algorithms: readonly NativeDigest[],
  workers: DigestWorkers | undefined,
): DigestedStream {
  let size = 0;
  let digests: Map<NativeDigest, Buffer> | undefined;
  async function* wrapped(): AsyncIterable<Uint8Array> {
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    let remote: ReturnType<DigestWorkers['open']> | undefined;
    try {
      for await (const chunk of body) {
        size += chunk.byteLength;
        pending.push(chunk);
        pendingBytes += chunk.byteLength;
        if (workers !== undefined && algorithms.length > 0 && pendingBytes >= offloadBytes) {
          remote ??= workers.open(algorithms);
          // A fresh buffer of its own: socket chunks may be views into larger ones.
          remote.update(Buffer.concat(pending, pendingBytes));
          pending = [];
          pendingBytes = 0;
        }
        yield chunk;
      }
      if (remote === undefined) {
        digests = new Map(algorithms.map((algorithm) => [algorithm, hashHere(algorithm, pending)]));
      } else {
        if (pendingBytes > 0) remote.update(Buffer.concat(pending, pendingBytes));
        const finished = remote;
        remote = undefined;
        digests = await finished.digest();
      }
    } finally {
      remote?.discard();
    }
  }
  return {
    body: wrapped(),
    result: () => {
      if (digests === undefined) throw new Error('digestStream: the body has not ended');
      return { size, digests };
    },
  };
}

function hashHere(algorithm: NativeDigest, chunks: readonly Uint8Array[]): Buffer {
  if (algorithm === 'CRC32') {
    let value = 0;
    for (const chunk of chunks) value = crc32(chunk, value);
    const out = Buffer.alloc(4);
    out.writeUInt32BE(value >>> 0);
    return out;
  }
  const hash = createHash(algorithm.toLowerCase());
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest();
}
