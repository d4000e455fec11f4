import { spawn, type ChildProcess } from 'node:child_process';
import { realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { AppError } from '@slipway/core';
import {
  bubblewrapArguments,
  environmentArguments,
  type SandboxLayout,
} from './bubblewrap-arguments.ts';
import {
  findInheritedDescriptors,
  probeBubblewrap,
  type BubblewrapFeatures,
} from './bubblewrap-probe.ts';
import type { Executor, PhaseResult, PhaseSpec, RunOptions, WarningLog } from './executor.ts';
import { getTool } from './host-tools.ts';
import { preparePhase } from './prepare-phase.ts';
import { resolveSandboxUser, type SandboxUser } from './sandbox-user.ts';
import { supervisePhase, type LaunchedPhase } from './supervise-phase.ts';
import { assertUsableBy } from './workspace.ts';

export interface BubblewrapExecutorOptions {
  /** The account builds run as when the server is root (a name or uid); default `nobody`. */
  readonly user?: string | number;
  /** Host paths no build may see, such as Slipway's data directory and the workspaces root. */
  readonly hide?: readonly string[];
  /** The bwrap binary; default `bwrap` in the system directories. */
  readonly bwrap?: string;
  readonly log: WarningLog;
}

const infoFd = 4;
const environmentFd = 5;
/** If bubblewrap never reported its PID 1, kill bubblewrap itself after this long. */
const infoGraceMs = 2_000;

/**
 * Runs each phase in a fresh bubblewrap sandbox: every namespace unshared (the network only
 * when the project allows it), the host's filesystem read-only, the workspace and any
 * writable dirs bound read-write, its own /tmp, /run, /proc and /dev, hidden paths covered, and
 * as an unprivileged uid. The shell is not PID 1: bubblewrap's own init is, so when the shell
 * exits or that init is killed, the kernel kills every process left in the sandbox, daemons
 * included.
 */
export class BubblewrapExecutor implements Executor {
  readonly kind = 'bubblewrap';
  readonly #bwrap: string;
  readonly #user: SandboxUser;
  readonly #features: BubblewrapFeatures;
  readonly #hide: readonly string[];
  readonly #resolverFolder: string | undefined;

  private constructor(options: {
    bwrap: string;
    user: SandboxUser;
    features: BubblewrapFeatures;
    hide: readonly string[];
    resolverFolder: string | undefined;
  }) {
    this.#bwrap = options.bwrap;
    this.#user = options.user;
    this.#features = options.features;
    this.#hide = options.hide;
    this.#resolverFolder = options.resolverFolder;
  }

  /** Finds bwrap, resolves the sandbox user and proves a sandbox starts, once. */
  static async create(options: BubblewrapExecutorOptions): Promise<BubblewrapExecutor> {
    const hint =
      'install bubblewrap (apt-get install bubblewrap) or configure the process executor';
    const bwrap = await getTool(options.bwrap ?? 'bwrap', hint);
    const user = await resolveSandboxUser(options.user);
    const features = await probeBubblewrap(bwrap, user);
    const leaked = await findInheritedDescriptors();
    if (leaked.length > 0) {
      options.log.warn(
        { descriptors: leaked },
        'The server inherited open file descriptors without close-on-exec; every build sandbox ' +
          'inherits them too. Start the server without them.',
      );
    }
    for (const path of options.hide ?? []) {
      if (!isAbsolute(path)) throw AppError.invalidInput(`Hidden path ${path} is not absolute`);
    }
    const resolver = await realpath('/etc/resolv.conf').catch(() => undefined);
    return new BubblewrapExecutor({
      bwrap,
      user,
      features,
      hide: options.hide ?? [],
      resolverFolder: resolver?.startsWith('/run/') ? dirname(resolver) : undefined,
    });
  }

  get user(): SandboxUser {
    return this.#user;
  }

  async run(spec: PhaseSpec, options: RunOptions = {}): Promise<PhaseResult> {
    const prepared = await preparePhase(spec);
    const layout = await this.#layout(spec);
    const args = bubblewrapArguments(layout, { path: prepared.shell, args: prepared.shellArgs });
    const environment = environmentArguments(spec.env);
    return supervisePhase({
      commandCount: spec.commands.length,
      deadline: spec.deadline,
      run: options,
      launch: () => {
        const child = spawn(this.#bwrap, args, {
          env: {},
          cwd: '/',
          stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
          ...(this.#user.switchTo ? { uid: this.#user.uid, gid: this.#user.gid } : {}),
        });
        const environmentPipe = (child.stdio as readonly unknown[])[
          environmentFd
        ] as Writable | null;
        // bubblewrap may fail before reading it all; its exit code then says why, not EPIPE.
        environmentPipe?.on('error', () => {});
        environmentPipe?.end(environment);
        return sandboxTree(child);
      },
    });
  }

  async #layout(spec: PhaseSpec): Promise<SandboxLayout> {
    const writable = spec.writable ?? [];
    await assertUsableBy(spec.workspace, this.#user, 'workspace');
    for (const dir of writable) await assertUsableBy(dir, this.#user, 'writable dir');
    const readOnlyBinds = spec.readOnlyBinds ?? [];
    for (const { source, target } of readOnlyBinds) {
      if (!isAbsolute(source) || !isAbsolute(target)) {
        throw AppError.invalidInput(`Read-only bind ${source} -> ${target} needs absolute paths`);
      }
    }
    const hidden: { path: string; folder: boolean }[] = [];
    for (const path of this.#hide) {
      const real = await realpath(path).catch(() => undefined);
      const info = real === undefined ? undefined : await stat(real).catch(() => undefined);
      if (real !== undefined && info !== undefined) {
        hidden.push({ path: real, folder: info.isDirectory() });
      }
    }
    return {
      network: spec.network,
      workspace: spec.workspace,
      writable,
      readOnlyBinds,
      hidden,
      resolverFolder: this.#resolverFolder,
      disableUserns: this.#features.disableUserns,
      infoFd,
      environmentFd,
    };
  }
}

/**
 * Kills the sandbox through its PID 1 (bubblewrap's init), which bubblewrap reports on the info
 * descriptor: the kernel then kills the whole PID namespace, and the outer bubblewrap reaps
 * that init and exits, so nothing is left, not even a zombie. Killing the outer bubblewrap
 * instead would orphan the init to the host's PID 1.
 */
function sandboxTree(child: ChildProcess): LaunchedPhase {
  let init: number | undefined;
  let exited = false;
  let wanted = false;
  let info = '';
  const killInit = () => {
    // Only while the outer bubblewrap lives: it has not reaped the init, so the pid is still it.
    if (exited || init === undefined) return;
    try {
      process.kill(init, 'SIGKILL');
    } catch {
      // ESRCH: it has just exited by itself.
    }
  };
  child.once('exit', () => (exited = true));
  (child.stdio[infoFd] as Readable | null)?.on('data', (chunk: Buffer) => {
    info += chunk.toString('utf8');
    const pid = /"child-pid":\s*([0-9]+)/.exec(info)?.[1];
    if (init !== undefined || pid === undefined) return;
    init = Number(pid);
    if (wanted) killInit();
  });
  return {
    child,
    killTree: () => {
      wanted = true;
      if (init !== undefined) return killInit();
      setTimeout(() => {
        if (!exited && init === undefined) child.kill('SIGKILL');
      }, infoGraceMs).unref();
    },
    afterExit: () => {},
  };
}
