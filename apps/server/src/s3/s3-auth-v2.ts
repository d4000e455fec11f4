import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Principal, SigningIdentity } from '@slipway/core';
import { safeDecode } from '../aws-api/sigv4/canonical.ts';
import { maxClockSkewMs } from '../aws-api/sigv4/verify-signature.ts';
import type { S3AuthRequest } from './s3-auth.ts';
import { S3Errors } from './s3-errors.ts';

/**
 * S3's legacy signature (SigV2, "RESTAuthentication"), which boto3 still uses for presigned URLs
 * in us-east-1: `Signature = base64(HMAC-SHA1(secret, StringToSign))` with
 * `StringToSign = METHOD\nContent-MD5\nContent-Type\n<Date or Expires>\n<x-amz-* lines><resource>`.
 */

export interface SigV2Context {
  readonly now: number;
  /** Resolves the access key or throws InvalidAccessKeyId. */
  readonly findIdentity: (accessKeyId: string) => Promise<SigningIdentity>;
}

/** Query parameters that are part of the signed resource (botocore's HmacV1Auth list). */
const signedSubresources: ReadonlySet<string> = new Set([
  'accelerate', 'acl', 'analytics', 'cors', 'defaultObjectAcl', 'delete', 'inventory',
  'lifecycle', 'location', 'logging', 'metrics', 'notification', 'object-lock', 'partNumber',
  'policy', 'replication', 'requestPayment', 'response-cache-control',
  'response-content-disposition', 'response-content-encoding', 'response-content-language',
  'response-content-type', 'response-expires', 'restore', 'select', 'select-type',
  'storageClass', 'tagging', 'torrent', 'uploadId', 'uploads', 'versionId', 'versioning',
  'versions', 'website',
]); // prettier-ignore

export async function verifySigV2(
  request: S3AuthRequest,
  context: SigV2Context,
): Promise<Principal> {
  const inQuery = request.query.some(([name]) => name === 'AWSAccessKeyId');
  const { accessKeyId, signature, dateLines } = inQuery
    ? queryClaim(request, context.now)
    : headerClaim(request, context.now);
  const identity = await context.findIdentity(accessKeyId);
  const fromQuery = (name: string) =>
    inQuery ? request.query.find(([key]) => key.toLowerCase() === name)?.[1] : undefined;
  const standard = (name: string) => (header(request, name) ?? fromQuery(name) ?? '').trim();
  const candidates: string[] = [];
  for (const dateLine of dateLines) {
    for (const path of resourcePaths(request)) {
      candidates.push(
        [
          request.method.toUpperCase(),
          standard('content-md5'),
          standard('content-type'),
          dateLine,
          `${amzHeaderLines(request, inQuery)}${resource(request, path)}`,
        ].join('\n'),
      );
    }
  }
  const matches = candidates.some((stringToSign) =>
    sameText(
      signature,
      createHmac('sha1', identity.secretAccessKey).update(stringToSign).digest('base64'),
    ),
  );
  if (!matches) {
    throw S3Errors.signatureDoesNotMatch({
      AWSAccessKeyId: accessKeyId,
      StringToSign: candidates[0],
      SignatureProvided: signature,
    });
  }
  return identity.record.principal;
}

interface V2Claim {
  readonly accessKeyId: string;
  readonly signature: string;
  /** What the date line of the string to sign may be (clients differ when x-amz-date is set). */
  readonly dateLines: readonly string[];
}

