import { CodePipelineClient, ListPipelinesCommand } from '@aws-sdk/client-codepipeline';
import type { STSServiceException } from '@aws-sdk/client-sts';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

function sts(secretAccessKey = server.secretAccessKey, accessKeyId = server.accessKeyId) {
  return new STSClient({
    endpoint: server.url,
    region: 'eu-central-1',
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
  });
}

async function errorOf(work: Promise<unknown>): Promise<{ name: string; status?: number }> {
  try {
    await work;
  } catch (error) {
    const e = error as STSServiceException;
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  return { name: 'no error' };
}

describe('@aws-sdk/client-sts against slipway', () => {
  it('GetCallerIdentity returns the account, ARN and user id', async () => {
    const result = await sts().send(new GetCallerIdentityCommand({}));
    expect(result.Account).toBe(server.accountId);
    expect(result.Arn).toBe(`arn:aws:iam::${server.accountId}:user/admin`);
    expect(result.UserId).toMatch(/^AIDA/);
    expect(result.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a wrong secret gets InvalidSignatureException', async () => {
    expect(await errorOf(sts('wrong').send(new GetCallerIdentityCommand({})))).toEqual({
      name: 'InvalidSignatureException',
      status: 400,
    });
  });

  it('an unknown key gets UnrecognizedClientException', async () => {
    const client = sts(server.secretAccessKey, 'AKIAUNKNOWN000000000');
    expect((await errorOf(client.send(new GetCallerIdentityCommand({})))).name).toBe(
      'UnrecognizedClientException',
    );
  });

  it('no credentials gets MissingAuthenticationTokenException', async () => {
    const client = new STSClient({
      endpoint: server.url,
      region: 'us-east-1',
      signer: { sign: (request) => Promise.resolve(request) },
      credentials: { accessKeyId: '', secretAccessKey: '' },
      maxAttempts: 1,
    });
    expect((await errorOf(client.send(new GetCallerIdentityCommand({})))).name).toBe(
      'MissingAuthenticationTokenException',
    );
  });
});

describe('@aws-sdk/client-codepipeline against slipway', () => {
  it('ListPipelines answers an empty list', async () => {
    const client = new CodePipelineClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      maxAttempts: 1,
    });
    expect((await client.send(new ListPipelinesCommand({}))).pipelines).toEqual([]);
  });
});
