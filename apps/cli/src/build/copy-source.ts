import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { PrepareSource } from '@slipway/server/build-engine';

/**
 * DOWNLOAD_SOURCE for `slipway build`: a copy of the current directory, `.git` included
 * (CodeBuild's git sources come with their `.git`, and builds run `git rev-parse` and the like),
 * so the build cannot change the user's files. `cp -a --reflink=auto` keeps modes, links and
 * times and shares blocks where the filesystem can. CODEBUILD_RESOLVED_SOURCE_VERSION is HEAD's
 * commit when the directory is a git work tree.
 */
export function copyCurrentDirectory(cwd: string): PrepareSource {
  return async ({ workspace, signal, log }) => {
    log(`Copying ${cwd} to ${workspace.srcDir}`);
    await run('cp', ['-a', '--reflink=auto', '--', `${cwd}/.`, `${workspace.srcDir}/`], signal);
    const commit = await gitHead(cwd, signal);
    return commit === undefined ? {} : { resolvedSourceVersion: commit };
  };
}

async function gitHead(cwd: string, signal: AbortSignal): Promise<string | undefined> {
  const hasGit = await access(join(cwd, '.git')).then(
    () => true,
    () => false,
  );
  if (!hasGit) return undefined;
  // safe.directory: the user's own repository, read by root when Slipway runs as root.
  const out = await run(
    'git',
    ['-c', 'safe.directory=*', '-C', cwd, 'rev-parse', 'HEAD'],
    signal,
  ).catch(() => undefined);
  const commit = out?.trim();
  return commit !== undefined && /^[0-9a-f]{40,64}$/.test(commit) ? commit : undefined;
}

function run(command: string, args: readonly string[], signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { signal, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });
}
