import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const runnerTokenFileName = 'runner-token';

/**
 * The token remote runners present (`slipway runner --token`). Made on first start, kept in
 * the data directory (0600) beside the administrator's credentials, and the same for every
 * replica that shares the data directory's copy.
 */
export async function loadRunnerToken(dataDir: string): Promise<string> {
  const path = join(dataDir, runnerTokenFileName);
  const existing = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined && existing.trim() !== '') return existing.trim();
  const token = `slw_${randomBytes(24).toString('base64url')}`;
  // `wx`: two processes starting at once keep the first one's token.
  await writeFile(path, `${token}\n`, { mode: 0o600, flag: 'wx' }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    },
  );
  return (await readFile(path, 'utf8')).trim();
}

/** Constant-time comparison of a presented bearer token. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
