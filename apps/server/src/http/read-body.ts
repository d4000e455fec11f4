import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface ReadBody {
  readonly body: Buffer;
  /** Hex SHA-256, computed while reading. */
  readonly sha256: string;
}

export class BodyTooLargeError extends Error {
  readonly limit: number;

  constructor(limit: number) {
    super(`request body exceeds ${limit} bytes`);
    this.limit = limit;
  }
}

/**
 * Reads a whole request body, never more than `limit` bytes: a declared Content-Length over the
 * limit fails before reading, and a chunked body fails as soon as it passes it.
 */
export async function readBody(request: IncomingMessage, limit: number): Promise<ReadBody> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > limit) throw new BodyTooLargeError(limit);
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    hash.update(chunk);
    chunks.push(chunk);
  }
  return { body: Buffer.concat(chunks, size), sha256: hash.digest('hex') };
}
