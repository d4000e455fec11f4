import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws, python } from '../support/aws-cli.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * Static git credentials through IAM's ServiceSpecificCredential API, with the real AWS CLI and
 * boto3. Needs `createIamService` among the AwsDoor's services in `main.ts`.
 */

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const codecommit = 'codecommit.amazonaws.com';
const isoSeconds = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

interface Credential {
  CreateDate: string;
  ServiceName: string;
  ServiceUserName: string;
  ServicePassword?: string;
  ServiceSpecificCredentialId: string;
  UserName: string;
  Status: string;
}

/** `aws iam <args> --output json`, parsed; fails the test on a non-zero exit. */
async function iam<T>(...args: string[]): Promise<T> {
  const result = await aws(['iam', ...args, '--output', 'json'], server.awsEnv);
  if (result.code !== 0) throw new Error(`aws iam ${args.join(' ')} failed: ${result.stderr}`);
  return (result.stdout.trim() === '' ? undefined : JSON.parse(result.stdout)) as T;
}

async function listed(...args: string[]): Promise<Credential[]> {
  const result = await iam<{ ServiceSpecificCredentials: Credential[] }>(
    'list-service-specific-credentials',
    ...args,
  );
  return result.ServiceSpecificCredentials;
}

/** Runs boto3 calls on an IAM client; prints the result or the error code, status and class. */
async function boto3(body: string): Promise<Record<string, unknown>> {
  const script = `
import json, boto3
from botocore.exceptions import ClientError
client = boto3.client('iam', endpoint_url='${server.url}', region_name='us-east-1',
    aws_access_key_id='${server.accessKeyId}', aws_secret_access_key='${server.secretAccessKey}')
def attempt(call):
    try:
        result = call()
        result.pop('ResponseMetadata', None)
        return {'ok': result}
    except ClientError as e:
        return {'error': e.response['Error']['Code'], 'class': type(e).__name__,
                'status': e.response['ResponseMetadata']['HTTPStatusCode']}
${body}
`;
  const result = await python(script, {});
  if (result.code !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe('aws iam service-specific credentials', () => {
  it('creates, lists, resets, deactivates and deletes a CodeCommit credential', async () => {
    const created = await iam<{ ServiceSpecificCredential: Credential }>(
      'create-service-specific-credential',
      '--user-name',
      'admin',
      '--service-name',
      codecommit,
    );
    const credential = created.ServiceSpecificCredential;
    expect(credential).toEqual({
      CreateDate: expect.stringMatching(isoSeconds) as unknown,
      ServiceName: codecommit,
      ServiceUserName: `admin-at-${server.accountId}`,
      ServicePassword: expect.stringMatching(/^[A-Za-z0-9+/]{44}$/) as unknown,
      ServiceSpecificCredentialId: expect.stringMatching(/^ACCA[A-Z2-7]{17}$/) as unknown,
      UserName: 'admin',
      Status: 'Active',
    });
    const id = credential.ServiceSpecificCredentialId;
    const withoutPassword: Credential = { ...credential };
    delete withoutPassword.ServicePassword;

    expect(await listed('--user-name', 'admin')).toEqual([withoutPassword]);
    // Without --user-name the caller is meant, as in AWS.
    expect(await listed('--service-name', codecommit)).toEqual([withoutPassword]);

    const reset = await iam<{ ServiceSpecificCredential: Credential }>(
      'reset-service-specific-credential',
      '--service-specific-credential-id',
      id,
    );
    expect(reset.ServiceSpecificCredential.ServiceSpecificCredentialId).toBe(id);
    expect(reset.ServiceSpecificCredential.ServicePassword).toMatch(/^[A-Za-z0-9+/]{44}$/);
    expect(reset.ServiceSpecificCredential.ServicePassword).not.toBe(credential.ServicePassword);

    await iam(
      'update-service-specific-credential',
      '--user-name',
      'admin',
      '--service-specific-credential-id',
      id,
      '--status',
      'Inactive',
    );
    expect(await listed()).toEqual([{ ...withoutPassword, Status: 'Inactive' }]);

    await iam('delete-service-specific-credential', '--service-specific-credential-id', id);
    expect(await listed()).toEqual([]);
  });

  it('a missing credential id is NoSuchEntity', async () => {
    const result = await aws(
      [
        'iam',
        'delete-service-specific-credential',
        '--service-specific-credential-id',
        'ACCAAAAAAAAAAAAAAAAAA',
      ],
      server.awsEnv,
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('(NoSuchEntity)');
  });
});

describe('boto3 iam service-specific credential errors', () => {
  it('an unknown user is NoSuchEntity (404)', async () => {
    const result = await boto3(`
print(json.dumps(attempt(lambda: client.create_service_specific_credential(
    UserName='nobody', ServiceName='${codecommit}'))))
`);
    expect(result).toEqual({ error: 'NoSuchEntity', class: 'NoSuchEntityException', status: 404 });
  });

  it('another service is ServiceNotSupportedException (code NotSupportedService, 404)', async () => {
    const result = await boto3(`
print(json.dumps(attempt(lambda: client.create_service_specific_credential(
    UserName='admin', ServiceName='cassandra.amazonaws.com'))))
`);
    expect(result).toEqual({
      error: 'NotSupportedService',
      class: 'ServiceNotSupportedException',
      status: 404,
    });
  });

  it('a third credential for the same user and service is LimitExceeded (409)', async () => {
    const result = await boto3(`
create = lambda: client.create_service_specific_credential(UserName='admin', ServiceName='${codecommit}')
first, second, third = attempt(create), attempt(create), attempt(create)
listed = client.list_service_specific_credentials(UserName='admin')['ServiceSpecificCredentials']
for credential in listed:
    client.delete_service_specific_credential(
        ServiceSpecificCredentialId=credential['ServiceSpecificCredentialId'])
print(json.dumps({'created': ['ok' in first, 'ok' in second], 'third': third, 'listed': len(listed),
    'left': len(client.list_service_specific_credentials()['ServiceSpecificCredentials'])}))
`);
    expect(result).toEqual({
      created: [true, true],
      third: { error: 'LimitExceeded', class: 'LimitExceededException', status: 409 },
      listed: 2,
      left: 0,
    });
  });

  it('parses CreateDate as a timestamp', async () => {
    const result = await boto3(`
created = client.create_service_specific_credential(UserName='admin', ServiceName='${codecommit}')
credential = created['ServiceSpecificCredential']
client.delete_service_specific_credential(
    ServiceSpecificCredentialId=credential['ServiceSpecificCredentialId'])
print(json.dumps({'type': type(credential['CreateDate']).__name__,
    'aware': credential['CreateDate'].tzinfo is not None}))
`);
    expect(result).toEqual({ type: 'datetime', aware: true });
  });

  it('a bad status is ValidationError (400)', async () => {
    const result = await boto3(`
from botocore.config import Config
raw = boto3.client('iam', endpoint_url='${server.url}', region_name='us-east-1',
    aws_access_key_id='${server.accessKeyId}', aws_secret_access_key='${server.secretAccessKey}',
    config=Config(parameter_validation=False))
print(json.dumps(attempt(lambda: raw.update_service_specific_credential(
    ServiceSpecificCredentialId='ACCAAAAAAAAAAAAAAAAAA', Status='Expired'))))
`);
    expect(result).toMatchObject({ error: 'ValidationError', status: 400 });
  });
});
