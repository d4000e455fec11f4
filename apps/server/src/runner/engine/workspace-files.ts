/**
 * Reading a finished build's files from the host. The build owned them, so they are hostile:
 * a symbolic link may point at /etc/shadow, a directory may be swapped for a link while the
 * engine reads, a FIFO would block an open forever. Every file is opened without blocking and
 * then checked through /proc/self/fd: what was actually opened must be a regular file inside
 * the workspace. Listing never follows a link; a link is reported with what it points at.
 */
import { constants, type Dirent } from 'node:fs';
import { open, opendir, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { AppError } from '@slipway/core';

/** A file or link found under a directory, by its `/`-separated relative path. */
export type ListedEntry =
  | { readonly path: string; readonly kind: 'file' }
  | {
      readonly path: string;
      readonly kind: 'link';
      /** The link's text, as `readlink` gives it. */
      readonly linkText: string;
      /** Where it leads: a file or directory inside the workspace, or not. */
      readonly target: 'file' | 'directory' | 'outside' | 'missing';
    };

/** Most entries listed under one directory: a bound on memory and time for hostile trees. */
export const maxListedEntries = 1_000_000;

/** The real path of the workspace root, against which every path is checked. */
export async function realRoot(root: string): Promise<string> {
  return realpath(root);
}

export function isInside(realRootPath: string, path: string): boolean {
  const rel = relative(realRootPath, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Every file and link below `dir` (relative to it, `/`-separated), not entering links.
 * Directories themselves, FIFOs, sockets and devices are left out.
 */
export async function listFiles(dir: string, rootReal: string): Promise<ListedEntry[]> {
  const out: ListedEntry[] = [];
  const walk = async (absolute: string, prefix: string): Promise<void> => {
    let handle;
    try {
      handle = await opendir(absolute);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const entries: Dirent[] = [];
    for await (const entry of handle) entries.push(entry);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (out.length >= maxListedEntries) {
        throw AppError.invalidInput(`The workspace holds more than ${maxListedEntries} files`);
      }
      const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      const full = join(absolute, entry.name);
      if (entry.isDirectory()) await walk(full, path);
      else if (entry.isFile()) out.push({ path, kind: 'file' });
      else if (entry.isSymbolicLink()) out.push(await describeLink(full, path, rootReal));
    }
  };
  await walk(dir, '');
  return out;
}

async function describeLink(full: string, path: string, rootReal: string): Promise<ListedEntry> {
  const linkText = await readlink(full);
  const target = await realpath(full).catch(() => undefined);
  if (target === undefined) return { path, kind: 'link', linkText, target: 'missing' };
  if (!isInside(rootReal, target)) return { path, kind: 'link', linkText, target: 'outside' };
  const info = await stat(target).catch(() => undefined);
  if (info?.isDirectory()) return { path, kind: 'link', linkText, target: 'directory' };
  if (info?.isFile()) return { path, kind: 'link', linkText, target: 'file' };
  return { path, kind: 'link', linkText, target: 'missing' };
}

/**
 * Opens a regular file for reading, following links, and makes sure what was opened lies in
 * the workspace. Throws an AppError (InvalidInput) that says why when it does not.
 */
export async function openInside(
  path: string,
  rootReal: string,
  what: string,
): Promise<FileHandle> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const opened = await readlink(`/proc/self/fd/${handle.fd}`);
    if (!isInside(rootReal, opened)) {
      throw AppError.invalidInput(`${what} leads to ${opened}, outside the build's workspace`);
    }
    if (!(await handle.stat()).isFile()) {
      throw AppError.invalidInput(`${what} is not a regular file`);
    }
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Reads at most `maxBytes` + 1 bytes, so a caller can tell an over-long file. */
export async function readBounded(handle: FileHandle, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buffer = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - total));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) break;
    chunks.push(buffer.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) break;
  }
  return Buffer.concat(chunks, total);
}
