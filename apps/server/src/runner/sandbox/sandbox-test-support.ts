// Helpers shared by the executor tests; not a test file itself.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Executor, PhaseResult, PhaseSpec, RunOptions } from './executor.ts';

export const silentLog = { warn: () => {} };

export const basePath = '/usr/local/bin:/usr/bin:/bin';

/** A workspaces root the sandbox user can search (mkdtemp makes 0700). */
export async function makeWorkspacesRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'slipway-sandbox-'));
  await chmod(root, 0o711);
  return root;
}

export interface Collected {
  readonly result: PhaseResult;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a phase and gathers its output as text. */
export async function runCollect(
  executor: Executor,
  spec: PhaseSpec,
  options: RunOptions = {},
): Promise<Collected> {
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  const result = await executor.run(spec, {
    ...options,
    onOutput: (stream, chunk) => {
      chunks[stream].push(chunk);
      return options.onOutput?.(stream, chunk);
    },
  });
  const text = (parts: Buffer[]) => Buffer.concat(parts).toString('utf8');
  return { result, stdout: text(chunks.stdout), stderr: text(chunks.stderr) };
}

/** A short unique process name: a copy of `sleep` under it shows as its `comm` on the host. */
export function uniqueProcessName(): string {
  return `s${randomBytes(4).toString('hex')}`;
}

/** A host process's name, state (`Z` for a zombie) and parent; undefined once it is gone. */
export async function hostProcess(
  pid: number,
): Promise<{ name: string; state: string; parent: number } | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return undefined;
  const close = stat.lastIndexOf(')');
  const [state = '', parent = ''] = stat.slice(close + 2).split(' ');
  return { name: stat.slice(stat.indexOf('(') + 1, close), state, parent: Number(parent) };
}

/** Host processes whose command name is `name`, zombies included (state `Z`). */
export async function hostProcessesNamed(name: string): Promise<{ pid: number; state: string }[]> {
  const found: { pid: number; state: string }[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    const info = await hostProcess(Number(entry));
    if (info?.name === name) found.push({ pid: Number(entry), state: info.state });
  }
  return found;
}

/** The nearest ancestor of `pid` with that name (a sandbox's PID 1 is `bwrap`). */
export async function hostAncestorNamed(pid: number, name: string): Promise<number | undefined> {
  for (let at = (await hostProcess(pid))?.parent; at !== undefined && at > 1;) {
    const info = await hostProcess(at);
    if (info?.name === name) return at;
    at = info?.parent;
  }
  return undefined;
}

/** Polls until `check` holds, or fails after `timeoutMs`. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Splits `/proc/<pid>/environ` bytes into variables. */
export function parseEnviron(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of text.split('\0')) {
    const equals = entry.indexOf('=');
    if (equals > 0) env[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return env;
}
