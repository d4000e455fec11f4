import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const slipwayBin = resolve(repoRoot, 'apps/cli/bin/slipway.js');

export interface ChildServer {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  /** performance.now() when the process was spawned. */
  readonly spawnedAt: number;
  /** performance.now() when its ready line appeared on stdout. */
  readonly readyAt: number;
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited after the grace period. */
  stop(): Promise<void>;
}

export interface StartChildOptions {
  /** Arguments to this Node binary. */
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Matched against stdout; group 1 is the URL to dial. */
  readonly readyLine: RegExp;
  readonly timeoutMs?: number;
}

/** A Node child that prints a ready line with its URL; resolves once it has. */
export async function startChildServer(options: StartChildOptions): Promise<ChildServer> {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, options.args, {
    cwd: repoRoot,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const { url, readyAt } = await new Promise<{ url: string; readyAt: number }>((done, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`no ready line within ${options.timeoutMs ?? 30_000} ms`)),
        options.timeoutMs ?? 30_000,
      );
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        const match = options.readyLine.exec(output);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          done({ url: match[1], readyAt: performance.now() });
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        fail(new Error(`exited (${signal ?? code}) before it was ready`));
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        fail(error);
      });
    });
    return { child, pid: child.pid ?? -1, url, spawnedAt, readyAt, output: () => output, stop };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}; output:\n${output}`, { cause: error });
  }
}

export interface StartSlipwayOptions {
  readonly dataDir: string;
  /** Fleet mode; SQLite in the data directory when undefined. */
  readonly databaseUrl?: string;
  /** Extra environment, e.g. TSX_DISABLE_CACHE. */
  readonly env?: Readonly<Record<string, string>>;
}

/** `slipway server --port 0` exactly as a user starts it, logging only warnings. */
export function startSlipway(options: StartSlipwayOptions): Promise<ChildServer> {
  // The caller's SLIPWAY_* settings (a database URL, a port) must not leak into the bench.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('SLIPWAY_')),
  );
  return startChildServer({
    args: [slipwayBin, 'server', '--port', '0', '--data-dir', options.dataDir],
    env: {
      ...env,
      SLIPWAY_LOG_LEVEL: 'warn',
      ...(options.databaseUrl === undefined ? {} : { SLIPWAY_DATABASE_URL: options.databaseUrl }),
      ...options.env,
    },
    readyLine: /Slipway is listening on (http:\/\/\S+?) /,
  });
}
