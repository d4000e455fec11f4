import { open, type FileHandle } from 'node:fs/promises';

/**
 * An fsync of one file or directory on the thread pool, shared: a caller waits for a sync that
 * began after it asked, and every caller that asks while one runs shares the next. Concurrent
 * writers (SQLite COMMITs to one WAL, renames into one directory) then pay for one sync between
 * them, and the event loop never waits for the disk.
 */
export class SharedFsync {
  readonly #path: string;
  readonly #dataOnly: boolean;
  /** Opened on first use and kept, so a sync is one call. */
  #file: Promise<FileHandle> | undefined;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;
  /** Syncs so far, for tests and diagnostics. */
  syncs = 0;

  /** `dataOnly`: fdatasync (enough for a file whose size is all the metadata that matters). */
  constructor(path: string, options: { readonly dataOnly?: boolean } = {}) {
    this.#path = path;
    this.#dataOnly = options.dataOnly === true;
  }

  /** Resolves once everything written before the call is on disk. */
  sync(): Promise<void> {
    if (this.#running === undefined) return this.#start();
    // The running sync may have begun before the caller's write: it needs the next one.
    this.#queued ??= this.#running.then(ignore, ignore).then(() => {
      this.#queued = undefined;
      return this.#start();
    });
    return this.#queued;
  }

  async close(): Promise<void> {
    await this.#queued?.catch(ignore);
    await this.#running?.catch(ignore);
    const file = this.#file;
    this.#file = undefined;
    await (await file?.catch(() => undefined))?.close();
  }

  #start(): Promise<void> {
    const run = this.#sync().finally(() => {
      if (this.#running === run) this.#running = undefined;
    });
    this.#running = run;
    return run;
  }

  async #sync(): Promise<void> {
    this.#file ??= open(this.#path, 'r');
    const file = await this.#file.catch((error: unknown) => {
      this.#file = undefined;
      throw error;
    });
    await (this.#dataOnly ? file.datasync() : file.sync());
    this.syncs += 1;
  }
}

function ignore(): void {}
