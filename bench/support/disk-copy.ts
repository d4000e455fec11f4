import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A deterministic body of `totalBytes` in `chunkBytes` pieces (fs.createReadStream's 64 KiB by
 * default), made from one random block with each chunk's index stamped in its first bytes, so
 * no two chunks are alike and nothing holds the whole body. Each call yields the same bytes.
 */
export class GeneratedBody {
  readonly #block: Buffer;
  readonly totalBytes: number;
  readonly chunkBytes: number;

  constructor(totalBytes: number, chunkBytes = 64 * 1024) {
    this.totalBytes = totalBytes;
    this.chunkBytes = chunkBytes;
    this.#block = randomBytes(16 * chunkBytes);
  }

  *chunks(): Generator<Buffer> {
    const { totalBytes, chunkBytes } = this;
    for (let offset = 0, index = 0; offset < totalBytes; offset += chunkBytes, index += 1) {
      const size = Math.min(chunkBytes, totalBytes - offset);
      const from = (index * chunkBytes) % this.#block.length;
      const chunk = Buffer.allocUnsafe(size);
      this.#block.copy(chunk, 0, from, from + size);
      if (size >= 4) chunk.writeUInt32BE(index, 0);
      yield chunk;
    }
  }

  /** A byte-mode stream of the body, for an SDK request. */
  stream(): Readable {
    return Readable.from(this.chunks(), { objectMode: false });
  }

  /** Writes the body to `path`; its SHA-256 and MD5, hex. */
  async writeTo(path: string): Promise<{ sha256: string; md5: string }> {
    const sha256 = createHash('sha256');
    const md5 = createHash('md5');
    const chunks = this.chunks();
    await pipeline(
      Readable.from(
        (function* () {
          for (const chunk of chunks) {
            sha256.update(chunk);
            md5.update(chunk);
            yield chunk;
          }
        })(),
        { objectMode: false },
      ),
      createWriteStream(path),
    );
    return { sha256: sha256.digest('hex'), md5: md5.digest('hex') };
  }
}

/** `cp source target`, then `sync target` (fsync of that file): ms for both. */
export async function timeCopy(source: string, target: string): Promise<number> {
  const started = performance.now();
  await run('cp', [source, target]);
  await run('sync', [target]);
  return performance.now() - started;
}

/**
 * `cp -r sourceDir targetDir`, then `sync` of every copied file (one fsync each, in turn, as
 * coreutils does): ms for both.
 */
export async function timeCopyTree(
  sourceDir: string,
  targetDir: string,
  names: readonly string[],
): Promise<number> {
  const started = performance.now();
  await run('cp', ['-r', sourceDir, targetDir]);
  await run(
    'sync',
    names.map((name) => `${targetDir}/${name}`),
  );
  return performance.now() - started;
}

/** `cat path > /dev/null`: a read of the file as the page cache holds it, ms. */
export async function timeRead(path: string): Promise<number> {
  const started = performance.now();
  await run('sh', ['-c', 'cat "$1" > /dev/null', 'sh', path]);
  return performance.now() - started;
}

/** Writes then fsyncs one new file: what a server storing one object must at least do. */
export async function writeSynced(path: string, data: Uint8Array): Promise<void> {
  const file = await open(path, 'wx');
  try {
    await file.write(data);
    await file.sync();
  } finally {
    await file.close();
  }
}

/** True when both paths are on the same device (filesystem). */
export async function sameFilesystem(a: string, b: string): Promise<boolean> {
  const [first, second] = await Promise.all([stat(a), stat(b)]);
  return first.dev === second.dev;
}

/** The filesystem type and device of a path, as `df` names them, for the report. */
export async function describeFilesystem(path: string): Promise<string> {
  try {
    const { stdout } = await run('df', ['--output=fstype,source', path]);
    const line = stdout.trim().split('\n')[1]?.trim().replace(/\s+/g, ' on ');
    return line ?? 'unknown filesystem';
  } catch {
    return 'unknown filesystem';
  }
}
