import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { GitCommandError } from '../source/git/git-cli.ts';

export interface GitProcessOptions {
  /** The bare repository (`GitCli.directoryOf`). */
  readonly gitDir: string;
  /** Never user input in option position: callers pass validated object ids only. */
  readonly args: readonly string[];
  readonly gitBinary?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

const maxStderrBytes = 64 * 1024;

/**
 * git's output as it is produced; the iteration throws a `GitCommandError` (with git's stderr)
 * when git exits with an error, so a consumer writing the bytes somewhere fails and keeps
 * nothing. Environment as `GitCli` builds it: nothing of the server's own git setup leaks in.
 */
export async function* streamGit(options: GitProcessOptions): AsyncIterable<Uint8Array> {
  const child = spawn(
    options.gitBinary ?? 'git',
    [`--git-dir=${options.gitDir}`, ...options.args],
    {
      env: gitEnvironment(options.gitDir),
      cwd: tmpdir(),
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: options.signal,
    },
  );
  const errors: Buffer[] = [];
  let errorBytes = 0;
  child.stderr.on('data', (chunk: Buffer) => {
    if (errorBytes < maxStderrBytes) errors.push(chunk);
    errorBytes += chunk.length;
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code: number | null) => resolve(code ?? -1));
  });
  // Observed at once, so a spawn failure is never an unhandled rejection.
  exited.catch(() => undefined);
  let finished = false;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) yield chunk;
    const code = await exited;
    if (code !== 0) {
      throw new GitCommandError(
        options.args[0] ?? '',
        code,
        Buffer.concat(errors).toString('utf8').trim(),
      );
    }
    finished = true;
  } finally {
    // A consumer that stopped early (or failed) must not leave git running.
    if (!finished && child.exitCode === null) child.kill();
  }
}

/** git's whole output. */
export async function runGit(options: GitProcessOptions): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of streamGit(options)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function gitEnvironment(gitDir: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: dirname(gitDir),
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_LITERAL_PATHSPECS: '1',
    GIT_NO_REPLACE_OBJECTS: '1',
  };
}

const objectIdPattern = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** A full hex object id: the only revisions these helpers pass to git. */
export function isObjectId(value: string): boolean {
  return objectIdPattern.test(value);
}
