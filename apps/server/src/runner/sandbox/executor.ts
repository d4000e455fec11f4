/** Where a chunk of build output came from. */
export type OutputStream = 'stdout' | 'stderr';

/**
 * What one phase's shell leaves for the next: buildspec 0.2 runs every command in one shell
 * session, so a `cd`, an `export` or a plain `IMAGE_TAG=…` (CodeBuild's own ECR sample sets it
 * in pre_build and reads it in build) still holds in the next phase. Left behind: functions,
 * arrays, shell options, traps, background processes, and the shell's own variables.
 */
export interface ShellState {
  readonly cwd: string;
  /** Exported variables: the next phase's `env`. */
  readonly env: Readonly<Record<string, string>>;
  /** Variables that were set but not exported: the next phase's `variables`. */
  readonly variables: Readonly<Record<string, string>>;
}

/** One phase: its commands and the sandbox they run in. */
export interface PhaseSpec {
  /** Shell command strings, run in order in one shell process; the first failure ends the phase. */
  readonly commands: readonly string[];
  /** Buildspec `env.shell` (`bash`, `sh` or an absolute path); default bash if present, else sh. */
  readonly shell?: string;
  /**
   * The build's fresh workspace, writable in the sandbox at the same path. It must be owned by
   * the sandbox user (`handOverTree`) and reachable by it.
   */
  readonly workspace: string;
  /** Absolute; where the shell starts (a previous phase's `state.cwd`); default the workspace. */
  readonly cwd?: string;
  /** The shell's environment, exactly: nothing of the server's own environment leaks in. */
  readonly env: Readonly<Record<string, string>>;
  /** Shell variables set, not exported, before the first command (a previous `state`). */
  readonly variables?: Readonly<Record<string, string>>;
  /** More directories writable at the same path (a cache); each owned by the sandbox user. */
  readonly writable?: readonly string[];
  /**
   * Host paths bound read-only at `target`, which must exist or lie under a tmpfs (/tmp, /run,
   * a hidden path). Only the bubblewrap executor binds them.
   */
  readonly readOnlyBinds?: readonly { readonly source: string; readonly target: string }[];
  /** Whether the build shares the host's network; without it, it has only its own loopback. */
  readonly network: boolean;
  /** Epoch milliseconds (`Date.now()` clock) at which the phase is killed as timed out. */
  readonly deadline?: number;
}

export interface RunOptions {
  /** Aborting stops the phase: every process it started is killed. */
  readonly signal?: AbortSignal;
  /**
   * Each chunk as it arrives, never the whole output; one call at a time, in arrival order.
   * Returning a promise holds further output (and so the build) until it settles, so a slow log
   * sink slows the build instead of filling memory; a throw or rejection kills the phase and
   * the run rejects with it.
   */
  readonly onOutput?: (stream: OutputStream, chunk: Buffer) => void | Promise<void>;
}

/** The command that ended the phase, and its exit status; null when it was killed. */
export interface FailedCommand {
  readonly index: number;
  readonly exitCode: number | null;
}

export interface PhaseResult {
  /** Every command ran and returned 0, and the phase was neither stopped nor timed out. */
  readonly succeeded: boolean;
  /** The sandbox's exit code (bubblewrap reports a killed shell as 128 + signal). */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly stopped: boolean;
  /**
   * The shell entered `cwd` and began on the commands. False means the sandbox or the `cd`
   * failed (the reason is in the stderr output) or the phase was over before it began.
   */
  readonly started: boolean;
  /** How many commands returned 0. */
  readonly completedCommands: number;
  /**
   * The command that returned non-zero, or that was running when the shell exited (`exit`,
   * `set -e`, a syntax error) or was killed; undefined when none did.
   */
  readonly failedCommand: FailedCommand | undefined;
  /**
   * The shell's state after its last command (also after a failing one), for the next phase;
   * undefined when the shell did not get that far (killed, or it exited inside a command).
   */
  readonly state: ShellState | undefined;
  readonly durationMs: number;
}

/** Runs one phase's commands: in a bubblewrap sandbox, or (when configured) as plain processes. */
export interface Executor {
  readonly kind: 'bubblewrap' | 'process';
  run(spec: PhaseSpec, options?: RunOptions): Promise<PhaseResult>;
}

/** Where an executor reports that it runs builds less safely than it should. */
export interface WarningLog {
  warn(fields: object, message: string): void;
}
