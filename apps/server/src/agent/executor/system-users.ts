import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SystemUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

/** The account the agent runs as. */
export function currentUser(): SystemUser {
  const info = userInfo();
  return { name: info.username, uid: info.uid, gid: info.gid, home: info.homedir };
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** A local account by name, from the system's databases (`getent passwd`); undefined if none. */
export async function findUser(name: string): Promise<SystemUser | undefined> {
  const line = await getent('passwd', name);
  const fields = line?.split(':');
  if (fields === undefined || fields.length < 7) return undefined;
  return {
    name: fields[0] ?? name,
    uid: Number(fields[2]),
    gid: Number(fields[3]),
    home: fields[5] ?? '/',
  };
}

/** A local group's id by name (`getent group`); undefined if none. */
export async function findGroupId(name: string): Promise<number | undefined> {
  const fields = (await getent('group', name))?.split(':');
  return fields === undefined || fields.length < 3 ? undefined : Number(fields[2]);
}

/** The name of a group id, to compare an appspec's group with the agent's own. */
export async function findGroupName(gid: number): Promise<string | undefined> {
  return (await getent('group', String(gid)))?.split(':')[0];
}

async function getent(database: string, key: string): Promise<string | undefined> {
  // A key that looks like an option would be read as one.
  if (key.startsWith('-') || key === '') return undefined;
  try {
    const { stdout } = await run('getent', [database, key], { timeout: 10_000 });
    return stdout.split('\n')[0];
  } catch {
    return undefined;
  }
}
