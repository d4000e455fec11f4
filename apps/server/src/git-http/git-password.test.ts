import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cleanEnv } from '../../../../test/support/aws-cli.ts';
import { deriveGitPassword, verifyGitPassword } from './git-password.ts';

const secretAccessKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const now = Date.UTC(2026, 10, 22, 10, 10, 10);
const base = {
  secretAccessKey,
  hostname: 'git.example.com',
  path: '/v1/repos/demo',
  now,
};
const password = deriveGitPassword({ ...base, region: 'us-east-1' });

function verify(overrides: Partial<Parameters<typeof verifyGitPassword>[0]> = {}): boolean {
  return verifyGitPassword({ ...base, password, regions: ['us-east-1'], ...overrides });
}

describe('SigV4 git passwords', () => {
  it('have the credential helper’s shape and verify', () => {
    expect(password).toMatch(/^20261122T101010Z[0-9a-f]{64}$/);
    expect(verify()).toBe(true);
    expect(verify({ regions: ['eu-west-1', 'us-east-1'] })).toBe(true);
  });

  it('fail for another secret, path, host or region', () => {
    expect(verify({ secretAccessKey: `${secretAccessKey}x` })).toBe(false);
    expect(verify({ path: '/v1/repos/other' })).toBe(false);
    expect(verify({ path: '/regions/us-east-1/v1/repos/demo' })).toBe(false);
    expect(verify({ hostname: 'git.example.org' })).toBe(false);
    expect(verify({ regions: ['eu-west-1'] })).toBe(false);
    expect(verify({ regions: [] })).toBe(false);
  });

  it('fail outside 15 minutes either side of their timestamp', () => {
    const minute = 60_000;
    expect(verify({ now: now + 14 * minute })).toBe(true);
    expect(verify({ now: now - 14 * minute })).toBe(true);
    expect(verify({ now: now + 16 * minute })).toBe(false);
    expect(verify({ now: now - 16 * minute })).toBe(false);
  });

  it('fail when malformed', () => {
    expect(verify({ password: password.toUpperCase() })).toBe(false);
    expect(verify({ password: password.slice(0, -1) })).toBe(false);
    expect(verify({ password: `20261399T101010Z${password.slice(16)}` })).toBe(false);
    expect(verify({ password: '' })).toBe(false);
  });

  it('accept what the real `aws codecommit credential-helper` prints', async () => {
    const env = cleanEnv({
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    });
    const output = await runWithStdin(
      'aws',
      ['codecommit', 'credential-helper', 'get', '--ignore-host-check', '--region', 'us-east-1'],
      env,
      'protocol=http\nhost=127.0.0.1:4750\npath=v1/repos/demo\n\n',
    );
    expect(output).toMatch(/^username=AKIAIOSFODNN7EXAMPLE$/m);
    const printed = /^password=(.*)$/m.exec(output)?.[1] ?? '';
    const check = { secretAccessKey, hostname: '127.0.0.1', path: '/v1/repos/demo' };
    expect(
      verifyGitPassword({ ...check, password: printed, regions: ['us-east-1'], now: Date.now() }),
    ).toBe(true);
    expect(
      verifyGitPassword({ ...check, password: printed, regions: ['us-west-2'], now: Date.now() }),
    ).toBe(false);
  });
});

function runWithStdin(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  input: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} exited with ${code}: ${stderr}`));
    });
    child.stdin.end(input);
  });
}
