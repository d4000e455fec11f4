/**
 * The buildspec's `cache.paths` on a per-project local directory, the way CodeBuild's local
 * custom cache works (build-caching "Local caching"): only directories are cached, a path's
 * directory part before its first wildcard (`node_modules/**\/*` caches `node_modules`), they are
 * restored before the commands run without replacing what the source brought ("Cached items are
 * overridden if a source item has the same name"), and saved after a successful build (the
 * cache is saved "at the end of a successful build"; failed builds leave it as it was).
 *
 * Paths are relative to CODEBUILD_SRC_DIR; `/root/…`, `~/…` and `$HOME/…` mean the build's HOME
 * (CodeBuild's HOME is /root). Anything else outside the workspace cannot be cached: the
 * sandbox cannot write there. `key`, `fallback-keys` and `action` belong to S3 caching; a local
 * cache has one copy per project and honours only `action`.
 */
import { cp, lstat, mkdir, rename, rm } from 'node:fs/promises';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import type { CacheSpec } from '@slipway/buildspec';
import type { SandboxUser } from '../sandbox/sandbox-user.ts';
import { handOverTree } from '../sandbox/workspace.ts';
import type { BuildWorkspace } from './build-workspace.ts';

export interface CacheInput {
  readonly cacheDir: string;
  readonly spec: CacheSpec;
  readonly workspace: BuildWorkspace;
  readonly user: SandboxUser;
  readonly log: (...messages: string[]) => Promise<void>;
}

/** Where each cached directory lives, relative to the workspace root. */
export function cachedDirectories(
  spec: CacheSpec,
  workspace: BuildWorkspace,
): {
  readonly keys: readonly string[];
  readonly skipped: readonly string[];
} {
  const keys = new Set<string>();
  const skipped: string[] = [];
  for (const path of spec.paths) {
    const absolute = toWorkspacePath(staticPrefix(path), workspace);
    const rel = absolute === undefined ? undefined : relative(workspace.root, absolute);
    if (
      rel === undefined ||
      rel === '' ||
      rel.startsWith(`..${sep}`) ||
      rel === '..' ||
      isAbsolute(rel)
    ) {
      skipped.push(path);
    } else keys.add(rel);
  }
  return { keys: [...keys], skipped };
}

export async function restoreCache(input: CacheInput): Promise<void> {
  if (input.spec.action === 'save') return input.log('Skip cache restore due to: action is save');
  const { keys, skipped } = cachedDirectories(input.spec, input.workspace);
  await noteSkipped(input, skipped);
  const data = join(input.cacheDir, 'data');
  let restored = 0;
  for (const key of keys) {
    const from = join(data, key);
    if (!(await isDirectory(from))) continue;
    const to = join(input.workspace.root, key);
    await cp(from, to, { ...copyOptions, force: false });
    await handOverTree(to, input.user);
    restored += 1;
  }
  await input.log(
    restored === 0 ? 'No local cache found to restore' : `Restored ${restored} cached path(s)`,
  );
}

export async function saveCache(input: CacheInput): Promise<void> {
  if (input.spec.action === 'restore')
    return input.log('Skip cache save due to: action is restore');
  const { keys } = cachedDirectories(input.spec, input.workspace);
  const next = join(input.cacheDir, `next-${process.pid}-${Date.now()}`);
  const data = join(input.cacheDir, 'data');
  await mkdir(next, { recursive: true, mode: 0o700 });
  try {
    let saved = 0;
    for (const key of keys) {
      const from = join(input.workspace.root, key);
      if (!(await isDirectory(from))) continue;
      await cp(from, join(next, key), { ...copyOptions, force: true });
      saved += 1;
    }
    await rm(data, { recursive: true, force: true });
    await rename(next, data);
    await input.log(`Saved ${saved} path(s) to the local cache`);
  } finally {
    await rm(next, { recursive: true, force: true });
  }
}

const copyOptions = {
  recursive: true,
  errorOnExist: false,
  verbatimSymlinks: true,
  preserveTimestamps: true,
  dereference: false,
  // Regular files, directories and links only: a FIFO or socket would make cp fail.
  filter: async (source: string) => {
    const info = await lstat(source);
    return info.isFile() || info.isDirectory() || info.isSymbolicLink();
  },
} as const;

async function noteSkipped(input: CacheInput, skipped: readonly string[]): Promise<void> {
  for (const path of skipped) {
    await input.log(`Skipping cache path ${path}: outside the build's writable directories`);
  }
}

/** The directory part of a cache path before its first wildcard. */
export function staticPrefix(path: string): string {
  const segments = path.split('/');
  const firstGlob = segments.findIndex((s) => /[*?[]/.test(s));
  return (firstGlob === -1 ? segments : segments.slice(0, firstGlob)).join('/') || '.';
}

function toWorkspacePath(path: string, workspace: BuildWorkspace): string | undefined {
  const home = /^(?:\/root|~|\$HOME|\$\{HOME\})(?=\/|$)/.exec(path);
  if (home !== null) return normalize(join(workspace.homeDir, path.slice(home[0].length)));
  if (isAbsolute(path)) return normalize(path);
  if (path.includes('$')) return undefined;
  return normalize(join(workspace.srcDir, path));
}

async function isDirectory(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined))?.isDirectory() === true;
}
