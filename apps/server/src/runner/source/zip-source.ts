import { mkdir, open, symlink } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

/**
 * DOWNLOAD_SOURCE for S3 and CODEPIPELINE sources: a zip archive unpacked into the workspace.
 * The archive is hostile input: a name that is absolute or climbs out (`../`, zip-slip), a
 * symlink that points outside (or that a later entry would write through), duplicate names,
 * and an archive that inflates without bound are all refused before anything escapes.
 * yauzl (the careful, spec-following unzip library) reads the central directory and checks
 * each entry's sizes as it inflates.
 */
export interface ZipLimits {
  readonly maxEntries: number;
  /** Sum of the entries' uncompressed sizes. */
  readonly maxBytes: number;
}

export const defaultZipLimits: ZipLimits = { maxEntries: 200_000, maxBytes: 16 * 1024 ** 3 };

export class ZipSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipSourceError';
  }
}

export interface ZipExtraction {
  readonly files: number;
  readonly bytes: number;
}

const fileTypeMask = 0o170000;
const symlinkType = 0o120000;
const directoryType = 0o040000;

/** Unpacks `zipPath` into `directory` (created if absent; expected empty). */
export async function extractZipSource(
  zipPath: string,
  directory: string,
  limits: ZipLimits = defaultZipLimits,
): Promise<ZipExtraction> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(zipPath);
  } catch (error) {
    throw new ZipSourceError(`The source is not a readable zip archive: ${messageOf(error)}`);
  }
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw new ZipSourceError(
      `The archive has ${zip.entryCount} entries; at most ${limits.maxEntries} are allowed.`,
    );
  }
  await mkdir(directory, { recursive: true });
  const links: { path: string; target: string }[] = [];
  const names = new Set<string>();
  let bytes = 0;
  let files = 0;
  try {
    for await (const entry of eachEntry(zip)) {
      const name = safeName(entry.fileName);
      const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
      const type = mode & fileTypeMask;
      if (entry.fileName.endsWith('/') || type === directoryType) {
        await mkdir(join(directory, name), { recursive: true });
        continue;
      }
      if (names.has(name)) throw new ZipSourceError(`The archive names ${name} twice.`);
      names.add(name);
      bytes += entry.uncompressedSize;
      if (bytes > limits.maxBytes) {
        throw new ZipSourceError(`The archive inflates to more than ${limits.maxBytes} bytes.`);
      }
      if (type === symlinkType) {
        const target = await readSmall(zip, entry, 4096);
        checkLinkTarget(name, target);
        // Made after every file, so no entry is ever written through one.
        links.push({ path: join(directory, name), target });
        continue;
      }
      await mkdir(dirname(join(directory, name)), { recursive: true });
      // `wx`: O_CREAT|O_EXCL never follows a symlink or overwrites.
      const file = await open(join(directory, name), 'wx', mode & 0o111 ? 0o755 : 0o644);
      try {
        await pipeline(await openEntry(zip, entry), file.createWriteStream());
      } finally {
        await file.close().catch(() => undefined);
      }
      files += 1;
    }
    for (const link of links) {
      await mkdir(dirname(link.path), { recursive: true });
      await symlink(link.target, link.path);
    }
  } catch (error) {
    if (error instanceof ZipSourceError) throw error;
    throw new ZipSourceError(`The archive could not be unpacked: ${messageOf(error)}`);
  } finally {
    zip.close();
  }
  return { files, bytes };
}

/** A relative, normalised entry name inside the root; anything else is refused. */
function safeName(fileName: string): string {
  if (fileName.includes('\0') || fileName.includes('\\')) {
    throw new ZipSourceError(`The archive has an unsafe entry name: ${JSON.stringify(fileName)}`);
  }
  const normalised = posix.normalize(fileName).replace(/\/+$/, '');
  if (
    normalised === '' ||
    normalised === '.' ||
    posix.isAbsolute(normalised) ||
    normalised === '..' ||
    normalised.startsWith('../')
  ) {
    throw new ZipSourceError(
      `The archive has an entry outside its root: ${JSON.stringify(fileName)}`,
    );
  }
  return normalised;
}

/** A symlink's target must stay inside the root, resolved from the link's own directory. */
function checkLinkTarget(name: string, target: string): void {
  const resolved = posix.normalize(posix.join(posix.dirname(name), target));
  if (
    target === '' ||
    target.includes('\0') ||
    posix.isAbsolute(target) ||
    resolved === '..' ||
    resolved.startsWith('../')
  ) {
    throw new ZipSourceError(
      `The archive's symlink ${name} points outside the source: ${JSON.stringify(target)}`,
    );
  }
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(
      path,
      { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true },
      (error, zip) => (error ? reject(error) : resolve(zip)),
    );
  });
}

async function* eachEntry(zip: yauzl.ZipFile): AsyncIterable<yauzl.Entry> {
  for (;;) {
    const entry = await new Promise<yauzl.Entry | undefined>((resolve, reject) => {
      const onEntry = (found: yauzl.Entry) => {
        cleanUp();
        resolve(found);
      };
      const onEnd = () => {
        cleanUp();
        resolve(undefined);
      };
      const onError = (error: Error) => {
        cleanUp();
        reject(error);
      };
      const cleanUp = () => {
        zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
      };
      zip.once('entry', onEntry).once('end', onEnd).once('error', onError);
      zip.readEntry();
    });
    if (entry === undefined) return;
    yield entry;
  }
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream)));
  });
}

async function readSmall(zip: yauzl.ZipFile, entry: yauzl.Entry, limit: number): Promise<string> {
  if (entry.uncompressedSize > limit) {
    throw new ZipSourceError(`The archive's symlink ${entry.fileName} has a target too long.`);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of (await openEntry(zip, entry)) as AsyncIterable<Buffer>) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
