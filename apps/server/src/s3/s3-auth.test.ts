import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  chunkSignature,
  declaredPayloadSha256,
  type S3Authentication,
  type S3AuthRequest,
} from './s3-auth.ts';
import {
  authenticator,
  credentials,
  presign,
  rfc3986,
  s3Error,
  signedAt,
  signHeader,
  signHeaderNoHash,
  withHeader,
  withoutHeader,
} from './s3-auth.fixture.ts';
import { S3Error } from './s3-errors.ts';

// Signatures from the AWS SDK for JavaScript's signer; boto3's are in s3-auth-boto3.test.ts.
const auth = (request: S3AuthRequest, now = signedAt): Promise<S3Authentication> =>
  authenticator(now).authenticate(request);

describe('S3Authenticator: SigV4 in the Authorization header', () => {
  it('accepts a signed PUT and returns the declared body hash to check', async () => {
    const request = await signHeader({
      method: 'PUT',
      body: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    const result = await auth(request);
    expect(result).toMatchObject({ signatureVersion: 4, location: 'header', region: 'eu-west-1' });
    expect(result.principal.accessKeyId).toBe(credentials.accessKeyId);
    expect(declaredPayloadSha256(result.payload)).toBe(
      '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    );
  });

  it('verifies keys with escapes exactly as sent, never normalized or re-encoded', async () => {
    const path = `/b/${['a b', 'c+d%2F~é', '..', '', 'x!*()'].map(rfc3986).join('/')}`;
    const request = await signHeader({ path, query: { 'x-id': 'GetObject' } });
    expect((await auth(request)).payload).toMatchObject({ kind: 'hash' });
    const tampered = { ...request, rawPath: path.replace('%20', '+') };
    expect(await s3Error(auth(tampered))).toMatch(/^SignatureDoesNotMatch/);
  });

  it('accepts virtual-hosted requests and sub-resources', async () => {
    const request = await signHeader({
      method: 'POST',
      host: 'b.s3.localhost:4750',
      path: '/k',
      query: { uploads: '' },
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    expect((await auth({ ...request, hostBucket: 'b' })).payload).toEqual({ kind: 'unsigned' });
  });

  it('describes streaming uploads as the JS SDK sends them', async () => {
    const request = await signHeader({
      method: 'PUT',
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-decoded-content-length': '5',
        'x-amz-trailer': 'x-amz-checksum-crc32',
      },
    });
    const result = await auth(request);
    expect(result.payload).toEqual({
      kind: 'streaming',
      signed: false,
      trailer: true,
      decodedLength: 5,
    });
    expect(declaredPayloadSha256(result.payload)).toBeUndefined();
  });

  it('returns what signed chunks chain from', async () => {
    const request = await signHeader({
      method: 'PUT',
      headers: {
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
        'x-amz-decoded-content-length': '0',
      },
    });
    const { payload } = await auth(request);
    expect(payload).toMatchObject({
      kind: 'streaming',
      signed: true,
      trailer: true,
      decodedLength: 0,
    });
    const authorization = request.headers.authorization as string;
    expect(payload.kind === 'streaming' && payload.chunkSigning).toMatchObject({
      seedSignature: /Signature=([0-9a-f]{64})/.exec(authorization)?.[1],
      timestamp: '20261122T120000Z',
      scope: '20261122/eu-west-1/s3/aws4_request',
    });
  });

  it('matches the AWS documentation example of a chunked upload', async () => {
    // docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
    const headers = {
      Host: 's3.amazonaws.com',
      'x-amz-date': '20130524T000000Z',
      'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      Authorization:
        'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,' +
        'SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;' +
        'x-amz-decoded-content-length;x-amz-storage-class,' +
        'Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'Content-Encoding': 'aws-chunked',
      'x-amz-decoded-content-length': '66560',
      'Content-Length': '66824',
    };
    const request: S3AuthRequest = {
      method: 'PUT',
      rawPath: '/examplebucket/chunkObject.txt',
      rawQuery: '',
      query: [],
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
      rawHeaders: Object.entries(headers).flat(),
    };
    const result = await authenticator(Date.UTC(2013, 4, 24), {
      AKIAIOSFODNN7EXAMPLE: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    }).authenticate(request);
    if (result.payload.kind !== 'streaming' || result.payload.chunkSigning === undefined) {
      throw new Error('expected signed streaming');
    }
    const context = result.payload.chunkSigning;
    const hashOf = (n: number) => createHash('sha256').update(Buffer.alloc(n, 'a')).digest('hex');
    const first = chunkSignature(context, context.seedSignature, hashOf(65536));
    const second = chunkSignature(context, first, hashOf(1024));
    const last = chunkSignature(context, second, hashOf(0));
    expect([first, second, last]).toEqual([
      'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
      '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
      'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
    ]);
  });

  it('refuses a wrong secret with the strings S3 shows for debugging', async () => {
    const request = await signHeader({ path: '/b/k' }, 'wrong secret');
    try {
      await auth(request);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(S3Error);
      const s3 = error as S3Error;
      expect([s3.code, s3.status]).toEqual(['SignatureDoesNotMatch', 403]);
      expect(s3.fields.AWSAccessKeyId).toBe(credentials.accessKeyId);
      expect(s3.fields.CanonicalRequest).toMatch(/^GET\n\/b\/k\n\nhost:127\.0\.0\.1:4750\n/);
      expect(s3.fields.StringToSign).toMatch(/^AWS4-HMAC-SHA256\n20261122T120000Z\n/);
    }
  });

  it('answers each kind of bad request with the S3 error for it', async () => {
    const good = await signHeader({ path: '/b/k' });
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      ['unknown key', () => authenticator(signedAt, {}).authenticate(good), /^InvalidAccessKeyId/],
      ['clock ahead', () => auth(good, signedAt - 16 * 60_000), /^RequestTimeTooSkewed/],
      ['clock behind', () => auth(good, signedAt + 16 * 60_000), /^RequestTimeTooSkewed/],
      ['within skew', () => auth(good, signedAt + 14 * 60_000), /^no error$/],
      ['tampered query', () => auth({ ...good, rawQuery: 'acl', query: [['acl', '']] }), /^SignatureDoesNotMatch/],
      ['other service', async () => auth(await signHeader({}, undefined, 'codebuild')), /^AuthorizationHeaderMalformed: .*incorrect service "codebuild"/],
      ['no content hash', async () => auth(withoutHeader(await signHeaderNoHash(), 'x-amz-content-sha256')), /^InvalidRequest: Missing required header for this request: x-amz-content-sha256/],
      ['bad content hash', async () => auth(await signHeader({ headers: { 'x-amz-content-sha256': 'abc' } })), /^InvalidArgument/],
      ['no decoded length', async () => auth(await signHeader({ headers: { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' } })), /^MissingSecurityHeader/],
      ['session token', async () => auth(await signHeader({ headers: { 'x-amz-security-token': 't' } })), /^InvalidToken/],
      ['anonymous', () => auth(withoutHeader(good, 'authorization')), /^AccessDenied: Access Denied/],
      ['no date', () => auth(withoutHeader(good, 'x-amz-date')), /^AccessDenied: AWS authentication requires a valid Date/],
      ['garbled', () => auth(withHeader(good, 'authorization', 'AWS4-HMAC-SHA256 Credential=x')), /^AuthorizationHeaderMalformed/],
      ['other scheme', () => auth(withHeader(good, 'authorization', 'Bearer x')), /^InvalidArgument: Unsupported Authorization Type/],
      ['two mechanisms', () => auth({ ...good, rawQuery: 'AWSAccessKeyId=x', query: [['AWSAccessKeyId', 'x']] }), /^InvalidArgument: Only one auth mechanism/],
    ]; // prettier-ignore
    for (const [name, work, expected] of cases) {
      expect(`${name}: ${await s3Error(work())}`).toMatch(
        new RegExp(`^${name}: ${expected.source.slice(1)}`),
      );
    }
  });
});

describe('S3Authenticator: SigV4 presigned URLs', () => {
  it('accepts a URL presigned as the JS SDK presigner does', async () => {
    const request = await presign({ path: '/b/dir/a%20b', query: { 'x-id': 'GetObject' } });
    expect(request.query.map(([k]) => k)).toContain('X-Amz-Content-Sha256');
    const result = await auth(request, signedAt + 299_000);
    expect(result).toMatchObject({
      signatureVersion: 4,
      location: 'query',
      payload: { kind: 'unsigned' },
    });
  });

  it('refuses expired, not yet valid, over-long and tampered URLs', async () => {
    const request = await presign({ path: '/b/k' });
    const longLived = await presign({ path: '/b/k' }, 604_800);
    const tooLong = {
      ...longLived,
      query: longLived.query.map(([k, v]): [string, string] => [
        k,
        k === 'X-Amz-Expires' ? '604801' : v,
      ]),
    };
    const cases: [string, () => Promise<unknown>, string][] = [
      ['expired', () => auth(request, signedAt + 301_000), 'AccessDenied: Request has expired'],
      ['future', () => auth(request, signedAt - 16 * 60_000), 'AccessDenied: Request is not valid yet'],
      ['a week', () => auth(longLived, signedAt + 604_799_000), 'no error'],
      ['too long', () => auth(tooLong), 'AuthorizationQueryParametersError: X-Amz-Expires must be between 1 and 604800 seconds.'],
      ['other key', () => auth({ ...request, rawPath: '/b/other' }), 'SignatureDoesNotMatch'],
      ['other method', () => auth({ ...request, method: 'PUT' }), 'SignatureDoesNotMatch'],
    ]; // prettier-ignore
    for (const [name, work, expected] of cases) {
      expect(`${name}: ${(await s3Error(work())).split(' Check')[0]}`).toBe(
        `${name}: ${expected}${expected === 'SignatureDoesNotMatch' ? ': The request signature we calculated does not match the signature you provided.' : ''}`,
      );
    }
  });
});
