import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { python } from '../support/aws-cli.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** Runs `call` on a boto3 client; prints {"ok": result} or {"error": code, "status": n}. */
function boto3(
  service: string,
  call: string,
  credentials: { key: string; secret: string } | 'unsigned',
) {
  const client =
    credentials === 'unsigned'
      ? `boto3.client('${service}', endpoint_url=URL, region_name='us-east-1', config=Config(signature_version=UNSIGNED))`
      : `boto3.client('${service}', endpoint_url=URL, region_name='us-east-1', aws_access_key_id='${credentials.key}', aws_secret_access_key='${credentials.secret}')`;
  const script = `
import json, boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
URL = '${server.url}'
client = ${client}
try:
    result = client.${call}
    result.pop('ResponseMetadata', None)
    print(json.dumps({'ok': result}))
except ClientError as e:
    print(json.dumps({'error': e.response['Error']['Code'], 'status': e.response['ResponseMetadata']['HTTPStatusCode']}))
`;
  return python(script, {}).then((r) => {
    if (r.code !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout) as { ok?: Record<string, string>; error?: string; status?: number };
  });
}

describe('boto3 against slipway', () => {
  it('sts.get_caller_identity returns the account, ARN and user id', async () => {
    const result = await boto3('sts', 'get_caller_identity()', {
      key: server.accessKeyId,
      secret: server.secretAccessKey,
    });
    expect(result.ok).toMatchObject({
      Account: server.accountId,
      Arn: `arn:aws:iam::${server.accountId}:user/admin`,
    });
    expect(result.ok?.UserId).toMatch(/^AIDA/);
  });

  it('a wrong secret gets InvalidSignatureException', async () => {
    const result = await boto3('sts', 'get_caller_identity()', {
      key: server.accessKeyId,
      secret: 'wrong-secret',
    });
    expect(result).toEqual({ error: 'InvalidSignatureException', status: 400 });
  });

  it('an unsigned call gets MissingAuthenticationTokenException', async () => {
    const result = await boto3('sts', 'get_caller_identity()', 'unsigned');
    expect(result).toEqual({ error: 'MissingAuthenticationTokenException', status: 403 });
  });

  // Presigned for GET: botocore otherwise signs for the operation's own method, POST.
  it('a presigned GetCallerIdentity URL works with plain fetch, and not after tampering', async () => {
    const script = `
import boto3
client = boto3.client('sts', endpoint_url='${server.url}', region_name='us-east-1', aws_access_key_id='${server.accessKeyId}', aws_secret_access_key='${server.secretAccessKey}')
print(client.generate_presigned_url('get_caller_identity', ExpiresIn=60, HttpMethod='GET'))
`;
    const presigned = await python(script, {});
    const url = presigned.stdout.trim();
    expect(url).toContain('X-Amz-Signature=');
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`<Account>${server.accountId}</Account>`);
    const tampered = await fetch(url.replace('X-Amz-Expires=60', 'X-Amz-Expires=600'));
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain('<Code>InvalidSignatureException</Code>');
  });

  it('ecr.describe_repositories (not served yet) gets UnknownOperationException', async () => {
    const result = await boto3('ecr', 'describe_repositories()', {
      key: server.accessKeyId,
      secret: server.secretAccessKey,
    });
    expect(result).toEqual({ error: 'UnknownOperationException', status: 400 });
  });
});
