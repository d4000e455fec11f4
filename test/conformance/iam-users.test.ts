import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws, python, type CommandResult } from '../support/aws-cli.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * IAM users, access keys and inline user policies with the real AWS CLI (and boto3 for the
 * statuses of IAM's errors): what `aws deploy register` does to give an on-premises instance
 * credentials of its own.
 */

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const isoSeconds = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

interface User {
  Path: string;
  UserName: string;
  UserId: string;
  Arn: string;
  CreateDate: string;
}

interface AccessKey {
  UserName: string;
  AccessKeyId: string;
  Status: string;
  SecretAccessKey?: string;
  CreateDate: string;
}

/** `aws iam <args> --output json` as the administrator, parsed; fails on a non-zero exit. */
async function iam<T>(...args: string[]): Promise<T> {
  const result = await aws(['iam', ...args, '--output', 'json'], server.awsEnv);
  if (result.code !== 0) throw new Error(`aws iam ${args.join(' ')} failed: ${result.stderr}`);
  return (result.stdout.trim() === '' ? undefined : JSON.parse(result.stdout)) as T;
}

/** `aws <args>` as the holder of another access key, through a credentials file of its own. */
async function awsAs(key: AccessKey, ...args: string[]): Promise<CommandResult> {
  const path = join(server.dataDir, `credentials-${key.AccessKeyId}`);
  await writeFile(
    path,
    `[default]\naws_access_key_id = ${key.AccessKeyId}\n` +
      `aws_secret_access_key = ${key.SecretAccessKey ?? ''}\nregion = us-east-1\n`,
  );
  return aws([...args, '--output', 'json'], {
    ...server.awsEnv,
    AWS_SHARED_CREDENTIALS_FILE: path,
  });
}

/** The error code in the CLI's message, `An error occurred (<code>) when calling …`. */
async function errorCode(...args: string[]): Promise<string> {
  const result = await aws(['iam', ...args], server.awsEnv);
  expect(result.code).not.toBe(0);
  return /An error occurred \((\w+)\)/.exec(result.stderr)?.[1] ?? result.stderr;
}

const policyDocument = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Action: ['s3:Get*', 's3:List*'], Effect: 'Allow', Resource: '*' }],
});

describe('aws iam users, access keys and user policies', () => {
  it('a new user signs with its own key until the key is deactivated, then is deleted', async () => {
    const { User: user } = await iam<{ User: User }>(
      'create-user',
      '--user-name',
      'onprem-1',
      '--path',
      '/AWS/CodeDeploy/',
    );
    expect(user).toEqual({
      Path: '/AWS/CodeDeploy/',
      UserName: 'onprem-1',
      UserId: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/) as unknown,
      Arn: `arn:aws:iam::${server.accountId}:user/AWS/CodeDeploy/onprem-1`,
      CreateDate: expect.stringMatching(isoSeconds) as unknown,
    });
    const listedUsers = await iam<{ Users: User[] }>('list-users');
    expect(listedUsers.Users.map((u) => u.UserName)).toEqual(['admin', 'onprem-1']);

    const { AccessKey: key } = await iam<{ AccessKey: AccessKey }>(
      'create-access-key',
      '--user-name',
      'onprem-1',
    );
    expect(key).toEqual({
      UserName: 'onprem-1',
      AccessKeyId: expect.stringMatching(/^AKIA[A-Z2-7]{16}$/) as unknown,
      Status: 'Active',
      SecretAccessKey: expect.stringMatching(/^[A-Za-z0-9+/]{40}$/) as unknown,
      CreateDate: expect.stringMatching(isoSeconds) as unknown,
    });

    const caller = await awsAs(key, 'sts', 'get-caller-identity');
    expect(caller.stderr).toBe('');
    expect(JSON.parse(caller.stdout)).toEqual({
      Account: server.accountId,
      Arn: user.Arn,
      UserId: user.UserId,
    });
    // Without --user-name, GetUser is about the caller.
    const self = await awsAs(key, 'iam', 'get-user');
    expect(JSON.parse(self.stdout)).toEqual({ User: user });

    const withoutSecret = { ...key };
    delete withoutSecret.SecretAccessKey;
    expect(await iam('list-access-keys', '--user-name', 'onprem-1')).toEqual({
      AccessKeyMetadata: [withoutSecret],
    });

    await iam(
      'put-user-policy',
      '--user-name',
      'onprem-1',
      '--policy-name',
      'codedeploy-agent',
      '--policy-document',
      policyDocument,
    );
    expect(
      await iam('get-user-policy', '--user-name', 'onprem-1', '--policy-name', 'codedeploy-agent'),
    ).toEqual({
      UserName: 'onprem-1',
      PolicyName: 'codedeploy-agent',
      PolicyDocument: JSON.parse(policyDocument) as unknown,
    });
    expect(await iam('list-user-policies', '--user-name', 'onprem-1')).toEqual({
      PolicyNames: ['codedeploy-agent'],
    });
    await iam('delete-user-policy', '--user-name', 'onprem-1', '--policy-name', 'codedeploy-agent');
    expect(await iam('list-user-policies', '--user-name', 'onprem-1')).toEqual({
      PolicyNames: [],
    });

    await iam(
      'update-access-key',
      '--user-name',
      'onprem-1',
      '--access-key-id',
      key.AccessKeyId,
      '--status',
      'Inactive',
    );
    const refused = await awsAs(key, 'sts', 'get-caller-identity');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('(UnrecognizedClientException)');
    expect(await iam('list-access-keys', '--user-name', 'onprem-1')).toEqual({
      AccessKeyMetadata: [{ ...withoutSecret, Status: 'Inactive' }],
    });

    await iam('delete-access-key', '--user-name', 'onprem-1', '--access-key-id', key.AccessKeyId);
    await iam('delete-user', '--user-name', 'onprem-1');
    expect(await errorCode('get-user', '--user-name', 'onprem-1')).toBe('NoSuchEntity');
  });

  it('a user name taken already is EntityAlreadyExists', async () => {
    await iam('create-user', '--user-name', 'twice');
    expect(await errorCode('create-user', '--user-name', 'twice')).toBe('EntityAlreadyExists');
    await iam('delete-user', '--user-name', 'twice');
  });

  it('a missing user is NoSuchEntity', async () => {
    expect(await errorCode('get-user', '--user-name', 'nobody')).toBe('NoSuchEntity');
    expect(await errorCode('create-access-key', '--user-name', 'nobody')).toBe('NoSuchEntity');
  });

  it('a third access key is LimitExceeded', async () => {
    await iam('create-user', '--user-name', 'three-keys');
    const keys: AccessKey[] = [];
    for (let i = 0; i < 2; i++) {
      keys.push(
        (await iam<{ AccessKey: AccessKey }>('create-access-key', '--user-name', 'three-keys'))
          .AccessKey,
      );
    }
    expect(await errorCode('create-access-key', '--user-name', 'three-keys')).toBe('LimitExceeded');
    expect(await errorCode('delete-user', '--user-name', 'three-keys')).toBe('DeleteConflict');
    for (const key of keys) {
      await iam(
        'delete-access-key',
        '--user-name',
        'three-keys',
        '--access-key-id',
        key.AccessKeyId,
      );
    }
    await iam('delete-user', '--user-name', 'three-keys');
  });

  it('a policy that is not JSON is MalformedPolicyDocument', async () => {
    await iam('create-user', '--user-name', 'malformed');
    expect(
      await errorCode(
        'put-user-policy',
        '--user-name',
        'malformed',
        '--policy-name',
        'p',
        '--policy-document',
        '{"Statement": [',
      ),
    ).toBe('MalformedPolicyDocument');
    await iam('delete-user', '--user-name', 'malformed');
  });
});

