import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

function problemsOf(env: Record<string, string>, argv: string[] = []): readonly string[] {
  try {
    loadConfig({ env, argv, cwd: '/work' });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('defaults to 127.0.0.1:4750, ./.slipway and SQLite', () => {
    const config = loadConfig({ env: {}, argv: [], cwd: '/work' });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 4750,
      dataDir: '/work/.slipway',
      store: { databaseUrl: undefined },
      log: { level: 'info' },
    });
  });

  it('reads SLIPWAY_* variables', () => {
    const config = loadConfig({
      env: {
        SLIPWAY_PORT: '8080',
        SLIPWAY_HOST: '0.0.0.0',
        SLIPWAY_DATA_DIR: 'state',
        SLIPWAY_DATABASE_URL: 'postgres://u@db/slipway',
        SLIPWAY_AWS_MAX_BODY: '2MiB',
        SLIPWAY_SHUTDOWN_TIMEOUT: '3s',
      },
      argv: [],
      cwd: '/srv',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      dataDir: '/srv/state',
      store: { databaseUrl: 'postgres://u@db/slipway' },
      aws: { maxBodyBytes: 2 * 1024 * 1024 },
      shutdownTimeoutMs: 3000,
    });
  });

  it('lets flags override variables', () => {
    const config = loadConfig({
      env: { SLIPWAY_PORT: '8080', SLIPWAY_DATA_DIR: '/a' },
      argv: ['--port', '9090', '--data-dir', '/b', '--host', '::1'],
      cwd: '/',
    });
    expect(config).toMatchObject({ port: 9090, dataDir: '/b', host: '::1' });
  });

  it('reports every bad setting at once, naming where it came from', () => {
    const problems = problemsOf(
      {
        SLIPWAY_PORT: 'eighty',
        SLIPWAY_DATABASE_URL: 'mysql://x',
        SLIPWAY_AWS_MAX_BODY: 'lots',
        SLIPWAY_SECRETS_KEY: 'c2hvcnQ=',
      },
      ['--log-level', 'loud'],
    );
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/SLIPWAY_PORT: 'eighty'/);
    expect(problems.join('\n')).toMatch(/SLIPWAY_DATABASE_URL/);
    expect(problems.join('\n')).toMatch(/--log-level/);
    expect(problems.join('\n')).toMatch(/SLIPWAY_AWS_MAX_BODY: 'lots'/);
    expect(problems.join('\n')).toMatch(/SLIPWAY_SECRETS_KEY/);
  });

  it('refuses a port out of range and an unknown flag', () => {
    expect(problemsOf({}, ['--port', '65536', '--bogus', 'extra', '--host'])).toEqual([
      "unknown option '--bogus'",
      "unexpected argument 'extra'",
      "option '--host' needs a value",
      "--port: '65536' is not an integer from 0 to 65535",
    ]);
    expect(problemsOf({}, ['--port', '65536'])[0]).toMatch(/--port: '65536'/);
  });

  it('logs pretty lines to a terminal and JSON elsewhere, unless told', () => {
    expect(loadConfig({ env: {}, argv: [], cwd: '/', stderrIsTty: true }).log.format).toBe(
      'pretty',
    );
    expect(loadConfig({ env: {}, argv: [], cwd: '/', stderrIsTty: false }).log.format).toBe('json');
    expect(
      loadConfig({ env: { SLIPWAY_LOG_FORMAT: 'json' }, argv: [], cwd: '/', stderrIsTty: true }).log
        .format,
    ).toBe('json');
    expect(problemsOf({ SLIPWAY_LOG_FORMAT: 'xml' })).toEqual([
      "SLIPWAY_LOG_FORMAT: 'xml' is not json or pretty",
    ]);
  });

  it('refuses a lease-check interval so short it would spin', () => {
    expect(problemsOf({ SLIPWAY_JOBS_EXPIRY_INTERVAL: '0' })).toEqual([
      "SLIPWAY_JOBS_EXPIRY_INTERVAL: '0' is shorter than 10ms",
    ]);
  });

  it('takes the public URL clients use, without its trailing slash', () => {
    const config = loadConfig({
      env: { SLIPWAY_PUBLIC_URL: 'https://git.example.com/' },
      argv: [],
      cwd: '/work',
    });
    expect(config.publicUrl).toBe('https://git.example.com');
  });

  it('refuses a public URL that is not http(s)', () => {
    expect(problemsOf({ SLIPWAY_PUBLIC_URL: 'ftp://x' })).toEqual([
      "SLIPWAY_PUBLIC_URL: 'ftp://x' is not an http(s) URL without a query",
    ]);
  });

  it('keeps blobs in the data directory unless SLIPWAY_BLOB_URL names an S3 bucket', () => {
    expect(loadConfig({ env: {}, argv: [], cwd: '/work' }).blobs).toEqual({ kind: 'local' });
    const config = loadConfig({
      env: {
        SLIPWAY_BLOB_URL: 's3://artifacts/slipway',
        SLIPWAY_BLOB_ENDPOINT: 'http://minio:9000',
        SLIPWAY_BLOB_ACCESS_KEY_ID: 'AKID',
        SLIPWAY_BLOB_SECRET_ACCESS_KEY: 'secret',
      },
      argv: [],
      cwd: '/work',
    });
    expect(config.blobs).toEqual({
      kind: 's3',
      bucket: 'artifacts',
      prefix: 'slipway/',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    });
  });

  it('refuses a blob URL that is not s3:// and half a key pair', () => {
    expect(
      problemsOf({ SLIPWAY_BLOB_URL: 'file:///tmp', SLIPWAY_BLOB_ACCESS_KEY_ID: 'AKID' }),
    ).toEqual(["SLIPWAY_BLOB_URL: 'file:///tmp' is not s3://<bucket>[/<prefix>]"]);
    expect(
      problemsOf({ SLIPWAY_BLOB_URL: 's3://bucket', SLIPWAY_BLOB_ACCESS_KEY_ID: 'AKID' }),
    ).toEqual(['SLIPWAY_BLOB_ACCESS_KEY_ID and SLIPWAY_BLOB_SECRET_ACCESS_KEY go together']);
  });

  it('returns a frozen object', () => {
    const config = loadConfig({ env: {}, argv: [], cwd: '/' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.store)).toBe(true);
  });
});
