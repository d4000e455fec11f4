import { constants } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, realpath, rmdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileExistsBehaviorFor, type AppSpec, type FileExistsBehavior } from '@slipway/appspec';
import { unknownFailure } from './command-failure.ts';

export interface InstallFilesInput {
  readonly appSpec: AppSpec;
  /** The extracted bundle: `files[].source` is relative to it. */
  readonly archiveDir: string;
  /** The deployment's fileExistsBehavior (AgentActionOverrides); the appspec's overrides it. */
  readonly deploymentBehavior: FileExistsBehavior | undefined;
  /** Told about files kept (RETAIN) and other decisions worth a line in the log. */
  readonly note?: (line: string) => void;
  /** Filled as the copy goes, so a failed Install's files are still cleaned up next time. */
  readonly created?: string[];
}

export interface InstalledFiles {
  /** Files copied and directories created, in creation order: the next Install's cleanup. */
  readonly created: readonly string[];
  /** Every path the copy wrote into: created files and directories, and directories merged. */
  readonly touched: ReadonlySet<string>;
}

/**
 * Install's file copy. Each mapping copies its source (a file, or a directory's contents) into
 * its destination. A file already there — one the last deployment did not install, since its
 * files were cleaned up — is refused (DISALLOW), replaced (OVERWRITE) or kept (RETAIN).
 * Nothing is written through a symlink under a destination: files are created with O_EXCL and
 * a symlink in the way is a conflict like any file, never followed.
 */
export async function installFiles(input: InstallFilesInput): Promise<InstalledFiles> {
  const state: CopyState = {
    created: input.created ?? [],
    touched: new Set(),
    written: new Set(),
    note: input.note ?? (() => undefined),
    archiveReal: await realpath(input.archiveDir),
  };
  for (const mapping of input.appSpec.files) {
    const behavior = fileExistsBehaviorFor(mapping, {
      appSpec: input.appSpec,
      deployment: input.deploymentBehavior,
    });
    const source = join(input.archiveDir, mapping.bundlePath);
    const info = await sourceInfo(source, mapping.source, state);
    await ensureDestination(mapping.destination, state);
    if (info.isDirectory()) {
      await copyDirectory(source, mapping.destination, behavior, state);
    } else {
      await copyOne(source, join(mapping.destination, basename(source)), behavior, state);
    }
  }
  return { created: state.created, touched: state.touched };
}

interface CopyState {
  readonly created: string[];
  readonly touched: Set<string>;
  /** Files this Install wrote, to catch two sources mapped onto one file. */
  readonly written: Set<string>;
  readonly note: (line: string) => void;
  readonly archiveReal: string;
}

async function sourceInfo(source: string, written: string, state: CopyState) {
  try {
    const real = await realpath(source);
    const inside = relative(state.archiveReal, real);
    if (inside.startsWith('..') || inside.startsWith('/')) throw new Error('outside the bundle');
    return await stat(real);
  } catch {
    throw unknownFailure(`The source '${written}' in the appspec's files is not in the bundle`);
  }
}

/** The destination itself may be (or sit under) a symlink the user chose; create what lacks. */
async function ensureDestination(destination: string, state: CopyState): Promise<void> {
  const missing: string[] = [];
  for (let path = destination; ; path = dirname(path)) {
    const info = await stat(path).catch(() => undefined);
    if (info !== undefined) {
      if (!info.isDirectory()) {
        throw unknownFailure(
          `The destination ${destination} is not a directory: ${path} is a file`,
        );
      }
      break;
    }
    missing.unshift(path);
    if (path === dirname(path)) break;
  }
  for (const path of missing) {
    await mkdir(path);
    state.created.push(path);
  }
  state.touched.add(destination);
}

async function copyDirectory(
  source: string,
  target: string,
  behavior: FileExistsBehavior,
  state: CopyState,
  depth = 0,
): Promise<void> {
  if (depth > 64) throw unknownFailure(`The bundle nests too deep (or loops) at ${source}`);
  const entries = await readdir(source, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const from = join(source, entry.name);
    const to = join(target, entry.name);
    const info = entry.isSymbolicLink() ? await sourceInfo(from, from, state) : undefined;
    if (entry.isDirectory() || info?.isDirectory() === true) {
      await makeDirectory(to, state);
      await copyDirectory(from, to, behavior, state, depth + 1);
    } else {
      await copyOne(from, to, behavior, state);
    }
  }
}

async function makeDirectory(path: string, state: CopyState): Promise<void> {
  const existing = await lstat(path).catch(() => undefined);
  if (existing === undefined) {
    await mkdir(path);
    state.created.push(path);
  } else if (!existing.isDirectory()) {
    const what = existing.isSymbolicLink() ? 'a symlink' : 'a file';
    throw unknownFailure(
      `The deployment failed because ${what} is in the way of a directory it installs: ${path}`,
    );
  }
  state.touched.add(path);
}

async function copyOne(
  from: string,
  to: string,
  behavior: FileExistsBehavior,
  state: CopyState,
): Promise<void> {
  if (state.written.has(to)) {
    throw unknownFailure(`The appspec's files map two sources onto the same file: ${to}`);
  }
  const existing = await lstat(to).catch(() => undefined);
  if (existing?.isDirectory() === true) {
    throw unknownFailure(
      `The deployment failed because a directory is in the way of a file: ${to}`,
    );
  }
  if (existing !== undefined) {
    switch (behavior) {
      case 'DISALLOW':
        throw unknownFailure(
          `The deployment failed because a specified file already exists at this location: ${to}`,
        );
      case 'RETAIN':
        state.note(`Keeping the existing file ${to} (file_exists_behavior RETAIN)`);
        state.touched.add(to);
        return;
      case 'OVERWRITE':
        // Unlinked, not written through: a symlink here must not lead the copy elsewhere.
        await unlink(to);
        break;
    }
  }
  await copyFile(from, to, constants.COPYFILE_EXCL);
  state.written.add(to);
  state.created.push(to);
  state.touched.add(to);
}

/**
 * Before Install, the files the previous Install created are removed (the stock agent's
 * `<group>-cleanup`): files first, then the directories it created, when left empty.
 */
export async function removePreviousInstall(paths: readonly string[]): Promise<void> {
  for (const path of [...paths].reverse()) {
    const info = await lstat(path).catch(() => undefined);
    if (info === undefined) continue;
    if (info.isDirectory()) await rmdir(path).catch(() => undefined);
    else await unlink(path).catch(() => undefined);
  }
}
