import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Principal } from '@slipway/core';
import type { Logger } from 'pino';

/** One ref update git accepted; undefined ids stand for git's all-zero "no commit". */
export interface PushedRefUpdate {
  readonly ref: string;
  readonly oldCommitId: string | undefined;
  readonly newCommitId: string | undefined;
}

export interface SpooledPush {
  /** The spool file's id: recording the same push twice (after a crash) is a no-op. */
  readonly pushId: string;
  readonly repositoryId: string;
  readonly pusher: Principal;
  readonly updates: readonly PushedRefUpdate[];
  /** The server that wrote the file; absent in files from before owners were recorded. */
  readonly owner?: SpoolOwner | undefined;
}

export type RecordPush = (input: Omit<SpooledPush, 'owner'>) => Promise<void>;

/** The variable naming the spool file the post-receive hook appends to. */
export const pushSpoolVariable = 'SLIPWAY_PUSH_SPOOL';

/**
 * The only hook git runs for the door (core.hooksPath points at its directory). git feeds it
 * one `old new ref` line per update it accepted, after the refs moved; it copies them to the
 * push's spool file. Without the variable (someone else running git there) it does nothing.
 */
const postReceiveHook = `#!/bin/sh
# Installed by Slipway's git door: appends accepted ref updates to this push's spool file.
[ -n "\${${pushSpoolVariable}:-}" ] || exit 0
exec cat >> "$${pushSpoolVariable}"
`;

const spoolSuffix = '.push';
const oid = '(?:[0-9a-f]{40}|[0-9a-f]{64})';
const updateLine = new RegExp(`^(${oid}) (${oid}) (\\S.*)$`);

/**
 * Spool files: `<workDir>/spool/<uuid>.push`. The door writes the first line, a JSON header
 * naming the repository and the pusher, before it runs receive-pack; the hook appends the
 * accepted updates. A file outlives its push only when recording failed or the server died,
 * and then holds everything needed to record it later.
 */
export class PushSpool {
  readonly hooksDir: string;
  readonly spoolDir: string;
  #prepared: Promise<void> | undefined;

  constructor(workDir: string) {
    const root = resolve(workDir);
    this.hooksDir = join(root, 'hooks');
    this.spoolDir = join(root, 'spool');
  }

  /** Creates the directories and installs the hook, once per process (and only if changed). */
  prepare(): Promise<void> {
    this.#prepared ??= this.#install().catch((error: unknown) => {
      this.#prepared = undefined;
      throw error;
    });
    return this.#prepared;
  }

  async #install(): Promise<void> {
    await mkdir(this.spoolDir, { recursive: true, mode: 0o700 });
    await mkdir(this.hooksDir, { recursive: true, mode: 0o755 });
    const hook = join(this.hooksDir, 'post-receive');
    const current = await readFile(hook, 'utf8').catch(() => undefined);
    if (current === postReceiveHook && ((await stat(hook)).mode & 0o777) === 0o755) return;
    // Written aside and renamed, so a git running concurrently never sees half a script.
    const temporary = `${hook}.${randomUUID()}.tmp`;
    await writeFile(temporary, postReceiveHook, { mode: 0o755 });
    await chmod(temporary, 0o755);
    await rename(temporary, hook);
  }

  /** A new spool file holding just the header; its path is what the hook is given. */
  async create(header: { repositoryId: string; pusher: Principal }): Promise<string> {
    await this.prepare();
    const path = join(this.spoolDir, `${randomUUID()}${spoolSuffix}`);
    const line = JSON.stringify({
      repositoryId: header.repositoryId,
      pusher: header.pusher,
      owner: { host: hostname(), pid: process.pid },
    });
    await writeFile(path, `${line}\n`, { flag: 'wx', mode: 0o600 });
    inFlight.add(path);
    return path;
  }

  async read(path: string): Promise<SpooledPush> {
    return parseSpool(await readFile(path, 'utf8'), basename(path, spoolSuffix));
  }

  async remove(path: string): Promise<void> {
    await rm(path, { force: true });
  }

  async list(): Promise<string[]> {
    const names = await readdir(this.spoolDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    return names.filter((n) => n.endsWith(spoolSuffix)).map((n) => join(this.spoolDir, n));
  }
}

