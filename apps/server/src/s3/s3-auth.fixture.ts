import { SignatureV4 } from '@smithy/signature-v4';
import type { Principal, SigningIdentity } from '@slipway/core';
import { NodeSha256 } from '../../../../test/support/sign.ts';
import { parseQuery } from '../aws-api/sigv4/canonical.ts';
import { S3Authenticator, type S3AuthRequest } from './s3-auth.ts';
import { S3Error } from './s3-errors.ts';

/** Shared by the S3 authentication tests. */
export const credentials = {
  accessKeyId: 'AKIAEXAMPLE000000001',
  secretAccessKey: 'secret/+example',
};

export function principalFor(accessKeyId: string): Principal {
  return {
    accountId: '123456789012',
    userId: 'AIDAEXAMPLE',
    userName: 'admin',
    arn: 'arn:aws:iam::123456789012:user/admin',
    accessKeyId,
  };
}

/** An authenticator that knows `keys` (access key id → secret), on a clock at `now`. */
export function authenticator(
  now: number,
  keys: Record<string, string> = { [credentials.accessKeyId]: credentials.secretAccessKey },
): S3Authenticator {
  const findSigningIdentity = (accessKeyId: string): Promise<SigningIdentity | undefined> => {
    const secretAccessKey = keys[accessKeyId];
    if (secretAccessKey === undefined) return Promise.resolve(undefined);
    const key = {
      accessKeyId,
      userId: 'AIDAEXAMPLE',
      status: 'Active' as const,
      sealedSecret: '',
      createdAt: 0,
    };
    return Promise.resolve({
      record: { key, principal: principalFor(accessKeyId) },
      secretAccessKey,
    });
  };
  return new S3Authenticator({ identity: { findSigningIdentity }, clock: { now: () => now } });
}

/** The S3 error `work` rejects with, as `Code: Message`, or 'no error'. */
export async function s3Error(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (error instanceof S3Error) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'no error';
}

/** The request a server sees for `url` (raw path and query as sent) with these headers. */
export function requestForUrl(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  hostBucket?: string,
): S3AuthRequest {
  const match = /^https?:\/\/([^/]+)(\/[^?]*)(?:\?(.*))?$/.exec(url);
  if (match === null) throw new Error(`not a URL: ${url}`);
  const [, host = '', rawPath = '/', rawQuery = ''] = match;
  const all: Record<string, string> = { Host: host, ...headers };
  return {
    method,
    rawPath,
    rawQuery,
    query: parseQuery(rawQuery),
    headers: Object.fromEntries(Object.entries(all).map(([k, v]) => [k.toLowerCase(), v])),
    rawHeaders: Object.entries(all).flat(),
    hostBucket,
  };
}

// Requests signed by the AWS SDK for JavaScript's signer (@smithy/signature-v4).

/** When the JS-signed test requests were signed. */
export const signedAt = Date.UTC(2026, 10, 22, 12, 0, 0);

export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export interface TestRequest {
  readonly method?: string;
  /** On-the-wire path, encoded as the JS SDK encodes keys. */
  readonly path?: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly host?: string;
}

function httpRequest(input: TestRequest) {
  const host = input.host ?? '127.0.0.1:4750';
  return {
    method: input.method ?? 'GET',
    protocol: 'http:',
    hostname: host.split(':')[0] as string,
    port: 4750,
    path: input.path ?? '/b/k',
    query: input.query ?? {},
    headers: { host, ...input.headers },
    body: input.body,
  };
}

function signer(secret = credentials.secretAccessKey, service = 's3') {
  return new SignatureV4({
    credentials: { ...credentials, secretAccessKey: secret },
    region: 'eu-west-1',
    service,
    sha256: NodeSha256,
    uriEscapePath: false,
  });
}

/** What the server sees: raw path and query as on the wire, Node-style headers. */
function onTheWire(signed: {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}): S3AuthRequest {
  const rawQuery = Object.entries(signed.query)
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .join('&');
  return {
    method: signed.method,
    rawPath: signed.path,
    rawQuery,
    query: parseQuery(rawQuery),
    headers: Object.fromEntries(
      Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]),
    ),
    rawHeaders: Object.entries(signed.headers).flat(),
  };
}

export async function signHeader(input: TestRequest, secret?: string, service?: string) {
  const signed = await signer(secret, service).sign(httpRequest(input), {
    signingDate: new Date(signedAt),
  });
  return onTheWire(signed as never);
}

export async function presign(input: TestRequest, expiresIn = 300) {
  const request = httpRequest({
    ...input,
    headers: { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD', ...input.headers },
  });
  const signed = await signer().presign(request, { signingDate: new Date(signedAt), expiresIn });
  return onTheWire(signed as never);
}

/** Signed without `x-amz-content-sha256`, as a non-S3 client would. */
export async function signHeaderNoHash() {
  const signed = await new SignatureV4({
    credentials,
    region: 'eu-west-1',
    service: 's3',
    sha256: NodeSha256,
    uriEscapePath: false,
    applyChecksum: false,
  }).sign(httpRequest({}), { signingDate: new Date(signedAt) });
  return onTheWire(signed as never);
}

export function withoutHeader(request: S3AuthRequest, name: string): S3AuthRequest {
  const rawHeaders: string[] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    if ((request.rawHeaders[i] as string).toLowerCase() !== name) {
      rawHeaders.push(request.rawHeaders[i] as string, request.rawHeaders[i + 1] as string);
    }
  }
  const headers = { ...request.headers };
  delete headers[name];
  return { ...request, headers, rawHeaders };
}

export function withHeader(request: S3AuthRequest, name: string, value: string): S3AuthRequest {
  const without = withoutHeader(request, name);
  return {
    ...without,
    headers: { ...without.headers, [name]: value },
    rawHeaders: [...without.rawHeaders, name, value],
  };
}