describe('boto3 iam user errors', () => {
  it('raises each error with its class and status', async () => {
    const script = `
import json, boto3
from botocore.exceptions import ClientError
iam = boto3.client('iam', endpoint_url='${server.url}', region_name='us-east-1',
    aws_access_key_id='${server.accessKeyId}', aws_secret_access_key='${server.secretAccessKey}')
def attempt(call):
    try:
        call()
        return 'ok'
    except ClientError as e:
        return [e.response['Error']['Code'], type(e).__name__,
                e.response['ResponseMetadata']['HTTPStatusCode']]
iam.create_user(UserName='boto')
results = {
    'duplicate': attempt(lambda: iam.create_user(UserName='boto')),
    'missing': attempt(lambda: iam.get_user(UserName='nobody')),
    'malformed': attempt(lambda: iam.put_user_policy(UserName='boto', PolicyName='p',
        PolicyDocument='not json')),
}
iam.create_access_key(UserName='boto')
key = iam.create_access_key(UserName='boto')['AccessKey']['AccessKeyId']
results['third key'] = attempt(lambda: iam.create_access_key(UserName='boto'))
results['delete conflict'] = attempt(lambda: iam.delete_user(UserName='boto'))
results['missing key'] = attempt(lambda: iam.delete_access_key(UserName='admin', AccessKeyId=key))
for k in iam.list_access_keys(UserName='boto')['AccessKeyMetadata']:
    iam.delete_access_key(UserName='boto', AccessKeyId=k['AccessKeyId'])
results['deleted'] = attempt(lambda: iam.delete_user(UserName='boto'))
print(json.dumps(results))
`;
    const result = await python(script, {});
    if (result.code !== 0) throw new Error(result.stderr);
    expect(JSON.parse(result.stdout)).toEqual({
      duplicate: ['EntityAlreadyExists', 'EntityAlreadyExistsException', 409],
      missing: ['NoSuchEntity', 'NoSuchEntityException', 404],
      malformed: ['MalformedPolicyDocument', 'MalformedPolicyDocumentException', 400],
      'third key': ['LimitExceeded', 'LimitExceededException', 409],
      'delete conflict': ['DeleteConflict', 'DeleteConflictException', 409],
      'missing key': ['NoSuchEntity', 'NoSuchEntityException', 404],
      deleted: 'ok',
    });
  });
});
