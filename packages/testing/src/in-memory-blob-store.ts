import { isBlobKey, type BlobInfo, type BlobStore, type ByteRange } from '@slipway/core';
import { settle } from './settle.ts';

/** Blobs in a Map, with the semantics of the disk store: visible only once fully written. */
export class InMemoryBlobStore implements BlobStore {
  readonly #blobs = new Map<string, Uint8Array>();

  async put(key: string, body: AsyncIterable<Uint8Array>): Promise<BlobInfo> {
    check(key);
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of body) {
      chunks.push(chunk.slice());
      size += chunk.byteLength;
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    this.#blobs.set(key, bytes);
    return { size };
  }

  get(key: string, range?: ByteRange): Promise<AsyncIterable<Uint8Array> | undefined> {
    return settle(() => {
      check(key);
      const bytes = this.#blobs.get(key);
      if (bytes === undefined) return undefined;
      const end = range === undefined ? bytes.byteLength : Math.max(range.start, range.end + 1);
      return once(bytes.slice(range?.start ?? 0, end));
    });
  }

  stat(key: string): Promise<BlobInfo | undefined> {
    return settle(() => {
      check(key);
      const bytes = this.#blobs.get(key);
      return bytes === undefined ? undefined : { size: bytes.byteLength };
    });
  }

  delete(key: string): Promise<void> {
    return settle(() => {
      check(key);
      this.#blobs.delete(key);
    });
  }
}

function check(key: string): void {
  if (!isBlobKey(key)) throw new Error(`Invalid blob key: ${JSON.stringify(key)}`);
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  if (bytes.byteLength > 0) yield await Promise.resolve(bytes);
}
