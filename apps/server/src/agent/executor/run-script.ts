import { spawn, type ChildProcess } from 'node:child_process';
import type { ScriptOutput } from './script-output.ts';

export interface RunScriptOptions {
  /** Absolute path of the script, already checked to exist and be executable. */
  readonly path: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs: number;
  /** Run as this user through setpriv (the agent must be root); undefined: the agent's user. */
  readonly runAs?: { readonly user: string; readonly gid: number; readonly home: string };
  readonly output: ScriptOutput;
  /** Aborting kills the script's process group. */
  readonly signal?: AbortSignal | undefined;
}

export type ScriptResult =
  | { readonly kind: 'exited'; readonly code: number }
  | { readonly kind: 'killed'; readonly signal: string }
  | { readonly kind: 'timedOut' }
  | { readonly kind: 'cancelled' }
  /** The script exited but something it started kept its stdout/stderr open until the timeout. */
  | { readonly kind: 'outputsLeftOpen'; readonly code: number }
  | { readonly kind: 'spawnFailed'; readonly message: string };

/**
 * Runs one hook script in its own process group (spawned detached), so a timeout or a
 * cancellation kills it and everything it started with one SIGKILL to the group. Like the stock
 * agent, the script is done when its process exited *and* its outputs closed, both within the
 * timeout.
 */
export function runScript(options: RunScriptOptions): Promise<ScriptResult> {
  const [command, args, env] = commandLine(options);
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(command, args, {
        cwd: options.cwd,
        env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      resolve({ kind: 'spawnFailed', message: (error as Error).message });
      return;
    }
    let exit: ScriptResult | undefined;
    let settled = false;
    const finish = (result: ScriptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      options.output.end();
      resolve(result);
    };
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    };
    const stopEarly = (result: ScriptResult) => {
      killGroup();
      child.stdout?.destroy();
      child.stderr?.destroy();
      finish(result);
    };
    const timer = setTimeout(() => {
      if (exit?.kind === 'exited') stopEarly({ kind: 'outputsLeftOpen', code: exit.code });
      else stopEarly({ kind: 'timedOut' });
    }, options.timeoutMs);
    const onAbort = () => stopEarly({ kind: 'cancelled' });
    if (options.signal?.aborted === true) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout?.on('data', (chunk: Buffer) => options.output.write('stdout', chunk));
    child.stderr?.on('data', (chunk: Buffer) => options.output.write('stderr', chunk));
    child.on('error', (error) => finish({ kind: 'spawnFailed', message: error.message }));
    child.on('exit', (code, signal) => {
      exit =
        code === null ? { kind: 'killed', signal: signal ?? 'SIGKILL' } : { kind: 'exited', code };
    });
    child.on('close', (code, signal) => {
      finish(
        exit ??
          (code === null
            ? { kind: 'killed', signal: signal ?? 'SIGKILL' }
            : { kind: 'exited', code }),
      );
    });
  });
}

function commandLine(
  options: RunScriptOptions,
): [string, string[], Record<string, string | undefined>] {
  if (options.runAs === undefined) return [options.path, [], { ...options.env }];
  const { user, gid, home } = options.runAs;
  // setpriv execs the script in place: no fork, no new session, so the process group holds.
  return [
    'setpriv',
    ['--reuid', user, '--regid', String(gid), '--init-groups', '--', options.path],
    { ...options.env, HOME: home, USER: user, LOGNAME: user },
  ];
}