/** Throws when the header is unreadable; a last line without its newline is ignored. */
export function parseSpool(text: string, pushId: string): SpooledPush {
  const lines = text.split('\n');
  lines.pop(); // Whatever follows the last newline is incomplete (or empty).
  const header: unknown = JSON.parse(lines.shift() ?? '');
  if (!isHeader(header)) throw new Error('Spool file header is not a push header');
  const updates: PushedRefUpdate[] = [];
  for (const line of lines) {
    const match = updateLine.exec(line);
    if (match?.[1] === undefined || match[2] === undefined || match[3] === undefined) continue;
    updates.push({
      ref: match[3],
      oldCommitId: commitIdOrUndefined(match[1]),
      newCommitId: commitIdOrUndefined(match[2]),
    });
  }
  return {
    pushId,
    repositoryId: header.repositoryId,
    pusher: header.pusher,
    owner: header.owner,
    updates,
  };
}

/**
 * Whether the server that wrote a spool file may still be running its push. Several servers can
 * share one data directory: a live process on this host, or a recent file from another host,
 * is left alone; its own server records it.
 */
async function isInFlight(path: string, owner: SpoolOwner | undefined): Promise<boolean> {
  if (owner === undefined) return false;
  if (owner.host !== hostname()) {
    const age = Date.now() - (await stat(path)).mtimeMs;
    return age < foreignSpoolGraceMs;
  }
  if (owner.pid === process.pid) return inFlight.has(path);
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface SpoolOwner {
  readonly host: string;
  readonly pid: number;
}

/** Spool files of this process whose push has not finished; recovery leaves them alone. */
const inFlight = new Set<string>();

/** Called when a push is over, recorded or not: its spool file may now be recovered. */
export function releaseSpool(path: string): void {
  inFlight.delete(path);
}

/** How long a spool file from another host is assumed to belong to a push in flight. */
const foreignSpoolGraceMs = 60 * 60 * 1000;

/** git's all-zero id (SHA-1 or SHA-256 length) means "no commit". */
export function commitIdOrUndefined(id: string): string | undefined {
  return /^0+$/.test(id) ? undefined : id;
}

function isHeader(
  value: unknown,
): value is { repositoryId: string; pusher: Principal; owner?: SpoolOwner } {
  if (typeof value !== 'object' || value === null) return false;
  const { repositoryId, pusher } = value as Record<string, unknown>;
  if (typeof repositoryId !== 'string' || typeof pusher !== 'object' || pusher === null) {
    return false;
  }
  const p = pusher as Record<string, unknown>;
  return ['accountId', 'userId', 'userName', 'arn', 'accessKeyId'].every(
    (k) => typeof p[k] === 'string',
  );
}

/**
 * Records the pushes left in the spool by a crash or a failed `recordPush`, then deletes their
 * files. Run at startup, before the door serves: a spool file of a push still in flight would
 * be recorded early (and incompletely). Files that cannot be read or recorded stay for next time.
 */
export async function recoverSpooledPushes(input: {
  readonly workDir: string;
  readonly recordPush: RecordPush;
  readonly log: Logger;
}): Promise<{ recorded: number; failed: number }> {
  const spool = new PushSpool(input.workDir);
  let recorded = 0;
  let failed = 0;
  for (const path of await spool.list()) {
    try {
      const push = await spool.read(path);
      if (await isInFlight(path, push.owner)) continue;
      if (push.updates.length > 0) {
        await input.recordPush(push);
        recorded += 1;
        input.log.info(
          { repositoryId: push.repositoryId, updates: push.updates.length, spool: path },
          'recorded a spooled git push',
        );
      }
      await spool.remove(path);
    } catch (error) {
      failed += 1;
      input.log.error({ err: error, spool: path }, 'could not record a spooled git push');
    }
  }
  return { recorded, failed };
}
