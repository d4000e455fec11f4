import { execFile } from 'node:child_process';
import { AppError } from '@slipway/core';
import { getTool } from './host-tools.ts';

/** The account builds run as. */
export interface SandboxUser {
  readonly uid: number;
  readonly gid: number;
  /** Whether the server must switch to it when spawning (it runs as root). */
  readonly switchTo: boolean;
}

/** An account that owns nothing; the usual choice when none is configured. */
export const defaultSandboxUser = 'nobody';

/**
 * As root, bubblewrap is no boundary (root can undo what it sets up), so a root server runs
 * builds as `configured` (a name or a uid; default `nobody`). Any other server can only run them
 * as itself, and then `configured` is ignored.
 */
export async function resolveSandboxUser(configured?: string | number): Promise<SandboxUser> {
  const uid = process.getuid?.();
  const gid = process.getgid?.();
  if (uid === undefined || gid === undefined) {
    throw new AppError('Unavailable', 'Build sandboxes need a POSIX system', { retryable: false });
  }
  if (uid !== 0) return { uid, gid, switchTo: false };
  const account = configured ?? defaultSandboxUser;
  const entry = await lookUpAccount(String(account));
  const user = entry ?? (typeof account === 'number' ? { uid: account, gid: account } : undefined);
  if (user === undefined) {
    throw AppError.invalidInput(`Sandbox user ${JSON.stringify(account)} does not exist`);
  }
  if (!Number.isSafeInteger(user.uid) || user.uid <= 0 || user.gid <= 0) {
    throw AppError.invalidInput(`Sandbox user ${JSON.stringify(account)} must not be root`);
  }
  return { ...user, switchTo: true };
}

/** `getent passwd` (files, LDAP, whatever nsswitch says); undefined when there is no such entry. */
async function lookUpAccount(nameOrUid: string): Promise<{ uid: number; gid: number } | undefined> {
  if (!/^[a-z_][a-z0-9_.-]*\$?$|^[0-9]+$/i.test(nameOrUid)) return undefined;
  const getent = await getTool('getent', 'it resolves the sandbox user (package libc-bin)');
  const stdout = await new Promise<string | undefined>((resolve, reject) => {
    execFile(getent, ['passwd', nameOrUid], { env: { LC_ALL: 'C' } }, (error, out) => {
      if (error === null) resolve(out);
      // Exit code 2 means "no such key".
      else if (error.code === 2) resolve(undefined);
      else reject(new Error(`getent passwd failed: ${error.message}`, { cause: error }));
    });
  });
  const fields = stdout?.split('\n')[0]?.split(':');
  if (fields === undefined || fields.length < 4) return undefined;
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}
