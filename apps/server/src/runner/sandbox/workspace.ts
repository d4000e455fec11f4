import { execFile } from 'node:child_process';
import { chown, mkdir, mkdtemp, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { AppError } from '@slipway/core';
import { getTool } from './host-tools.ts';
import type { SandboxUser } from './sandbox-user.ts';

/**
 * A fresh, empty workspace for one build under `root`, owned by the sandbox user. The root is
 * made searchable but not listable (0711), so a build can reach its own workspace without
 * learning the names of the others.
 */
export async function createWorkspace(root: string, user: SandboxUser): Promise<string> {
  await mkdir(root, { recursive: true, mode: 0o711 });
  const workspace = await mkdtemp(join(resolve(root), 'build-'));
  if (user.switchTo) await chown(workspace, user.uid, user.gid);
  return workspace;
}

/**
 * Gives a tree the runner filled (unpacked source, a restored cache) to the sandbox user, so the
 * build can change its files. Symbolic links are changed themselves and never followed: a
 * hostile archive may hold one to `/etc/shadow`.
 */
export async function handOverTree(path: string, user: SandboxUser): Promise<void> {
  if (!user.switchTo) return;
  const chownTool = await getTool('chown', 'it hands workspaces to the sandbox user (coreutils)');
  // -R with -P walks without entering linked directories; -h changes links, not their targets.
  const args = ['-R', '-P', '-h', `${user.uid}:${user.gid}`, '--', path];
  await new Promise<void>((resolvePromise, reject) => {
    execFile(chownTool, args, { env: { LC_ALL: 'C' } }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`chown of ${path} failed: ${stderr.trim()}`, { cause: error }));
      else resolvePromise();
    });
  });
}

/**
 * Fails clearly, before anything starts, when the sandbox user could not use a writable
 * directory: it must be an absolute path to a directory the user owns, below directories it
 * may search. (Otherwise bubblewrap's bind or the build's first write fails obscurely.)
 */
export async function assertUsableBy(path: string, user: SandboxUser, what: string): Promise<void> {
  if (!isAbsolute(path)) throw AppError.invalidInput(`The ${what} must be an absolute path`);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) throw AppError.invalidInput(`The ${what} ${path} is not a directory`);
  if (info.uid !== user.uid) {
    throw AppError.invalidInput(
      `The ${what} ${path} belongs to uid ${info.uid}; hand it over to the sandbox user ` +
        `(uid ${user.uid}) first`,
    );
  }
  // A server that is the sandbox user reached the path itself (supplementary groups included).
  if (!user.switchTo) return;
  for (let parent = dirname(path); ; parent = dirname(parent)) {
    const { mode, uid, gid } = await stat(parent);
    const searchable =
      uid === user.uid ? mode & 0o100 : gid === user.gid ? mode & 0o010 : mode & 0o001;
    if (!searchable) {
      throw AppError.invalidInput(
        `The sandbox user (uid ${user.uid}) cannot reach the ${what} ${path}: ` +
          `${parent} is not searchable for it`,
      );
    }
    if (parent === '/') return;
  }
}
