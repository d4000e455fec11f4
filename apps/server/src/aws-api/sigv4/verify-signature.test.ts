import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { awsErrorCode } from '../../../../../test/support/aws-error-code.ts';
import { NodeSha256 } from '../../../../../test/support/sign.ts';
import { parseQuery } from './canonical.ts';
import { parseSignatureClaim } from './parse-auth.ts';
import { SigningKeyCache, verifySignature } from './verify-signature.ts';

// The reference signer is the one the AWS SDK for JavaScript uses; our verifier must agree with it.
const credentials = { accessKeyId: 'AKIAEXAMPLE000000001', secretAccessKey: 'secret/+example' };
const signedAt = Date.UTC(2026, 10, 22, 12, 0, 0);

interface TestRequest {
  readonly method?: string;
  readonly path?: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function signer(service: string, region = 'us-east-1', secret = credentials.secretAccessKey) {
  return new SignatureV4({
    credentials: { ...credentials, secretAccessKey: secret },
    region,
    service,
    sha256: NodeSha256,
    uriEscapePath: service !== 's3',
  });
}

function httpRequest(input: TestRequest) {
  return {
    method: input.method ?? 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4750,
    path: input.path ?? '/',
    query: input.query ?? {},
    headers: { host: '127.0.0.1:4750', ...input.headers },
    body: input.body,
  };
}

/** What the server sees: raw path and query as on the wire, Node-style raw headers. */
function onTheWire(signed: {
  method: string;
  path: string;
  query: Record<string, string | string[] | null>;
  headers: Record<string, string>;
}) {
  const rawQuery = Object.entries(signed.query)
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(String(v))}`)
    .join('&');
  const headers = Object.fromEntries(
    Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]),
  );
  return {
    method: signed.method,
    rawPath: signed.path,
    query: parseQuery(rawQuery),
    rawHeaders: Object.entries(signed.headers).flat(),
    headers,
  };
}

async function signHeader(input: TestRequest, service = 'codepipeline', region?: string) {
  const signed = await signer(service, region).sign(httpRequest(input), {
    signingDate: new Date(signedAt),
  });
  return onTheWire(signed as never);
}

function verify(
  wire: ReturnType<typeof onTheWire>,
  options: { now?: number; secret?: string; payloadHash?: string } = {},
) {
  const claim = parseSignatureClaim({ headers: wire.headers, query: wire.query });
  if (claim === undefined) throw new Error('no claim');
  const body = '';
  verifySignature({
    claim,
    request: wire,
    payloadHash:
      options.payloadHash ??
      wire.headers['x-amz-content-sha256'] ??
      createHash('sha256').update(body).digest('hex'),
    secretAccessKey: options.secret ?? credentials.secretAccessKey,
    now: options.now ?? signedAt,
    signingKeys: new SigningKeyCache(),
  });
}

const jsonBody = '{"name":"x"}';
const jsonRequest: TestRequest = {
  headers: {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'CodePipeline_20150709.GetPipeline',
  },
  body: jsonBody,
};

describe('verifySignature (against the AWS SDK signer)', () => {
  it('accepts a header-signed JSON request when given the body hash', async () => {
    const wire = await signHeader(jsonRequest);
    const bodyHash = createHash('sha256').update(jsonBody).digest('hex');
    expect(() => verify(wire, { payloadHash: bodyHash })).not.toThrow();
  });

  it('refuses the same request with another body', async () => {
    const wire = await signHeader(jsonRequest);
    const otherHash = createHash('sha256').update('{"name":"y"}').digest('hex');
    expect(awsErrorCode(() => verify(wire, { payloadHash: otherHash }))).toBe(
      'InvalidSignatureException',
    );
  });

  it('refuses a wrong secret', async () => {
    const wire = await signHeader({ headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    expect(awsErrorCode(() => verify(wire, { secret: 'not-the-secret' }))).toBe(
      'InvalidSignatureException',
    );
  });

  it('uses the region from the scope, whatever it is', async () => {
    const wire = await signHeader(
      { headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
      'sts',
      'ap-southeast-7',
    );
    expect(() => verify(wire)).not.toThrow();
  });

  it('refuses a change to a signed header', async () => {
    const wire = await signHeader({
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'x-amz-target': 'A.B' },
    });
    const tampered = {
      ...wire,
      rawHeaders: wire.rawHeaders.map((v) => (v === 'A.B' ? 'A.C' : v)),
    };
    expect(awsErrorCode(() => verify(tampered))).toBe('InvalidSignatureException');
  });

  it('ignores headers that were not signed', async () => {
    const wire = await signHeader({ headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    const extra = { ...wire, rawHeaders: [...wire.rawHeaders, 'X-Forwarded-For', '10.0.0.1'] };
    expect(() => verify(extra)).not.toThrow();
  });

  it('double-encodes paths for non-S3 services', async () => {
    const path = '/a%20b/c%2Fd/%E2%82%AC/./x/../y';
    const wire = await signHeader(
      { path, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
      'codecommit',
    );
    expect(() => verify(wire)).not.toThrow();
  });

  it('signs S3 paths as sent', async () => {
    const path = '/bucket/key%20with%20spaces/..%2Fz';
    const wire = await signHeader(
      { method: 'GET', path, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
      's3',
    );
    expect(() => verify(wire)).not.toThrow();
  });

  it('sorts and encodes query parameters', async () => {
    const wire = await signHeader({
      method: 'GET',
      query: { b: '2', a: 'x y+z/é', 'list-type': '2', empty: '' },
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    expect(() => verify(wire)).not.toThrow();
  });

  it('accepts up to 15 minutes of clock skew either way', async () => {
    const wire = await signHeader({ headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    expect(() => verify(wire, { now: signedAt + 14 * 60_000 })).not.toThrow();
    expect(() => verify(wire, { now: signedAt - 14 * 60_000 })).not.toThrow();
  });

  it('refuses a signature older than 15 minutes as expired', async () => {
    const wire = await signHeader({ headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    expect(() => verify(wire, { now: signedAt + 16 * 60_000 })).toThrow(/Signature expired/);
  });

  it('refuses a signature from more than 15 minutes ahead', async () => {
    const wire = await signHeader({ headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    expect(() => verify(wire, { now: signedAt - 16 * 60_000 })).toThrow(/not yet current/);
  });

  it('joins repeated headers with commas', async () => {
    const wire = await signHeader({
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'x-multi': 'a,b' },
    });
    const split = {
      ...wire,
      rawHeaders: [
        ...wire.rawHeaders.filter((_, i, all) => all[i - (i % 2)] !== 'x-multi'),
        'x-multi',
        'a',
        'x-multi',
        'b',
      ],
    };
    expect(() => verify(split)).not.toThrow();
  });
});

describe('verifySignature with presigned URLs', () => {
  async function presign(expiresIn: number, service = 'sts') {
    const signed = await signer(service).presign(
      httpRequest({ method: 'GET', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' } }),
      { signingDate: new Date(signedAt), expiresIn },
    );
    return onTheWire(signed as never);
  }

  it('accepts a presigned URL within its lifetime', async () => {
    const wire = await presign(300);
    expect(() => verify(wire, { now: signedAt + 299_000 })).not.toThrow();
  });

  it('refuses a presigned URL after it expires', async () => {
    const wire = await presign(300);
    expect(() => verify(wire, { now: signedAt + 301_000 })).toThrow(/Signature expired/);
  });

  it('refuses a presigned URL whose query was changed', async () => {
    const wire = await presign(300);
    const tampered = {
      ...wire,
      query: wire.query.map(([k, v]): [string, string] => (k === 'Action' ? [k, 'Other'] : [k, v])),
    };
    expect(awsErrorCode(() => verify(tampered))).toBe('InvalidSignatureException');
  });
});

describe('parseSignatureClaim', () => {
  const base = {
    'x-amz-date': '20261122T120000Z',
  };
  const claim = (authorization: string, headers: Record<string, string> = base) =>
    awsErrorCode(() => parseSignatureClaim({ headers: { ...headers, authorization }, query: [] }));

  it('returns nothing for a request without credentials', () => {
    expect(parseSignatureClaim({ headers: {}, query: [] })).toBeUndefined();
  });

  it.each([
    ['no parts', 'AWS4-HMAC-SHA256'],
    [
      'no signature',
      'AWS4-HMAC-SHA256 Credential=AKIA/20261122/us-east-1/sts/aws4_request, SignedHeaders=host',
    ],
    [
      'short scope',
      'AWS4-HMAC-SHA256 Credential=AKIA/20261122/sts, SignedHeaders=host, Signature=ab',
    ],
    [
      'bad terminator',
      'AWS4-HMAC-SHA256 Credential=AKIA/20261122/us-east-1/sts/aws5_request, SignedHeaders=host, Signature=ab',
    ],
    [
      'host not signed',
      'AWS4-HMAC-SHA256 Credential=AKIA/20261122/us-east-1/sts/aws4_request, SignedHeaders=x-amz-date, Signature=ab',
    ],
    [
      'another algorithm',
      'AWS4-ECDSA-P256-SHA256 Credential=AKIA/20261122/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=ab',
    ],
    ['garbage', '\u0000\u0001 ==,,,'],
  ])('refuses %s as an incomplete signature', (_name, authorization) => {
    expect(claim(authorization)).toBe('IncompleteSignatureException');
  });

  it('refuses a header signature without a date', () => {
    expect(
      claim(
        'AWS4-HMAC-SHA256 Credential=AKIA/20261122/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=ab',
        {},
      ),
    ).toBe('IncompleteSignatureException');
  });

  it('takes the signing time from an HTTP Date header when there is no X-Amz-Date', () => {
    const parsed = parseSignatureClaim({
      headers: {
        date: 'Sun, 22 Nov 2026 12:00:00 GMT',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIA/20261122/us-east-1/sts/aws4_request, SignedHeaders=host;date, Signature=ab',
      },
      query: [],
    });
    expect(parsed?.timestamp).toBe('20261122T120000Z');
  });

  it('refuses a presigned URL that lasts more than seven days', () => {
    const query: [string, string][] = [
      ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
      ['X-Amz-Credential', 'AKIA/20261122/us-east-1/s3/aws4_request'],
      ['X-Amz-Date', '20261122T120000Z'],
      ['X-Amz-Expires', '604801'],
      ['X-Amz-SignedHeaders', 'host'],
      ['X-Amz-Signature', 'ab'],
    ];
    expect(awsErrorCode(() => parseSignatureClaim({ headers: {}, query }))).toBe(
      'IncompleteSignatureException',
    );
  });
});
