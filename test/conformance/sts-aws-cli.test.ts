import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws } from '../support/aws-cli.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** A credentials file like the server's, with another key or secret. */
async function credentialsFile(name: string, accessKeyId: string, secret: string) {
  const path = join(server.dataDir, name);
  await writeFile(
    path,
    `[default]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secret}\nregion = us-east-1\n`,
  );
  return path;
}

describe('aws CLI against slipway (STS and the JSON door)', () => {
  it('get-caller-identity with the three exports the server prints', async () => {
    const result = await aws(['sts', 'get-caller-identity', '--output', 'json'], {
      AWS_SHARED_CREDENTIALS_FILE: server.files.credentialsPath,
      AWS_CONFIG_FILE: server.files.configPath,
      AWS_ENDPOINT_URL: server.url,
    });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      Account: server.accountId,
      Arn: `arn:aws:iam::${server.accountId}:user/admin`,
      UserId: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/) as unknown,
    });
  });

  it('get-caller-identity with only the credentials file and --endpoint-url', async () => {
    const result = await aws(
      ['--endpoint-url', server.url, 'sts', 'get-caller-identity', '--output', 'json'],
      {
        AWS_SHARED_CREDENTIALS_FILE: server.files.credentialsPath,
        AWS_CONFIG_FILE: join(server.dataDir, 'no-such-config'),
      },
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ Account: server.accountId });
  });

  it('get-caller-identity with the endpoint from the aws-config file alone', async () => {
    const result = await aws(['sts', 'get-caller-identity', '--output', 'json'], {
      AWS_SHARED_CREDENTIALS_FILE: server.files.credentialsPath,
      AWS_CONFIG_FILE: server.files.configPath,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ Account: server.accountId });
  });

  it('a wrong secret fails with InvalidSignatureException', async () => {
    const path = await credentialsFile('wrong-secret', server.accessKeyId, 'x'.repeat(40));
    const result = await aws(['--endpoint-url', server.url, 'sts', 'get-caller-identity'], {
      AWS_SHARED_CREDENTIALS_FILE: path,
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('(InvalidSignatureException)');
  });

  it('an unknown access key fails with UnrecognizedClientException', async () => {
    const path = await credentialsFile(
      'unknown-key',
      'AKIAUNKNOWN000000000',
      server.secretAccessKey,
    );
    const result = await aws(['--endpoint-url', server.url, 'sts', 'get-caller-identity'], {
      AWS_SHARED_CREDENTIALS_FILE: path,
    });
    expect(result.stderr).toContain('(UnrecognizedClientException)');
  });

  it('no credentials fails with MissingAuthenticationTokenException', async () => {
    const result = await aws(
      [
        '--endpoint-url',
        server.url,
        '--no-sign-request',
        '--region',
        'us-east-1',
        'sts',
        'get-caller-identity',
      ],
      {},
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('(MissingAuthenticationTokenException)');
  });

  it('ecr describe-repositories (not served yet) gets UnknownOperationException, not a 500', async () => {
    const result = await aws(['ecr', 'describe-repositories'], {
      AWS_SHARED_CREDENTIALS_FILE: server.files.credentialsPath,
      AWS_CONFIG_FILE: server.files.configPath,
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('(UnknownOperationException)');
  });
});
