import { createHash } from 'node:crypto';
import {
  ObjectsService,
  type BlobInfo,
  type BlobStore,
  type ByteRange,
  type HashedBody,
  type ObjectsOptions,
  type Scope,
} from '@slipway/core';
import { FakeClock } from './fake-clock.ts';
import { InMemoryBlobStore } from './in-memory-blob-store.ts';
import { InMemoryObjectMetadataStore } from './in-memory-object-metadata-store.ts';
import { SeededRandom } from './seeded-random.ts';

/** Lowercase hex MD5, as the server computes it. */
export function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/**
 * A hashing stream like the S3 door's: MD5 and SHA-256 (base64, as `x-amz-checksum-sha256`)
 * of the bytes passed on; `describe` throws until the body has been read to its end.
 */
export function hashBody(body: AsyncIterable<Uint8Array>): HashedBody {
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  let described: ReturnType<HashedBody['describe']> | undefined;
  async function* hashed(): AsyncIterable<Uint8Array> {
    for await (const chunk of body) {
      md5.update(chunk);
      sha256.update(chunk);
      yield chunk;
    }
    described = { md5Hex: md5.digest('hex'), checksums: { sha256: sha256.digest('base64') } };
  }
  return {
    body: hashed(),
    describe: () => {
      if (described === undefined) throw new Error('the body was not read to its end');
      return described;
    },
  };
}

/** A request body of these chunks, hashed as the door would. */
export function bodyOf(...chunks: readonly (string | Uint8Array)[]): HashedBody {
  return hashBody(chunksOf(chunks));
}

/** A body that yields these chunks, then fails as a client disconnect would. */
export function failingBody(error: Error, ...chunks: readonly (string | Uint8Array)[]): HashedBody {
  async function* failing(): AsyncIterable<Uint8Array> {
    yield* chunksOf(chunks);
    throw error;
  }
  return hashBody(failing());
}

async function* chunksOf(chunks: readonly (string | Uint8Array)[]): AsyncIterable<Uint8Array> {
  for (const chunk of chunks) {
    yield await Promise.resolve(
      typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk,
    );
  }
}

export async function readBytes(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Uint8Array.from(chunks.flatMap((chunk) => [...chunk]));
}

export async function readText(body: AsyncIterable<Uint8Array>): Promise<string> {
  return new TextDecoder().decode(await readBytes(body));
}

/** An in-memory blob store that also tells which blobs exist. */
export class TrackingBlobStore implements BlobStore {
  readonly #inner = new InMemoryBlobStore();
  readonly #keys = new Set<string>();

  /** The keys of the blobs that exist, sorted. */
  keys(): string[] {
    return [...this.#keys].sort();
  }

  async put(key: string, body: AsyncIterable<Uint8Array>): Promise<BlobInfo> {
    const info = await this.#inner.put(key, body);
    this.#keys.add(key);
    return info;
  }

  get(key: string, range?: ByteRange): Promise<AsyncIterable<Uint8Array> | undefined> {
    return this.#inner.get(key, range);
  }

  stat(key: string): Promise<BlobInfo | undefined> {
    return this.#inner.stat(key);
  }

  async delete(key: string): Promise<void> {
    await this.#inner.delete(key);
    this.#keys.delete(key);
  }
}

export interface ObjectsHarness {
  readonly service: ObjectsService;
  readonly metadata: InMemoryObjectMetadataStore;
  readonly blobs: TrackingBlobStore;
  readonly clock: FakeClock;
  readonly scope: Scope;
}

/** An ObjectsService on in-memory fakes; parts need only 5 bytes unless told otherwise. */
export function objectsHarness(options: ObjectsOptions = {}): ObjectsHarness {
  const metadata = new InMemoryObjectMetadataStore();
  const blobs = new TrackingBlobStore();
  const clock = new FakeClock();
  const service = new ObjectsService(
    { metadata, blobs, clock, random: new SeededRandom(), md5: md5Hex, hashBody },
    { minPartSize: 5, ...options },
  );
  return {
    service,
    metadata,
    blobs,
    clock,
    scope: { accountId: '123456789012', region: 'us-east-1' },
  };
}
