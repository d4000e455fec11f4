import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blobStoreContract, InMemoryBlobStore } from '@slipway/testing';
import { describe, expect, it } from 'vitest';
import { LocalDiskBlobStore } from './local-disk-blob-store.ts';

blobStoreContract('in-memory', () =>
  Promise.resolve({ store: new InMemoryBlobStore(), close: () => Promise.resolve() }),
);

blobStoreContract('local disk', async () => {
  const root = await mkdtemp(join(tmpdir(), 'slipway-blobs-'));
  const store = new LocalDiskBlobStore({ root });
  return {
    store,
    close: async () => {
      await store.close();
      await rm(root, { recursive: true, force: true });
    },
  };
});

describe('LocalDiskBlobStore', () => {
  async function* failing(): AsyncIterable<Uint8Array> {
    yield await Promise.resolve(new Uint8Array(1024));
    throw new Error('client went away');
  }

  it('shares one directory fsync between concurrent puts', async () => {
    const root = await mkdtemp(join(tmpdir(), 'slipway-blobs-'));
    const store = new LocalDiskBlobStore({ root });
    const keys = Array.from({ length: 20 }, (_, i) => `objects/k${i}`);
    await Promise.all(keys.map((key) => store.put(key, once(Buffer.from(key)))));
    for (const key of keys) expect((await store.stat(key))?.size).toBe(key.length);
    await store.close();
    await rm(root, { recursive: true, force: true });
  });

  it('leaves no partial file behind when a write fails', async () => {
    const root = await mkdtemp(join(tmpdir(), 'slipway-blobs-'));
    const store = new LocalDiskBlobStore({ root });
    await expect(store.put('k', failing())).rejects.toThrow();
    expect(await readdir(join(root, 'incoming'))).toEqual([]);
    await rm(root, { recursive: true, force: true });
  });

  it('sweeps partial writes a crashed process left, once they are a day old', async () => {
    const root = await mkdtemp(join(tmpdir(), 'slipway-blobs-'));
    const store = new LocalDiskBlobStore({ root });
    await store.put('warm-up', failingNever());
    const old = join(root, 'incoming', 'crashed.part');
    const recent = join(root, 'incoming', 'in-flight.part');
    await writeFile(old, 'partial');
    await writeFile(recent, 'partial');
    const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
    await utimes(old, dayAgo, dayAgo);
    expect(await store.sweepAbandoned()).toBe(1);
    expect(await readdir(join(root, 'incoming'))).toEqual(['in-flight.part']);
    await rm(root, { recursive: true, force: true });
  });
});

async function* failingNever(): AsyncIterable<Uint8Array> {
  yield await Promise.resolve(new Uint8Array(1));
}

describe('LocalDiskBlobStore under kill -9', () => {
  it('shows nothing of a blob whose writer was killed mid-write', async () => {
    const root = await mkdtemp(join(tmpdir(), 'slipway-blobs-'));
    // A writer that streams 1 MiB chunks forever; it is killed once bytes have reached disk.
    const script = `
      import { LocalDiskBlobStore } from ${JSON.stringify(join(import.meta.dirname, 'local-disk-blob-store.ts'))};
      const store = new LocalDiskBlobStore({ root: ${JSON.stringify(root)} });
      async function* forever() { for (;;) { yield new Uint8Array(1 << 20); await new Promise((r) => setTimeout(r, 5)); } }
      await store.put('killed', forever());
    `;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        stdio: 'ignore',
      },
    );
    const partial = async () => {
      const names = await readdir(join(root, 'incoming')).catch(() => [] as string[]);
      return names.length > 0;
    };
    const deadline = Date.now() + 10_000;
    while (!(await partial()) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    const store = new LocalDiskBlobStore({ root });
    expect(await partial()).toBe(true);
    expect(await store.stat('killed')).toBeUndefined();
    expect(await store.get('killed')).toBeUndefined();
    await rm(root, { recursive: true, force: true });
  });
});

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield await Promise.resolve(bytes);
}
