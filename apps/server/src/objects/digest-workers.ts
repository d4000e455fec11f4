import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * Digests of large bodies on worker threads (docs/decisions/0012-… has the
 * measurements). MD5 runs at about 800 MB/s on one core and every upload needs it for its ETag;
 * on the event loop it capped a 256 MiB PutObject near 200 MB/s. A worker hashes while the
 * event loop reads the socket and writes the file. Only digests with a native implementation
 * run here (node:crypto, zlib's CRC32); each algorithm of a body may go to a different worker.
 */

/** Digests node:crypto or zlib compute natively, named as S3 names them. */
export type NativeDigest = 'MD5' | 'SHA1' | 'SHA256' | 'CRC32';

export interface RemoteDigests {
  /**
   * Hands bytes to the workers and returns at once. `chunk` must be the sole view of its own
   * ArrayBuffer (as from Buffer.concat of more than 4 KiB): it is moved to the last worker,
   * copied to the others, and detached here.
   */
  update(chunk: Buffer): void;
  /** The digests of everything updated, big-endian bytes. */
  digest(): Promise<Map<NativeDigest, Buffer>>;
  /** Drops the workers' state for a body that will not be finished. */
  discard(): void;
}

type Request =
  | { readonly type: 'open'; readonly id: number; readonly algorithm: NativeDigest }
  | { readonly type: 'update'; readonly id: number; readonly chunk: Uint8Array }
  | { readonly type: 'digest'; readonly id: number }
  | { readonly type: 'discard'; readonly id: number };

type Reply =
  | { readonly id: number; readonly digest: Uint8Array }
  | { readonly id: number; readonly error: string };

/**
 * The worker, as plain JavaScript: a worker cannot load this repository's TypeScript, and a
 * stringified function would carry the transpiler's helpers.
 */
const workerSource = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { crc32 } = require('node:zlib');
const hashes = new Map();
function open(algorithm) {
  if (algorithm === 'CRC32') {
    let value = 0;
    return {
      update: (data) => { value = crc32(data, value); },
      digest: () => { const out = Buffer.alloc(4); out.writeUInt32BE(value >>> 0); return out; },
    };
  }
  return createHash(algorithm.toLowerCase());
}
parentPort.on('message', (message) => {
  const { type, id } = message;
  try {
    if (type === 'open') hashes.set(id, open(message.algorithm));
    else if (type === 'update') hashes.get(id).update(message.chunk);
    else if (type === 'discard') hashes.delete(id);
    else if (type === 'digest') {
      const digest = hashes.get(id).digest();
      hashes.delete(id);
      parentPort.postMessage({ id, digest });
    }
  } catch (error) {
    hashes.delete(id);
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

interface Pending {
  resolve(digest: Buffer): void;
  reject(error: Error): void;
}

class DigestWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #dead: Error | undefined;

  constructor() {
    this.#worker = new Worker(workerSource, { eval: true });
    // Idle workers must not keep the process alive.
    this.#worker.unref();
    this.#worker.on('message', (reply: Reply) => {
      const pending = this.#pending.get(reply.id);
      if (pending === undefined) return;
      this.#pending.delete(reply.id);
      if ('error' in reply) pending.reject(new Error(`digest worker: ${reply.error}`));
      else pending.resolve(Buffer.from(reply.digest));
    });
    const fail = (error: Error) => {
      this.#dead ??= error;
      for (const pending of this.#pending.values()) pending.reject(this.#dead);
      this.#pending.clear();
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new Error(`digest worker exited (${code})`)));
  }

  get dead(): boolean {
    return this.#dead !== undefined;
  }

  post(request: Request, transfer?: ArrayBuffer): void {
    if (this.#dead !== undefined) return;
    this.#worker.postMessage(request, transfer === undefined ? [] : [transfer]);
  }

  digest(id: number): Promise<Buffer> {
    if (this.#dead !== undefined) return Promise.reject(this.#dead);
    const answer = new Promise<Buffer>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
    });
    this.#worker.postMessage({ type: 'digest', id } satisfies Request);
    return answer;
  }

  terminate(): Promise<number> {
    return this.#worker.terminate();
  }
}

/** A few workers, started on first use; a worker that dies is replaced on the next body. */
export class DigestWorkers {
  readonly #size: number;
  readonly #workers: (DigestWorker | undefined)[];
  #next = 0;
  #ids = 0;

  constructor(size = defaultWorkerCount()) {
    this.#size = Math.max(1, size);
    this.#workers = new Array<DigestWorker | undefined>(this.#size).fill(undefined);
  }

  /** One session per body; each algorithm on the next worker in turn. */
  open(algorithms: readonly NativeDigest[]): RemoteDigests {
    const lanes = algorithms.map((algorithm) => {
      const id = ++this.#ids;
      const worker = this.#worker();
      worker.post({ type: 'open', id, algorithm });
      return { algorithm, id, worker };
    });
    return {
      update: (chunk) => {
        const owned = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength;
        for (const [i, { id, worker }] of lanes.entries()) {
          const last = i === lanes.length - 1;
          const transfer = last && owned ? (chunk.buffer as ArrayBuffer) : undefined;
          worker.post({ type: 'update', id, chunk }, transfer);
        }
      },
      digest: async () => {
        const digests = await Promise.all(lanes.map(({ id, worker }) => worker.digest(id)));
        return new Map(lanes.map(({ algorithm }, i) => [algorithm, digests[i] as Buffer]));
      },
      discard: () => {
        for (const { id, worker } of lanes) worker.post({ type: 'discard', id });
      },
    };
  }

  /** Stops the workers; a body opened after this starts new ones. */
  async close(): Promise<void> {
    const workers = this.#workers.filter((worker) => worker !== undefined);
    this.#workers.fill(undefined);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  #worker(): DigestWorker {
    const slot = this.#next;
    this.#next = (this.#next + 1) % this.#size;
    let worker = this.#workers[slot];
    if (worker === undefined || worker.dead) {
      worker = new DigestWorker();
      this.#workers[slot] = worker;
    }
    return worker;
  }
}

/** One core is the event loop's; the rest may hash, up to four. */
function defaultWorkerCount(): number {
  return Math.min(4, Math.max(1, availableParallelism() - 1));
}
