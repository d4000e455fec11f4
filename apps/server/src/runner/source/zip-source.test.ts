import { createWriteStream } from 'node:fs';
import { lstat, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractZipSource, ZipSourceError } from './zip-source.ts';

interface Entry {
  readonly name: string;
  readonly data?: string;
  readonly mode?: number;
}

async function zipBuffer(entries: readonly Entry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    zip.addBuffer(Buffer.from(entry.data ?? ''), entry.name, {
      ...(entry.mode === undefined ? {} : { mode: entry.mode }),
    });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** yazl refuses unsafe names, so hostile archives are made by renaming in place. */
function rename(zip: Buffer, from: string, to: string): Buffer {
  expect(to.length).toBe(from.length);
  return Buffer.from(zip.toString('latin1').replaceAll(from, to), 'latin1');
}

describe('extractZipSource', () => {
  let root: string;
  let out: string;
  let archive: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'slipway-zip-source-'));
    out = join(root, 'src');
    archive = join(root, 'source.zip');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const extract = async (zip: Buffer, limits?: Parameters<typeof extractZipSource>[2]) => {
    await writeFile(archive, zip);
    return extractZipSource(archive, out, limits);
  };

  it('unpacks files, directories, executable modes and inside symlinks', async () => {
    const zip = await zipBuffer([
      { name: 'buildspec.yml', data: 'version: 0.2' },
      { name: 'scripts/run.sh', data: '#!/bin/sh\necho hi', mode: 0o100755 },
      { name: 'docs/readme.txt', data: 'read me' },
      { name: 'docs/latest', data: 'readme.txt', mode: 0o120777 },
    ]);
    expect(await extract(zip)).toEqual({ files: 3, bytes: 12 + 17 + 7 + 10 });
    expect(await readFile(join(out, 'buildspec.yml'), 'utf8')).toBe('version: 0.2');
    expect((await stat(join(out, 'scripts/run.sh'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(out, 'docs/readme.txt'))).mode & 0o777).toBe(0o644);
    expect((await lstat(join(out, 'docs/latest'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(out, 'docs/latest'))).toBe('readme.txt');
  });

  it.each([
    ['a name that climbs out', 'aa/evil.txt', '../evil.txt'],
    ['an absolute name', 'aaaaa.txt', '/tmp/x.t'.padEnd(9, 't')],
    ['a backslash name', 'aa/evil.txt', '..\\evil.txt'],
  ])('refuses %s and writes nothing outside', async (_, benign, hostile) => {
    const zip = rename(await zipBuffer([{ name: benign, data: 'x' }]), benign, hostile);
    await expect(extract(zip)).rejects.toThrow(ZipSourceError);
    expect(await readdir(root)).toEqual(expect.not.arrayContaining(['evil.txt']));
  });

  it('refuses a symlink pointing outside, before writing through it', async () => {
    const zip = await zipBuffer([
      { name: 'link', data: '../../etc', mode: 0o120777 },
      { name: 'link/passwd', data: 'owned' },
    ]);
    await expect(extract(zip)).rejects.toThrow(/points outside/);
  });

  it('never writes a file through a symlink made by the archive', async () => {
    // The link itself is inside, but writing `dir/file` through it must not happen either:
    // links are made after every file, so `dir` is a real directory when the file is written.
    const zip = await zipBuffer([
      { name: 'dir', data: 'elsewhere', mode: 0o120777 },
      { name: 'dir/file', data: 'data' },
    ]);
    await expect(extract(zip)).rejects.toThrow(ZipSourceError);
  });

  it('refuses a name given twice', async () => {
    const zip = rename(
      await zipBuffer([
        { name: 'a.txt', data: '1' },
        { name: 'b.txt', data: '2' },
      ]),
      'b.txt',
      'a.txt',
    );
    await expect(extract(zip)).rejects.toThrow(/twice/);
  });

  it('refuses an archive over its limits', async () => {
    const zip = await zipBuffer([
      { name: 'a', data: 'x'.repeat(1000) },
      { name: 'b', data: 'y'.repeat(1000) },
    ]);
    await expect(extract(zip, { maxEntries: 1, maxBytes: 1e9 })).rejects.toThrow(/entries/);
    await rm(out, { recursive: true, force: true });
    await expect(extract(zip, { maxEntries: 10, maxBytes: 1500 })).rejects.toThrow(/inflates/);
  });

  it('refuses what is not a zip archive', async () => {
    await expect(extract(Buffer.from('not a zip at all'))).rejects.toThrow(/not a readable zip/);
  });

  it('streams a large entry without holding it', async () => {
    const big = join(root, 'big.zip');
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.alloc(20 * 1024 * 1024, 1), 'big.bin');
    zip.end();
    await pipeline(zip.outputStream, createWriteStream(big));
    expect(await extractZipSource(big, out)).toEqual({ files: 1, bytes: 20 * 1024 * 1024 });
    expect((await stat(join(out, 'big.bin'))).size).toBe(20 * 1024 * 1024);
  });
});
