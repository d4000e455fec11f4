import { chmod, lchown, lstat } from 'node:fs/promises';
import { relative } from 'node:path';
import type { PermissionSpec } from '@slipway/appspec';
import { unknownFailure } from './command-failure.ts';
import { currentUser, findGroupId, findGroupName, findUser, isRoot } from './system-users.ts';

/**
 * Install's `permissions`, applied after the copy to what the copy installed (as the stock agent
 * applies them to the files it installed): for an `object` directory, the installed paths under
 * it whose path relative to it matches `pattern` and none of `except`; the directory itself only
 * with the default `**`. Owner and group need root unless they are the agent's own; ACLs and
 * SELinux contexts are refused, since neither setfacl nor chcon is assumed on the host.
 */
export async function applyPermissions(
  permissions: readonly PermissionSpec[],
  installed: ReadonlySet<string>,
): Promise<void> {
  for (const [index, permission] of permissions.entries()) {
    const where = `permissions[${index}] (${permission.object})`;
    if (permission.acls.length > 0) {
      throw unknownFailure(`${where}: acls are not supported by Slipway's agent (no setfacl)`);
    }
    if (permission.context !== undefined) {
      throw unknownFailure(`${where}: SELinux context is not supported by Slipway's agent`);
    }
    const owner = await ownerOf(permission, where);
    for (const path of await targetsOf(permission, installed)) {
      if (permission.mode !== undefined) await chmod(path, parseInt(permission.mode, 8));
      if (owner.uid !== -1 || owner.gid !== -1) await lchown(path, owner.uid, owner.gid);
    }
  }
}

async function targetsOf(permission: PermissionSpec, installed: ReadonlySet<string>) {
  const pattern = globToRegExp(permission.pattern);
  const excepts = permission.except.map(globToRegExp);
  const targets: string[] = [];
  for (const path of [...installed].sort()) {
    const rel = relative(permission.object, path);
    if (rel.startsWith('..') || rel.startsWith('/')) continue;
    const info = await lstat(path).catch(() => undefined);
    if (info === undefined || info.isSymbolicLink()) continue;
    if (rel === '' ? info.isDirectory() && permission.pattern !== '**' : !pattern.test(rel)) {
      continue;
    }
    if (rel !== '' && excepts.some((except) => except.test(rel))) continue;
    const kind = info.isDirectory() ? 'directory' : 'file';
    if (!permission.type.includes(kind)) continue;
    targets.push(path);
  }
  return targets;
}

async function ownerOf(permission: PermissionSpec, where: string) {
  const ids = { uid: -1, gid: -1 };
  if (permission.owner === undefined && permission.group === undefined) return ids;
  const root = isRoot();
  const me = currentUser();
  if (permission.owner !== undefined) {
    const user = await findUser(permission.owner);
    if (user === undefined)
      throw unknownFailure(`${where}: no user ${permission.owner} on this host`);
    if (!root && user.uid !== me.uid) {
      throw unknownFailure(
        `${where}: owner ${permission.owner} needs an agent running as root (it runs as ${me.name})`,
      );
    }
    ids.uid = user.uid;
  }
  if (permission.group !== undefined) {
    const gid = await findGroupId(permission.group);
    if (gid === undefined)
      throw unknownFailure(`${where}: no group ${permission.group} on this host`);
    if (!root && gid !== me.gid) {
      const mine = (await findGroupName(me.gid)) ?? String(me.gid);
      throw unknownFailure(
        `${where}: group ${permission.group} needs an agent running as root (its group is ${mine})`,
      );
    }
    ids.gid = gid;
  }
  return ids;
}

/** `**` any path, `*` and `?` within one segment; everything else literal. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
