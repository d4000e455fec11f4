import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { isBlobKey, type BlobInfo, type BlobStore, type ByteRange } from '@slipway/core';

export interface LocalDiskBlobStoreOptions {
  /** Blobs live at `<root>/blobs/<key>`, partial writes in `<root>/incoming/`. */
  readonly root: string;
}

/** Partial writes older than this are from a crashed process and are swept at start. */
const abandonedAfterMs = 24 * 60 * 60 * 1000;

/**
 * Blobs as files. A write goes to a temporary file in `incoming/`, is fsynced, then renamed into
 * place (and the directory fsynced), so a blob is either absent or complete, whatever happens
 * to the process or the machine. Keys are checked before they become paths.
 */
export class LocalDiskBlobStore implements BlobStore {
  readonly #blobs: string;
  readonly #incoming: string;

  constructor(options: LocalDiskBlobStoreOptions) {
    const root = resolve(options.root);
    this.#blobs = join(root, 'blobs');
    this.#incoming = join(root, 'incoming');
  }

  async put(key: string, body: AsyncIterable<Uint8Array>): Promise<BlobInfo> {
    const target = this.#pathOf(key);
    await this.#ensureDirectory(this.#incoming);
    const temporary = join(this.#incoming, `${randomUUID()}.part`);
    const file = await open(temporary, 'wx', 0o600);
    let size = 0;
    let writing: Promise<void> = Promise.resolve();
    try {
      // Socket chunks are 16–64 KiB; one write per chunk made the disk wait on each. Gathered
      // into 1 MiB writes, the next chunks arrive while one is being written.
      let pending: Uint8Array[] = [];
      let pendingBytes = 0;
      const flush = async () => {
        const batch = pending;
        pending = [];
        pendingBytes = 0;
        await writing;
        writing = writeAll(file, batch);
        // Observed at the next flush; marked handled now so a failing disk never surfaces as
        // an unhandled rejection while the body is still being read.
        writing.catch(() => undefined);
      };
      for await (const chunk of body) {
        pending.push(chunk);
        pendingBytes += chunk.byteLength;
        size += chunk.byteLength;
        if (pendingBytes >= writeBatchBytes) await flush();
      }
      await flush();
      await writing;
      await file.sync();
      await file.close();
      await this.#ensureDirectory(dirname(target));
      await rename(temporary, target);
      await syncDirectory(dirname(target));
    } catch (error) {
      await writing.catch(() => undefined);
      await file.close().catch(() => undefined);
      await rm(temporary, { force: true });
      throw error;
    }
    return { size };
  }

  async get(key: string, range?: ByteRange): Promise<AsyncIterable<Uint8Array> | undefined> {
    const path = this.#pathOf(key);
    // Opened before returning, so a blob deleted afterwards still reads whole.
    const file = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (file === undefined) return undefined;
    const { size } = await file.stat();
    if (range !== undefined && (range.start >= size || range.end < range.start)) {
      await file.close();
      return emptyBody();
    }
    return createReadStream('', {
      fd: file,
      ...(range === undefined ? {} : { start: range.start, end: Math.min(range.end, size - 1) }),
    });
  }

  async stat(key: string): Promise<BlobInfo | undefined> {
    try {
      return { size: (await stat(this.#pathOf(key))).size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.#pathOf(key), { force: true });
  }

  /** Removes partial writes a crashed process left behind; returns how many. */
  async sweepAbandoned(now = Date.now()): Promise<number> {
    const names = await readdir(this.#incoming).catch(() => [] as string[]);
    let swept = 0;
    for (const name of names) {
      const path = join(this.#incoming, name);
      const info = await stat(path).catch(() => undefined);
      if (info === undefined || now - info.mtimeMs < abandonedAfterMs) continue;
      await rm(path, { force: true });
      swept += 1;
    }
    return swept;
  }

  /** Directories made once per process: an upload should not pay a mkdir each time. */
  readonly #made = new Set<string>();

  async #ensureDirectory(path: string): Promise<void> {
    if (this.#made.has(path)) return;
    await mkdir(path, { recursive: true });
    this.#made.add(path);
  }

  #pathOf(key: string): string {
    if (!isBlobKey(key)) throw new Error(`Invalid blob key: ${JSON.stringify(key)}`);
    return join(this.#blobs, key);
  }
}

const writeBatchBytes = 1024 * 1024;

async function writeAll(file: FileHandle, chunks: readonly Uint8Array[]): Promise<void> {
  const buffer = chunks.length === 1 ? (chunks[0] ?? new Uint8Array()) : Buffer.concat(chunks);
  let written = 0;
  while (written < buffer.byteLength) {
    const { bytesWritten } = await file.write(buffer, written, buffer.byteLength - written);
    written += bytesWritten;
  }
}

async function syncDirectory(path: string): Promise<void> {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

async function* emptyBody(): AsyncIterable<Uint8Array> {}
