import type { BlobStore } from '@slipway/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** Opens a fresh, empty blob store; `close` frees what it holds. */
export type BlobStoreFactory = () => Promise<{ store: BlobStore; close(): Promise<void> }>;

async function* chunks(...parts: (string | Uint8Array)[]): AsyncIterable<Uint8Array> {
  for (const part of parts) {
    // Each chunk arrives on a later tick, as a socket's would.
    yield await Promise.resolve(typeof part === 'string' ? new TextEncoder().encode(part) : part);
  }
}

async function* failingAfter(part: string): AsyncIterable<Uint8Array> {
  yield await Promise.resolve(new TextEncoder().encode(part));
  throw new Error('client went away');
}

async function readAll(body: AsyncIterable<Uint8Array> | undefined): Promise<string | undefined> {
  if (body === undefined) return undefined;
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString('latin1');
}

/** What every BlobStore must do, run against each implementation. */
export function blobStoreContract(name: string, factory: BlobStoreFactory): void {
  describe(`BlobStore contract: ${name}`, () => {
    let store: BlobStore;
    let opened: Awaited<ReturnType<BlobStoreFactory>>;

    beforeEach(async () => {
      opened = await factory();
      store = opened.store;
    });
    afterEach(() => opened.close());

    it('stores a body written in chunks and reads it back whole', async () => {
      expect(await store.put('a/b-1', chunks('hello ', 'blob ', 'world'))).toEqual({ size: 16 });
      expect(await readAll(await store.get('a/b-1'))).toBe('hello blob world');
      expect(await store.stat('a/b-1')).toEqual({ size: 16 });
    });

    it('keeps every byte value as it was', async () => {
      const all = Uint8Array.from({ length: 256 }, (_, i) => i);
      await store.put('bytes', chunks(all, all));
      const read = await readAll(await store.get('bytes'));
      expect(Buffer.from(read ?? '', 'latin1').equals(Buffer.concat([all, all]))).toBe(true);
    });

    it('stores an empty blob', async () => {
      expect(await store.put('empty', chunks())).toEqual({ size: 0 });
      expect(await readAll(await store.get('empty'))).toBe('');
      expect(await store.stat('empty')).toEqual({ size: 0 });
    });

    it('reads inclusive byte ranges, clamping the end', async () => {
      await store.put('ranged', chunks('0123456789'));
      expect(await readAll(await store.get('ranged', { start: 2, end: 4 }))).toBe('234');
      expect(await readAll(await store.get('ranged', { start: 7, end: 100 }))).toBe('789');
      expect(await readAll(await store.get('ranged', { start: 9, end: 9 }))).toBe('9');
    });

    it('answers undefined for a blob that does not exist', async () => {
      expect(await store.get('missing')).toBeUndefined();
      expect(await store.stat('missing')).toBeUndefined();
    });

    it('replaces a blob written again under the same key', async () => {
      await store.put('again', chunks('first'));
      await store.put('again', chunks('second'));
      expect(await readAll(await store.get('again'))).toBe('second');
    });

    it('leaves nothing visible when the body fails part way', async () => {
      await expect(store.put('broken', failingAfter('partial'))).rejects.toThrow(/went away/);
      expect(await store.stat('broken')).toBeUndefined();
      expect(await store.get('broken')).toBeUndefined();
    });

    it('keeps the old blob when a replacement fails part way', async () => {
      await store.put('kept', chunks('old'));
      await expect(store.put('kept', failingAfter('new'))).rejects.toThrow();
      expect(await readAll(await store.get('kept'))).toBe('old');
    });

    it('deletes, idempotently', async () => {
      await store.put('gone', chunks('x'));
      await store.delete('gone');
      await store.delete('gone');
      expect(await store.stat('gone')).toBeUndefined();
    });

    it.each(['', '../escape', 'a/../../b', '/absolute', 'a//b', 'UPPER', 'dot.name', 'nul\0'])(
      'refuses the key %j',
      async (key) => {
        await expect(store.put(key, chunks('x'))).rejects.toThrow(/Invalid blob key/);
        await expect(store.get(key)).rejects.toThrow(/Invalid blob key/);
      },
    );
  });
}
