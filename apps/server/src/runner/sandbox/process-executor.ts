import { spawn } from 'node:child_process';
import type { Executor, PhaseResult, PhaseSpec, RunOptions, WarningLog } from './executor.ts';
import { preparePhase } from './prepare-phase.ts';
import { resolveSandboxUser, type SandboxUser } from './sandbox-user.ts';
import { supervisePhase, type LaunchedPhase } from './supervise-phase.ts';
import { assertUsableBy } from './workspace.ts';

export interface ProcessExecutorOptions {
  /** The account to run as when the server is root (a name or uid); default `nobody`. */
  readonly user?: string | number;
  readonly log: WarningLog;
}

/** After the shell exits, output still open this long with nothing written is abandoned. */
const escapedOutputIdleMs = 500;

/**
 * Runs phases as plain processes, for machines where bubblewrap cannot work (no user
 * namespaces): the same shell, environment, uid switch and workspace checks, but no isolation.
 * The build sees and can write everything its uid can, sees host processes, and always has
 * the network (`spec.network` is not enforced); `readOnlyBinds` are not made.
 *
 * The shell leads its own process group, and stop, timeout and the end of the phase kill that
 * group. Limits: a process that leaves the group (`setsid`, `setpgid`, a double-forking daemon)
 * survives all three, and the whole phase survives a crash of the server; output such a process
 * holds open is abandoned once idle; orphans are reaped by whatever adopts them (PID 1 or a
 * subreaper), not by Slipway, so they may linger as zombies for a while.
 */
export class ProcessExecutor implements Executor {
  readonly kind = 'process';
  readonly #user: SandboxUser;

  private constructor(user: SandboxUser) {
    this.#user = user;
  }

  static async create(options: ProcessExecutorOptions): Promise<ProcessExecutor> {
    const user = await resolveSandboxUser(options.user);
    options.log.warn(
      { uid: user.uid },
      'Builds run WITHOUT isolation (process executor): they can read what their uid can, ' +
        'see host processes and reach the network. Use the bubblewrap executor where possible.',
    );
    return new ProcessExecutor(user);
  }

  get user(): SandboxUser {
    return this.#user;
  }

  async run(spec: PhaseSpec, options: RunOptions = {}): Promise<PhaseResult> {
    const prepared = await preparePhase(spec);
    await assertUsableBy(spec.workspace, this.#user, 'workspace');
    for (const dir of spec.writable ?? []) await assertUsableBy(dir, this.#user, 'writable dir');
    return supervisePhase({
      commandCount: spec.commands.length,
      deadline: spec.deadline,
      run: options,
      launch: () => {
        const child = spawn(prepared.shell, prepared.shellArgs, {
          env: { ...spec.env },
          cwd: '/',
          // A new session, so the shell leads a process group that can be killed whole.
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
          ...(this.#user.switchTo ? { uid: this.#user.uid, gid: this.#user.gid } : {}),
        });
        return processGroup(child);
      },
    });
  }
}

function processGroup(child: LaunchedPhase['child']): LaunchedPhase {
  const killGroup = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // ESRCH: the group is already empty.
    }
  };
  return {
    child,
    killTree: killGroup,
    // The leader's pid stays reserved while its group has members, so this cannot hit a stranger.
    afterExit: killGroup,
    outputIdleMs: escapedOutputIdleMs,
  };
}
