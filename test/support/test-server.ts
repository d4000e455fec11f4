import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Clock } from '@slipway/core';
import { createLogger, loadConfig, startServer, type RunningServer } from '@slipway/server';

export interface TestServer extends RunningServer {
  readonly dataDir: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Environment for an AWS CLI / SDK child process that should use this server. */
  readonly awsEnv: Record<string, string>;
}

export interface TestServerOptions {
  readonly databaseUrl?: string;
  readonly dataDir?: string;
  readonly env?: Record<string, string>;
  /** The server's clock (default: the system's), for suites about deadlines days away. */
  readonly clock?: Clock;
}

/** A real server in this process, on a free port, with its own data directory. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'slipway-test-')));
  const env: Record<string, string> = {
    SLIPWAY_LOG_LEVEL: process.env.SLIPWAY_TEST_LOG_LEVEL ?? 'silent',
    // No built-in runner unless a suite asks (builds then stay QUEUED, as tests of the API
    // expect); suites that run builds pass SLIPWAY_RUNNER_CONCURRENCY.
    SLIPWAY_RUNNER_CONCURRENCY: '0',
    ...(options.databaseUrl === undefined ? {} : { SLIPWAY_DATABASE_URL: options.databaseUrl }),
    ...options.env,
  };
  const config = loadConfig({
    env,
    argv: ['--port', '0', '--data-dir', dataDir],
    cwd: process.cwd(),
  });
  const server = await startServer(config, await createLogger(config.log.level), options.clock);
  const credentials = await readCredentials(server.files.credentialsPath);
  return {
    ...server,
    ...credentials,
    dataDir,
    awsEnv: awsEnvFor(server),
    close: async () => {
      await server.close();
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function readCredentials(
  path: string,
): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  const text = await readFile(path, 'utf8');
  const accessKeyId = /aws_access_key_id = (\S+)/.exec(text)?.[1];
  const secretAccessKey = /aws_secret_access_key = (\S+)/.exec(text)?.[1];
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new Error(`no credentials in ${path}`);
  }
  return { accessKeyId, secretAccessKey };
}

function awsEnvFor(server: RunningServer): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    AWS_SHARED_CREDENTIALS_FILE: server.files.credentialsPath,
    AWS_CONFIG_FILE: server.files.configPath,
    AWS_ENDPOINT_URL: server.url,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

export const slipwayBin = resolve(import.meta.dirname, '../../apps/cli/bin/slipway.js');

export interface SpawnedServer {
  readonly child: ChildProcess;
  readonly url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** `slipway server` as a child process, as a user runs it; resolves once it prints its URL. */
export async function spawnServer(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<SpawnedServer> {
  const child = spawn(process.execPath, [slipwayBin, 'server', ...args], {
    env: { ...process.env, SLIPWAY_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`server did not start:\n${out}\n${err}`)),
      30_000,
    );
    const check = () => {
      const match = /listening on (http:\/\/\S+?) /.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        done(match[1]);
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code}:\n${out}\n${err}`));
    });
  });
  return { child, url, stdout: () => out, stderr: () => err, exited };
}
