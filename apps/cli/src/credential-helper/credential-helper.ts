// The subpath keeps a git credential request from loading the whole server.
import { deriveGitPassword } from '@slipway/server/git-password';
import { loadHelperConfig } from './credential-helper-config.ts';

const usage = `Usage: slipway credential-helper get|store|erase [--profile P] [--credentials-file F] [--region R]

A git credential helper for Slipway repositories: answers git's request with a SigV4-derived
password made from your AWS-style credentials, so git needs no AWS CLI. Configure it with
  git config --global credential.http://HOST:PORT.helper '!/path/to/slipway credential-helper'
  git config --global credential.http://HOST:PORT.useHttpPath true`;

/** git's credential-helper protocol: key=value lines on stdin, answer on stdout. */
export async function runCredentialHelper(argv: readonly string[]): Promise<number> {
  // git appends the action to the configured command, so it may follow the options.
  const action = argv.find((a) => a === 'get' || a === 'store' || a === 'erase') ?? argv[0];
  const options = argv.filter((a) => a !== action);
  if (action === 'store' || action === 'erase') return 0;
  if (action !== 'get') {
    process.stderr.write(`${usage}\n`);
    return action === '--help' || action === '-h' ? 0 : 2;
  }
  const request = parseRequest(await readStdin());
  const { host, path, protocol } = request;
  if (host === undefined || protocol === undefined) return 0;
  if (path === undefined) {
    process.stderr.write(
      'slipway credential-helper: git sent no path; run ' +
        `git config credential.${protocol}://${host}.useHttpPath true\n`,
    );
    return 0;
  }
  const config = loadHelperConfig(options);
  if (config.credentials === undefined) {
    process.stderr.write(`slipway credential-helper: no credentials found (${config.searched})\n`);
    return 0;
  }
  const urlPath = `/${path.replace(/^\/+/, '')}`;
  const region =
    /^\/regions\/([a-z0-9-]+)\/v1\/repos\//.exec(urlPath)?.[1] ??
    config.regionOverride ??
    config.credentials.region ??
    'us-east-1';
  const password = deriveGitPassword({
    secretAccessKey: config.credentials.secretAccessKey,
    region,
    hostname: hostnameOf(host),
    path: urlPath,
    now: Date.now(),
  });
  process.stdout.write(`username=${config.credentials.accessKeyId}\npassword=${password}\n`);
  return 0;
}

function parseRequest(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1).replace(/\r$/, '');
  }
  return out;
}

/** git's `host` carries the port; the signature covers the host name alone. */
function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  return host.split(':')[0] ?? host;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
