import { beforeAll, describe, expect, it } from 'vitest';
import { python } from '../../../../test/support/aws-cli.ts';
import {
  authenticator,
  credentials,
  requestForUrl,
  s3Error,
  principalFor,
} from './s3-auth.fixture.ts';

// URLs and headers signed by boto3/botocore itself (python3 -c), as users' scripts produce them.
// boto3 presigns S3 URLs for us-east-1 with SigV2 (AWSAccessKeyId/Signature/Expires) unless
// told `signature_version='s3v4'`; botocore's HmacV1Auth is its SigV2 header signer.
const key = 'a b/c+d%2F~é/../x!*()';
const script = `
import json, boto3
from botocore.config import Config
from botocore.awsrequest import AWSRequest
from botocore.auth import HmacV1Auth
from botocore.credentials import Credentials
ak, sk = ${JSON.stringify(credentials.accessKeyId)}, ${JSON.stringify(credentials.secretAccessKey)}
key = ${JSON.stringify(key)}
def client(endpoint, **config):
    return boto3.client('s3', region_name='us-east-1', endpoint_url=endpoint,
        aws_access_key_id=ak, aws_secret_access_key=sk, config=Config(**config))
path = client('http://127.0.0.1:4750')
v2 = client('http://127.0.0.1:4750', signature_version='s3')
v4 = client('http://127.0.0.1:4750', signature_version='s3v4')
virtual = client('http://s3.localhost:4750', s3={'addressing_style': 'virtual'})
out = {
  'default': path.generate_presigned_url('get_object', Params={'Bucket': 'b', 'Key': key}, ExpiresIn=300),
  'forced_v2': v2.generate_presigned_url('get_object', Params={'Bucket': 'b', 'Key': key}, ExpiresIn=300),
  'v4': v4.generate_presigned_url('get_object', Params={'Bucket': 'b', 'Key': key}, ExpiresIn=300),
  'part': path.generate_presigned_url('upload_part', Params={'Bucket': 'b', 'Key': 'k', 'UploadId': 'u/1+x=', 'PartNumber': 2}, ExpiresIn=300),
  'create': path.generate_presigned_url('create_multipart_upload', Params={'Bucket': 'b', 'Key': 'k'}, ExpiresIn=300),
  'put_typed': path.generate_presigned_url('put_object', Params={'Bucket': 'b', 'Key': 'k', 'ContentType': 'text/plain'}, ExpiresIn=300),
  'disposition': path.generate_presigned_url('get_object', Params={'Bucket': 'b', 'Key': 'k', 'ResponseContentDisposition': 'attachment; filename="a b.txt"'}, ExpiresIn=300),
  'virtual_get': virtual.generate_presigned_url('get_object', Params={'Bucket': 'bkt', 'Key': 'dir/k'}, ExpiresIn=300),
  'virtual_list': virtual.generate_presigned_url('list_objects', Params={'Bucket': 'bkt'}, ExpiresIn=300),
}
request = AWSRequest(method='PUT', url='http://127.0.0.1:4750/b/a%20b?partNumber=1&uploadId=u',
    headers={'Content-Type': 'text/plain', 'Content-MD5': 'XUFAKrxLKna5cZ2REBfFkg==',
             'x-amz-meta-tag': '  v  ', 'X-Amz-Storage-Class': 'STANDARD'}, data=b'hello')
HmacV1Auth(Credentials(ak, sk)).add_auth(request)
out['header'] = {'url': request.url, 'headers': dict(request.headers.items())}
print(json.dumps(out))
`;

interface Signed {
  readonly default: string;
  readonly forced_v2: string;
  readonly v4: string;
  readonly part: string;
  readonly create: string;
  readonly put_typed: string;
  readonly disposition: string;
  readonly virtual_get: string;
  readonly virtual_list: string;
  readonly header: { url: string; headers: Record<string, string> };
}

let signed: Signed;
let generatedAt: number;

beforeAll(async () => {
  generatedAt = Date.now();
  const result = await python(script, {});
  if (result.code !== 0) throw new Error(`boto3 failed: ${result.stderr}`);
  signed = JSON.parse(result.stdout) as Signed;
});

const now = () => generatedAt + 1000;

