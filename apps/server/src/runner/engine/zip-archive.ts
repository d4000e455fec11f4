/**
 * Streams a ZIP archive of workspace files to a consumer, never holding it in memory.
 *
 * yazl rather than archiver or the `zip` CLI: yazl streams (files are opened lazily, one at a
 * time, and the archive is produced as it is read), writes Zip64 when needed, takes the mode
 * and mtime of each entry (so executables and symbolic links survive), and has one small
 * dependency; archiver brings a dozen. The `zip` CLI would have to be installed on every
 * runner and would open files by path itself, past the engine's checks on what it opens.
 */
import { createHash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { ZipFile } from 'yazl';

export interface ZipEntry {
  readonly archivePath: string;
  readonly mtime: Date;
  readonly mode: number;
  /** A symbolic link's text; the entry is stored as a link. */
  readonly linkText?: string;
  /** Opens the content of a regular file. */
  readonly open?: () => Promise<Readable>;
}

export interface ZipStream {
  /** The archive's bytes; it errors if a file cannot be read. */
  readonly stream: Readable;
  /** Hex digests of the archive, valid once `stream` has ended. */
  digests(): { sha256: string; md5: string };
}

/** Starts the archive; entries are read only as the stream is consumed. */
export function zipEntries(entries: readonly ZipEntry[], signal?: AbortSignal): ZipStream {
  const zip = new ZipFile();
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  const out = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      sha256.update(chunk);
      md5.update(chunk);
      callback(null, chunk);
    },
  });
  const fail = (error: unknown) =>
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  zip.on('error', fail);
  zip.outputStream.on('error', fail);
  zip.outputStream.pipe(out);
  const onAbort = () => fail(signal?.reason ?? new Error('aborted'));
  signal?.addEventListener('abort', onAbort, { once: true });
  out.once('close', () => signal?.removeEventListener('abort', onAbort));

  for (const entry of entries) {
    const options = { mtime: entry.mtime, mode: entry.mode };
    if (entry.linkText !== undefined) {
      zip.addBuffer(Buffer.from(entry.linkText), entry.archivePath, {
        ...options,
        mode: 0o120777,
        compress: false,
      });
      continue;
    }
    const open = entry.open;
    if (open === undefined) continue;
    zip.addReadStreamLazy(entry.archivePath, options, (callback) => {
      open().then(
        (stream) => {
          stream.on('error', (error: Error) => zip.emit('error', error));
          callback(null, stream);
        },
        (error: unknown) => callback(error, undefined as unknown as NodeJS.ReadableStream),
      );
    });
  }
  zip.end();
  let digests: { sha256: string; md5: string } | undefined;
  return {
    stream: out,
    digests: () => (digests ??= { sha256: sha256.digest('hex'), md5: md5.digest('hex') }),
  };
}
