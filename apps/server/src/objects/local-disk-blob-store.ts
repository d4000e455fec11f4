import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { isBlobKey, type BlobInfo, type BlobStore, type ByteRange } from '@slipway/core';
import { SharedFsync } from '../platform/shared-fsync.ts';

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
    // Written back while the body still arrives, so the final fsync has little left to do.
    let syncing: Promise<void> = Promise.resolve();
    let unsynced = 0;
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
        unsynced += batch.reduce((sum, chunk) => sum + chunk.byteLength, 0);
        if (unsynced >= earlySyncBytes) {
          unsynced = 0;
          const written = writing;
          syncing = syncing.then(() => written).then(() => file.datasync());
          syncing.catch(() => undefined);
        }
      };
      for await (const chunk of body) {
        pending.push(chunk);
        pendingBytes += chunk.byteLength;
        size += chunk.byteLength;
        if (pendingBytes >= writeBatchBytes) await flush();
      }
      await flush();
      await writing;
      await syncing;
      await file.sync();
      await file.close();
      await this.#ensureDirectory(dirname(target));
      await rename(temporary, target);
      // The rename is durable once its directory is; concurrent puts share that fsync.
      await this.#directorySync(dirname(target)).sync();
    } catch (error) {
      await writing.catch(() => undefined);
      await syncing.catch(() => undefined);
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

  /** Stops the directory syncs; puts after this fail. */
  async close(): Promise<void> {
    const syncs = [...this.#directorySyncs.values()];
    this.#directorySyncs.clear();
    await Promise.all(syncs.map((sync) => sync.close()));
  }

  readonly #directorySyncs = new Map<string, SharedFsync>();

  #directorySync(path: string): SharedFsync {
    let sync = this.#directorySyncs.get(path);
    if (sync === undefined) {
      sync = new SharedFsync(path);
      this.#directorySyncs.set(path, sync);
    }
    return sync;
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
/** A large blob is flushed to disk in steps this size as it is written (fdatasync). */
const earlySyncBytes = 32 * 1024 * 1024;

/** One writev per batch (no copy into one buffer), continued after a short write. */
async function writeAll(file: FileHandle, chunks: readonly Uint8Array[]): Promise<void> {
  let rest = chunks.filter((chunk) => chunk.byteLength > 0);
  while (rest.length > 0) {
    let { bytesWritten } = await file.writev(rest.slice(0, maxIovecs));
    const remaining: Uint8Array[] = [];
    for (const chunk of rest) {
      if (bytesWritten >= chunk.byteLength) bytesWritten -= chunk.byteLength;
      else {
        remaining.push(bytesWritten === 0 ? chunk : chunk.subarray(bytesWritten));
        bytesWritten = 0;
      }
    }
    rest = remaining;
  }
}

/** IOV_MAX on Linux. */
const maxIovecs = 1024;

async function* emptyBody(): AsyncIterable<Uint8Array> {}
