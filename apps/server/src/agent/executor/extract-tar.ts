import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { posix } from 'node:path';
import { createInterface } from 'node:readline';

export class TarBundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TarBundleError';
  }
}

export const maxTarEntries = 200_000;

/**
 * Unpacks a tar or tgz bundle with the system tar, after checking tar's own listing of it: no
 * absolute names, no `..` component, no symlink or hard link pointing outside the bundle, no
 * device files or FIFOs. Owners and permissions stored in the archive are not applied.
 */
export async function extractTarBundle(file: string, directory: string): Promise<void> {
  await checkTarListing(file);
  await mkdir(directory, { recursive: true });
  await runTar(['-xf', file, '-C', directory, '--no-same-owner', '--no-same-permissions']);
}

/** Reads `tar -tv` (C-quoted names, numeric owners) and refuses the first unsafe entry. */
export async function checkTarListing(file: string): Promise<void> {
  const child = spawn(
    'tar',
    ['-tvf', file, '--numeric-owner', '--quoting-style=c', '--full-time'],
    { env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 4096) stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  let entries = 0;
  let problem: string | undefined;
  for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
    if (problem !== undefined) continue;
    entries += 1;
    problem =
      entries > maxTarEntries
        ? `The bundle has more than ${maxTarEntries} entries.`
        : checkEntry(line);
    if (problem !== undefined) child.kill('SIGKILL');
  }
  const code = await exited;
  if (problem !== undefined) throw new TarBundleError(problem);
  if (code !== 0) {
    throw new TarBundleError(`The bundle is not a readable tar archive: ${stderr.trim()}`);
  }
}

// mode, uid/gid, size (or major,minor), date, time, then the quoted name.
const entryLine = /^(\S)\S*\s+\d+\/\d+\s+(\d+(?:,\s*\d+)?)\s+\S+\s+\S+\s+(".*)$/;

/** A problem with one `tar -tv` line, or undefined when the entry is safe. */
export function checkEntry(line: string): string | undefined {
  const match = entryLine.exec(line);
  if (match === null) return `The bundle has an entry tar lists oddly: ${line.slice(0, 200)}`;
  const [, type, , rest = ''] = match;
  const [name, after] = readQuoted(rest);
  if (name === undefined) return `The bundle has an entry tar lists oddly: ${line.slice(0, 200)}`;
  const nameProblem = unsafeName(name);
  if (nameProblem !== undefined) return nameProblem;
  switch (type ?? '') {
    case '-':
    case 'd':
      return undefined;
    case 'l': {
      const target = after.startsWith(' -> ') ? readQuoted(after.slice(4))[0] : undefined;
      return target === undefined || linkEscapes(name, target)
        ? `The bundle's symlink ${name} points outside the bundle: ${JSON.stringify(target)}`
        : undefined;
    }
    case 'h': {
      const target = after.startsWith(' link to ') ? readQuoted(after.slice(9))[0] : undefined;
      return target === undefined || unsafeName(target) !== undefined
        ? `The bundle's hard link ${name} points outside the bundle: ${JSON.stringify(target)}`
        : undefined;
    }
    default:
      return `The bundle has a device file, FIFO or other special entry, which is refused: ${name}`;
  }
}

function unsafeName(name: string): string | undefined {
  if (name.includes('\0')) return `The bundle has an unsafe entry name: ${JSON.stringify(name)}`;
  if (posix.isAbsolute(name) || name.split('/').includes('..')) {
    return `The bundle has an entry outside its root: ${JSON.stringify(name)}`;
  }
  return undefined;
}

function linkEscapes(name: string, target: string): boolean {
  if (target === '' || posix.isAbsolute(target)) return true;
  const resolved = posix.normalize(posix.join(posix.dirname(name), target));
  return resolved === '..' || resolved.startsWith('../');
}

const escapes: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  f: '\f',
  v: '\v',
  b: '\b',
  a: '\x07',
  '\\': '\\',
  '"': '"',
  '?': '?',
};

/** A C-quoted string at the start of `text`: its value and what follows it. */
function readQuoted(text: string): [string | undefined, string] {
  if (!text.startsWith('"')) return [undefined, text];
  const bytes: number[] = [];
  for (let i = 1; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '"') return [Buffer.from(bytes).toString('utf8'), text.slice(i + 1)];
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = text[i + 1] ?? '';
    const octal = /^[0-7]{3}/.exec(text.slice(i + 1));
    if (octal !== null) {
      bytes.push(parseInt(octal[0], 8));
      i += 3;
    } else if (next in escapes) {
      bytes.push(...Buffer.from(escapes[next] ?? '', 'utf8'));
      i += 1;
    } else {
      return [undefined, text];
    }
  }
  return [undefined, text];
}

function runTar(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new TarBundleError(`tar could not unpack the bundle: ${stderr.trim()}`)),
    );
  });
}