function headerClaim(request: S3AuthRequest, now: number): V2Claim {
  const authorization = (header(request, 'authorization') ?? '').trim();
  const credentials = authorization.slice('AWS '.length).trim();
  const colon = credentials.indexOf(':');
  if (colon <= 0 || colon === credentials.length - 1) {
    throw S3Errors.invalidArgument(
      'AWS authorization header is invalid.  Expected AwsAccessKeyId:signature',
      'Authorization',
      authorization,
    );
  }
  const amzDate = header(request, 'x-amz-date')?.trim();
  const date = header(request, 'date')?.trim();
  const signedAt = Date.parse(amzDate ?? date ?? '');
  if (Number.isNaN(signedAt)) {
    throw S3Errors.accessDenied('AWS authentication requires a valid Date or x-amz-date header');
  }
  if (Math.abs(now - signedAt) > maxClockSkewMs) {
    throw S3Errors.requestTimeTooSkewed(
      (amzDate ?? date) as string,
      isoSeconds(now),
      maxClockSkewMs,
    );
  }
  // With x-amz-date, the Date line is empty per the S3 docs; some clients sign the Date anyway.
  const dateLines =
    amzDate === undefined ? [date ?? ''] : ['', ...(date === undefined ? [] : [date])];
  return {
    accessKeyId: credentials.slice(0, colon),
    signature: credentials.slice(colon + 1),
    dateLines,
  };
}

function queryClaim(request: S3AuthRequest, now: number): V2Claim {
  const param = (name: string) => request.query.find(([key]) => key === name)?.[1];
  const accessKeyId = param('AWSAccessKeyId');
  const signature = param('Signature');
  const expires = param('Expires');
  if (!accessKeyId || !signature || !expires) {
    throw S3Errors.accessDenied(
      'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters',
    );
  }
  if (!/^\d{1,12}$/.test(expires)) {
    throw S3Errors.accessDenied(`Invalid date (should be seconds since epoch): ${expires}`);
  }
  const expiresAt = Number(expires) * 1000;
  if (now > expiresAt) {
    throw S3Errors.accessDenied('Request has expired', {
      Expires: isoSeconds(expiresAt),
      ServerTime: isoSeconds(now),
    });
  }
  return { accessKeyId, signature, dateLines: [expires] };
}

/**
 * `x-amz-*` headers, lower-case, values trimmed, repeats joined with commas, sorted, one
 * `name:value\n` line each. Presigned URLs carry theirs as query parameters (botocore hoists
 * them there), so those count too.
 */
function amzHeaderLines(request: S3AuthRequest, inQuery: boolean): string {
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = (request.rawHeaders[i] as string).toLowerCase();
    if (!name.startsWith('x-amz-')) continue;
    values.set(name, [...(values.get(name) ?? []), (request.rawHeaders[i + 1] as string).trim()]);
  }
  if (inQuery) {
    for (const [key, value] of request.query) {
      const name = key.toLowerCase();
      if (name.startsWith('x-amz-') && !values.has(name)) values.set(name, [value.trim()]);
    }
  }
  return [...values.keys()]
    .sort()
    .map((name) => `${name}:${(values.get(name) ?? []).join(',')}\n`)
    .join('');
}

/**
 * The paths the canonicalized resource may begin with: the path as sent, and for a path-style
 * bucket request (`/<bucket>`) also `/<bucket>/`, the bucket's resource as S3 names it, which
 * botocore's HmacV1Auth signs (`aws s3api list-objects` with `signature_version = s3`).
 */
function resourcePaths(request: S3AuthRequest): string[] {
  const bucketOnly = request.hostBucket === undefined && /^\/[^/]+$/.test(request.rawPath);
  return bucketOnly ? [request.rawPath, `${request.rawPath}/`] : [request.rawPath];
}

/**
 * The canonicalized resource: `/<bucket>` when virtual-hosted, then the path (so a virtual-hosted
 * bucket request is `/<bucket>/`), then the signed sub-resources sorted by name, values decoded.
 */
function resource(request: S3AuthRequest, path: string): string {
  const subresources = request.rawQuery
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq === -1 ? { key: pair } : { key: pair.slice(0, eq), value: pair.slice(eq + 1) };
    })
    .filter(({ key }) => signedSubresources.has(key))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ key, value }) => (value === undefined ? key : `${key}=${safeDecode(value)}`));
  const bucket = request.hostBucket === undefined ? '' : `/${request.hostBucket}`;
  const suffix = subresources.length > 0 ? `?${subresources.join('&')}` : '';
  return `${bucket}${path}${suffix}`;
}

function header(request: S3AuthRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
