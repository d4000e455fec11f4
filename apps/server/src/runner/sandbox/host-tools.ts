import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { AppError } from '@slipway/core';

/**
 * Fixed system directories, not anyone's PATH: the tools the sandbox is built from must not
 * depend on the server's environment, nor on a build's (Node looks a bare name up in the PATH
 * of the environment it is given).
 */
const systemDirectories = [
  '/usr/local/sbin',
  '/usr/local/bin',
  '/usr/sbin',
  '/usr/bin',
  '/sbin',
  '/bin',
];
const found = new Map<string, Promise<string | undefined>>();

/** The absolute path of an executable, by name in the system directories or as a path. */
export function findTool(nameOrPath: string): Promise<string | undefined> {
  let result = found.get(nameOrPath);
  if (result === undefined) {
    result = lookUp(nameOrPath);
    found.set(nameOrPath, result);
  }
  return result;
}

/** Like `findTool`, but a missing tool is an error that says what to install. */
export async function getTool(name: string, hint: string): Promise<string> {
  const path = await findTool(name);
  if (path === undefined) {
    throw new AppError('Unavailable', `${name} was not found in /usr/bin or /bin: ${hint}`, {
      retryable: false,
    });
  }
  return path;
}

/**
 * Buildspec `env.shell` to a shell binary: `bash`, `sh` or an absolute path; without one, bash
 * when installed (CodeBuild's images have it), else sh.
 */
export async function resolveShell(preference: string | undefined): Promise<string> {
  if (preference === undefined || preference === '') {
    return (await findTool('bash')) ?? getTool('sh', 'a POSIX shell is required');
  }
  const shell = /^[a-z][a-z0-9]*$/.test(preference)
    ? await findTool(preference)
    : preference.startsWith('/') && !preference.includes('\0')
      ? await findTool(preference)
      : undefined;
  if (shell === undefined) {
    throw AppError.invalidInput(
      `env.shell ${JSON.stringify(preference)} is not an installed shell`,
    );
  }
  return shell;
}

async function lookUp(nameOrPath: string): Promise<string | undefined> {
  const candidates = nameOrPath.startsWith('/')
    ? [nameOrPath]
    : systemDirectories.map((directory) => `${directory}/${nameOrPath}`);
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      // Not here; try the next directory.
    }
  }
  return undefined;
}
