import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { freshPostgresUrl } from '../support/fresh-postgres.ts';
import { signHeaders } from '../support/sign.ts';
import {
  readCredentials,
  slipwayBin,
  spawnServer,
  type SpawnedServer,
} from '../support/test-server.ts';

const started: SpawnedServer[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const server of started.splice(0)) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-proc-'));
  dirs.push(dir);
  return dir;
}

async function start(args: string[], env: Record<string, string> = {}): Promise<SpawnedServer> {
  const server = await spawnServer(args, env);
  started.push(server);
  return server;
}

async function callerAccount(url: string, dataDir: string): Promise<string | undefined> {
  const credentials = await readCredentials(join(dataDir, 'credentials'));
  const client = new STSClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
  return (await client.send(new GetCallerIdentityCommand({}))).Account;
}

describe('slipway server as a process', () => {
  it('prints the three exports and writes the credential files', async () => {
    const dataDir = await tempDir();
    const server = await start(['--port', '0', '--data-dir', dataDir]);
    expect(server.stdout()).toContain(`export AWS_SHARED_CREDENTIALS_FILE=${dataDir}/credentials`);
    expect(server.stdout()).toContain(`export AWS_CONFIG_FILE=${dataDir}/aws-config`);
    expect(server.stdout()).toContain(`export AWS_ENDPOINT_URL=${server.url}`);
    // How to start a remote runner: the token is read from its file, never printed.
    const token = (await readFile(join(dataDir, 'runner-token'), 'utf8')).trim();
    expect(server.stdout()).toContain(
      `slipway runner --server ${server.url} --token "$(cat ${dataDir}/runner-token)"`,
    );
    expect(server.stdout()).not.toContain(token);
    expect(await readFile(join(dataDir, 'aws-config'), 'utf8')).toBe(
      `[default]\nregion = us-east-1\nendpoint_url = ${server.url}\n`,
    );
    expect(await callerAccount(server.url, dataDir)).toMatch(/^\d{12}$/);
  });

  it('reuses the account and key when started again, and never shows the secret', async () => {
    const dataDir = await tempDir();
    const first = await start(['--port', '0', '--data-dir', dataDir]);
    const before = await readFile(join(dataDir, 'credentials'), 'utf8');
    const account = await callerAccount(first.url, dataDir);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await start(['--port', '0', '--data-dir', dataDir]);
    expect(await readFile(join(dataDir, 'credentials'), 'utf8')).toBe(before);
    expect(await callerAccount(second.url, dataDir)).toBe(account);

    const { secretAccessKey } = await readCredentials(join(dataDir, 'credentials'));
    const database = await readFile(join(dataDir, 'slipway.db'));
    const wal = await readFile(join(dataDir, 'slipway.db-wal')).catch(() => Buffer.alloc(0));
    for (const output of [first.stdout(), first.stderr(), second.stdout(), second.stderr()]) {
      expect(output).not.toContain(secretAccessKey);
    }
    expect(database.includes(secretAccessKey)).toBe(false);
    expect(wal.includes(secretAccessKey)).toBe(false);
  });

  it('reports every bad setting at once and exits non-zero', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((done) => {
      execFile(
        process.execPath,
        [slipwayBin, 'server', '--port', 'x', '--log-level', 'loud'],
        { env: { ...process.env, SLIPWAY_DATABASE_URL: 'mysql://db', SLIPWAY_AWS_MAX_BODY: '0' } },
        (error, _stdout, stderr) =>
          done({ code: error === null ? 0 : (error.code as number), stderr }),
      );
    });
    expect(result.code).toBe(2);
    for (const name of ['--port', '--log-level', 'SLIPWAY_DATABASE_URL', 'SLIPWAY_AWS_MAX_BODY']) {
      expect(result.stderr).toContain(name);
    }
  });

  it('finishes an in-flight request on SIGTERM, then exits 0 promptly', async () => {
    const dataDir = await tempDir();
    const server = await start(['--port', '0', '--data-dir', dataDir]);
    const url = new URL(server.url);
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    const headers = await signHeaders({
      url: server.url,
      service: 'sts',
      ...(await readCredentials(join(dataDir, 'credentials'))),
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
    });
    // A keep-alive client whose request body is still arriving when the signal comes: the
    // server must answer it, then not wait for the idle connection to time out.
    const agent = new Agent({ keepAlive: true });
    let answeredAt = 0;
    const response = new Promise<{ status: number; text: string }>((done, fail) => {
      const req = request(
        { agent, host: url.hostname, port: url.port, method: 'POST', path: '/', headers },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (d: string) => (text += d));
          res.on('end', () => {
            answeredAt = Date.now();
            done({ status: res.statusCode ?? 0, text });
          });
        },
      );
      req.on('error', fail);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 100);
    });
    const answer = await response;
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('<Account>');
    expect(await server.exited).toBe(0);
    expect(Date.now() - answeredAt).toBeLessThan(2_000);
    expect(server.stderr()).toContain('"msg":"stopped"');
    agent.destroy();
  });

  it('runs on PostgreSQL, and two servers starting at once share one account', async () => {
    const databaseUrl = await freshPostgresUrl();
    const env = {
      SLIPWAY_DATABASE_URL: databaseUrl,
      SLIPWAY_SECRETS_KEY: randomBytes(32).toString('base64'),
    };
    const [dirA, dirB] = [await tempDir(), await tempDir()];
    const [a, b] = await Promise.all([
      start(['--port', '0', '--data-dir', dirA], env),
      start(['--port', '0', '--data-dir', dirB], env),
    ]);
    const accountA = await callerAccount(a.url, dirA);
    expect(accountA).toMatch(/^\d{12}$/);
    expect(await callerAccount(b.url, dirB)).toBe(accountA);
    // Either server accepts the other's credentials file: they are one installation.
    expect(await callerAccount(b.url, dirA)).toBe(accountA);
  });
});
