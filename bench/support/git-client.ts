import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface GitRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** performance.now() just before the spawn. */
  readonly startedAt: number;
  /** performance.now() when the process exited (before its pipes were drained). */
  readonly exitedAt: number;
  /** Spawn → exit. */
  readonly ms: number;
}

export interface GitRunOptions {
  readonly cwd?: string;
  readonly env: NodeJS.ProcessEnv;
  /** Written to stdin, then closed; stdin is empty otherwise. */
  readonly input?: string | Buffer;
}

const maxStderrBytes = 64 * 1024;

/**
 * One `git` process; resolves (never rejects on a non-zero exit) once its pipes are closed. All
 * of stdout is kept: callers that time transfers pass `--quiet`.
 */
export function runGit(args: readonly string[], options: GitRunOptions): Promise<GitRun> {
  return new Promise((done, fail) => {
    const startedAt = performance.now();
    let exitedAt = NaN;
    const child = spawn('git', args, {
      cwd: options.cwd,
      env: options.env,
      stdio: 'pipe',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-maxStderrBytes);
    });
    // git may exit without reading its input; that is its answer, not an error here.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
    child.once('exit', () => (exitedAt = performance.now()));
    child.once('error', fail);
    child.once('close', (code, signal) => {
      if (Number.isNaN(exitedAt)) exitedAt = performance.now();
      done({ code, signal, stdout, stderr, startedAt, exitedAt, ms: exitedAt - startedAt });
    });
  });
}

/** Like runGit, but throws with git's stderr unless it exits 0; resolves with stdout. */
export async function git(args: readonly string[], options: GitRunOptions): Promise<string> {
  const run = await runGit(args, options);
  if (run.code !== 0) throw new Error(`git ${args.join(' ')}: ${describeGitFailure(run)}`);
  return run.stdout;
}

export function describeGitFailure(run: GitRun): string {
  const status = run.signal === null ? `exit ${run.code}` : `signal ${run.signal}`;
  const lines = run.stderr.trim().split('\n').slice(-3).join(' | ');
  return lines === '' ? status : `${status}: ${lines}`;
}

/**
 * The environment of a user's `git` with nothing of this machine's configuration: no system or
 * global config, a private HOME, no prompts, a fixed author for the commits the bench makes.
 */
export function gitClientEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
  };
}

/** `<object id> <ref>` lines of a repository's branches, sorted, for comparing two copies. */
export async function branchesOf(gitDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  return git(['--git-dir', gitDir, 'for-each-ref', '--format=%(objectname) %(refname)'], {
    env,
  }).then(onlyBranches);
}

/** The same for a remote, through `git ls-remote` (so through the server under test). */
export async function remoteBranchesOf(url: string, env: NodeJS.ProcessEnv): Promise<string> {
  const text = await git(['ls-remote', '--heads', url], { env });
  return onlyBranches(text.replace(/\t/g, ' '));
}

function onlyBranches(text: string): string {
  return text
    .split('\n')
    .filter((line) => / refs\/heads\//.test(line))
    .sort()
    .join('\n');
}
