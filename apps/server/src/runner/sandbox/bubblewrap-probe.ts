import { execFile, spawn } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { AppError } from '@slipway/core';
import type { SandboxUser } from './sandbox-user.ts';

/** What this machine's bubblewrap can do. */
export interface BubblewrapFeatures {
  /** `--disable-userns` (0.8+): the build cannot make nested user namespaces. */
  readonly disableUserns: boolean;
}

/** The kernel settings that decide whether an unprivileged uid may make a user namespace. */
export interface UsernsSettings {
  readonly maxUserNamespaces: string | undefined;
  readonly unprivilegedUsernsClone: string | undefined;
  readonly apparmorRestrictUnprivilegedUserns: string | undefined;
}

/**
 * Starts one real sandbox as the sandbox user, so a machine that cannot run builds says so at
 * startup, with the reason, rather than at the first build.
 */
export async function probeBubblewrap(
  bwrap: string,
  user: SandboxUser,
): Promise<BubblewrapFeatures> {
  const help = await new Promise<string>((resolve) => {
    execFile(bwrap, ['--help'], { env: {} }, (_error, stdout) => resolve(stdout));
  });
  const features = { disableUserns: help.includes('--disable-userns') };
  const args = ['--unshare-all', '--die-with-parent', '--new-session', '--ro-bind', '/', '/'];
  args.push('--proc', '/proc', '--dev', '/dev');
  if (features.disableUserns) args.push('--unshare-user', '--disable-userns');
  const { code, stderr } = await runAs(bwrap, [...args, '--', '/bin/sh', '-c', 'exit 0'], user);
  if (code !== 0) {
    throw new AppError('Unavailable', explainProbeFailure(stderr, user, await readSettings()), {
      retryable: false,
    });
  }
  return features;
}

/** Why bubblewrap failed, with what to change; pure so each case can be checked. */
export function explainProbeFailure(
  stderr: string,
  user: SandboxUser,
  settings: UsernsSettings,
): string {
  const who = `uid ${user.uid}`;
  const lead = `bubblewrap cannot create a sandbox as ${who} (${stderr.trim() || 'no message'})`;
  if (settings.maxUserNamespaces === '0') {
    return `${lead}: user namespaces are disabled (user.max_user_namespaces = 0); set it above 0.`;
  }
  if (settings.unprivilegedUsernsClone === '0') {
    return `${lead}: the kernel refuses user namespaces to unprivileged users (kernel.unprivileged_userns_clone = 0); set it to 1.`;
  }
  if (settings.apparmorRestrictUnprivilegedUserns === '1') {
    return `${lead}: AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns = 1); give bwrap an AppArmor profile that allows userns, or set the sysctl to 0.`;
  }
  return `${lead}: the kernel or a seccomp profile (containers often block unshare/clone of user namespaces) refuses user namespaces; allow them, or configure the process executor, which does not isolate builds.`;
}

/**
 * Descriptors the server inherited without close-on-exec reach every sandbox (bubblewrap
 * passes them on); an open directory among them would let a build leave its mount namespace.
 */
export async function findInheritedDescriptors(): Promise<string[]> {
  const leaked: string[] = [];
  for (const name of await readdir('/proc/self/fd').catch(() => [])) {
    if (Number(name) < 3) continue;
    const info = await readFile(`/proc/self/fdinfo/${name}`, 'utf8').catch(() => '');
    const flags = /^flags:\s*([0-7]+)/m.exec(info)?.[1];
    if (flags === undefined || (parseInt(flags, 8) & 0o2000000) !== 0) continue;
    leaked.push(`${name} -> ${await readlink(`/proc/self/fd/${name}`).catch(() => '?')}`);
  }
  return leaked;
}

async function readSettings(): Promise<UsernsSettings> {
  const read = (path: string) =>
    readFile(path, 'utf8').then(
      (text) => text.trim(),
      () => undefined,
    );
  return {
    maxUserNamespaces: await read('/proc/sys/user/max_user_namespaces'),
    unprivilegedUsernsClone: await read('/proc/sys/kernel/unprivileged_userns_clone'),
    apparmorRestrictUnprivilegedUserns: await read(
      '/proc/sys/kernel/apparmor_restrict_unprivileged_userns',
    ),
  };
}

function runAs(
  file: string,
  args: readonly string[],
  user: SandboxUser,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: {},
      cwd: '/',
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(user.switchTo ? { uid: user.uid, gid: user.gid } : {}),
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}