describe('S3Authenticator: boto3 presigned URLs', () => {
  it('are SigV2 by default for us-east-1, and we accept them', async () => {
    expect(signed.default).toMatch(
      /[?&]AWSAccessKeyId=AKIAEXAMPLE000000001&Signature=[^&]+&Expires=\d+$/,
    );
    expect(signed.default).toContain('/b/a%20b/c%2Bd%252F~%C3%A9/../x%21%2A%28%29?');
    const result = await authenticator(now()).authenticate(requestForUrl('GET', signed.default));
    expect(result).toEqual({
      principal: principalFor(credentials.accessKeyId),
      signatureVersion: 2,
      location: 'query',
      region: undefined,
      payload: { kind: 'unsigned' },
    });
    const forced = requestForUrl('GET', signed.forced_v2);
    expect((await authenticator(now()).authenticate(forced)).signatureVersion).toBe(2);
  });

  it('are SigV4 with signature_version s3v4, and we accept them', async () => {
    expect(signed.v4).toContain('X-Amz-Algorithm=AWS4-HMAC-SHA256');
    const result = await authenticator(now()).authenticate(requestForUrl('GET', signed.v4));
    expect(result).toMatchObject({ signatureVersion: 4, location: 'query', region: 'us-east-1' });
    expect(result.payload).toEqual({ kind: 'unsigned' });
  });

  it('sign sub-resources, response overrides and hoisted headers, which we check', async () => {
    const auth = (method: string, url: string, headers?: Record<string, string>) =>
      s3Error(authenticator(now()).authenticate(requestForUrl(method, url, headers)));
    expect(await auth('PUT', signed.part)).toBe('no error');
    expect(await auth('POST', signed.create)).toBe('no error');
    expect(await auth('GET', signed.disposition)).toBe('no error');
    // botocore moves Content-Type into the query; the request may or may not repeat it.
    expect(signed.put_typed).toContain('content-type=text%2Fplain');
    expect(await auth('PUT', signed.put_typed)).toBe('no error');
    expect(await auth('PUT', signed.put_typed, { 'Content-Type': 'text/plain' })).toBe('no error');
    expect(await auth('PUT', signed.part.replace('partNumber=2', 'partNumber=3'))).toMatch(
      /^SignatureDoesNotMatch/,
    );
  });

  it('in virtual-hosted style sign /<bucket> in front of the path', async () => {
    // (botocore addresses buckets of three characters or more virtually)
    expect(signed.virtual_get).toMatch(/^http:\/\/bkt\.s3\.localhost:4750\/dir\/k\?/);
    expect(signed.virtual_list).toMatch(/^http:\/\/bkt\.s3\.localhost:4750\/\?/);
    const auth = (url: string, hostBucket?: string) =>
      s3Error(authenticator(now()).authenticate(requestForUrl('GET', url, {}, hostBucket)));
    expect(await auth(signed.virtual_get, 'bkt')).toBe('no error');
    expect(await auth(signed.virtual_list, 'bkt')).toBe('no error');
    expect(await auth(signed.virtual_get)).toMatch(/^SignatureDoesNotMatch/);
  });

  it('are refused when expired, tampered with, or signed with another secret', async () => {
    const expires = Number(/Expires=(\d+)/.exec(signed.default)?.[1]) * 1000;
    const request = requestForUrl('GET', signed.default);
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      ['last second', () => authenticator(expires).authenticate(request), /^no error$/],
      ['expired', () => authenticator(expires + 1000).authenticate(request), /^AccessDenied: Request has expired$/],
      ['other key', () => authenticator(now()).authenticate({ ...request, rawPath: '/b/other' }), /^SignatureDoesNotMatch/],
      ['other secret', () => authenticator(now(), { [credentials.accessKeyId]: 'nope' }).authenticate(request), /^SignatureDoesNotMatch/],
      ['unknown key', () => authenticator(now(), {}).authenticate(request), /^InvalidAccessKeyId/],
      ['v4 expired', () => authenticator(now() + 301_000).authenticate(requestForUrl('GET', signed.v4)), /^AccessDenied: Request has expired$/],
      ['v4 tampered', () => authenticator(now()).authenticate({ ...requestForUrl('GET', signed.v4), rawPath: '/b/x' }), /^SignatureDoesNotMatch/],
    ]; // prettier-ignore
    for (const [name, work, expected] of cases) {
      expect(`${name}: ${await s3Error(work())}`).toMatch(
        new RegExp(`^${name}: ${expected.source.slice(1)}`),
      );
    }
  });

  it('requires all three query parameters', async () => {
    const request = requestForUrl('GET', signed.default.replace(/&Expires=\d+/, ''));
    expect(await s3Error(authenticator(now()).authenticate(request))).toBe(
      'AccessDenied: Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters',
    );
  });
});

describe('S3Authenticator: SigV2 Authorization header (botocore HmacV1Auth)', () => {
  it('accepts it with Content-MD5, Content-Type, x-amz-* headers and sub-resources', async () => {
    const { url, headers } = signed.header;
    expect(headers.Authorization).toMatch(/^AWS AKIAEXAMPLE000000001:/);
    const date = Date.parse(headers.Date as string);
    const result = await authenticator(date).authenticate(requestForUrl('PUT', url, headers));
    expect(result).toMatchObject({ signatureVersion: 2, location: 'header' });
  });

  it('refuses it skewed, tampered with, or malformed', async () => {
    const { url, headers } = signed.header;
    const date = Date.parse(headers.Date as string);
    const auth = (at: number, request = requestForUrl('PUT', url, headers)) =>
      s3Error(authenticator(at).authenticate(request));
    expect(await auth(date + 16 * 60_000)).toMatch(/^RequestTimeTooSkewed/);
    const otherMeta = { ...headers, 'x-amz-meta-tag': 'w' };
    expect(await auth(date, requestForUrl('PUT', url, otherMeta))).toMatch(
      /^SignatureDoesNotMatch/,
    );
    const otherType = { ...headers, 'Content-Type': 'text/html' };
    expect(await auth(date, requestForUrl('PUT', url, otherType))).toMatch(
      /^SignatureDoesNotMatch/,
    );
    const garbled = { ...headers, Authorization: 'AWS AKIAEXAMPLE000000001' };
    expect(await auth(date, requestForUrl('PUT', url, garbled))).toMatch(
      /^InvalidArgument: AWS authorization header is invalid/,
    );
  });
});
