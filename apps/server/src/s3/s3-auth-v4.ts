import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { SigningIdentity } from '@slipway/core';
import { AwsError } from '../aws-api/aws-error.ts';
import { canonicalHeaders, canonicalQuery, canonicalUri } from '../aws-api/sigv4/canonical.ts';
import {
  amzDateToMs,
  parseSignatureClaim,
  sigV4Algorithm,
  type SignatureClaim,
} from '../aws-api/sigv4/parse-auth.ts';
import { maxClockSkewMs, type SigningKeyCache } from '../aws-api/sigv4/verify-signature.ts';
import type { ChunkSigningContext, S3Authentication, S3AuthRequest } from './s3-auth.ts';
import { S3Errors } from './s3-errors.ts';

/**
 * SigV4 for S3, from the Authorization header or a presigned query: the canonical request with
 * the path exactly as sent (S3 neither normalizes nor re-encodes it) and the payload hash the
 * client declared, so the body is never needed. Errors are S3's, with the canonical request and
 * string to sign in SignatureDoesNotMatch as S3 gives them.
 */

export interface SigV4Context {
  readonly now: number;
  readonly signingKeys: SigningKeyCache;
  /** Resolves the access key or throws InvalidAccessKeyId. */
  readonly findIdentity: (accessKeyId: string) => Promise<SigningIdentity>;
}

const streamingModes: Readonly<Record<string, { signed: boolean; trailer: boolean }>> = {
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER': { signed: false, trailer: true },
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD': { signed: true, trailer: false },
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER': { signed: true, trailer: true },
};
const hexSha256 = /^[0-9a-fA-F]{64}$/;
const emptySha256 = createHash('sha256').digest('hex');

export async function verifySigV4(
  request: S3AuthRequest,
  inHeader: boolean,
  context: SigV4Context,
): Promise<S3Authentication> {
  if (
    inHeader &&
    header(request, 'x-amz-date') === undefined &&
    header(request, 'date') === undefined
  ) {
    throw S3Errors.accessDenied('AWS authentication requires a valid Date or x-amz-date header');
  }
  const malformed = (message: string) =>
    inHeader
      ? S3Errors.authorizationHeaderMalformed(message)
      : S3Errors.authorizationQueryParametersError(message);
  let claim: SignatureClaim | undefined;
  try {
    claim = parseSignatureClaim({ headers: request.headers, query: request.query });
  } catch (error) {
    if (error instanceof AwsError) throw malformed(error.message);
    throw error;
  }
  if (claim === undefined) throw S3Errors.accessDenied();
  const { scope, timestamp } = claim;
  if (scope.service !== 's3') {
    throw malformed(`incorrect service "${scope.service}". This endpoint belongs to "s3".`);
  }
  if (timestamp.slice(0, 8) !== scope.date) {
    throw malformed(
      `Invalid credential date "${scope.date}". This date is not the same as X-Amz-Date: "${timestamp.slice(0, 8)}".`,
    );
  }
  const payloadHash = inHeader ? headerPayloadHash(request) : queryPayloadHash(request);
  const identity = await context.findIdentity(scope.accessKeyId);
  checkTime(claim, context.now);
  const signingKey = context.signingKeys.get(identity.secretAccessKey, scope);
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(request.rawPath, 's3'),
    canonicalQuery(request.query, inHeader ? undefined : 'X-Amz-Signature'),
    canonicalHeaders(request.rawHeaders, claim.signedHeaders),
    claim.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scopeText = `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = [sigV4Algorithm, timestamp, scopeText, sha256Hex(canonicalRequest)].join(
    '\n',
  );
  const expected = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  if (!sameText(claim.signature.toLowerCase(), expected)) {
    throw S3Errors.signatureDoesNotMatch({
      AWSAccessKeyId: scope.accessKeyId,
      StringToSign: stringToSign,
      SignatureProvided: claim.signature,
      CanonicalRequest: canonicalRequest,
    });
  }
  const base = {
    principal: identity.record.principal,
    signatureVersion: 4 as const,
    location: inHeader ? ('header' as const) : ('query' as const),
    region: scope.region,
  };
  const streaming = Object.hasOwn(streamingModes, payloadHash)
    ? streamingModes[payloadHash]
    : undefined;
  if (streaming !== undefined) {
    const chunkSigning = { seedSignature: expected, signingKey, timestamp, scope: scopeText };
    return {
      ...base,
      payload: {
        kind: 'streaming',
        ...streaming,
        decodedLength: decodedLength(request),
        ...(streaming.signed ? { chunkSigning } : {}),
      },
    };
  }
  if (payloadHash === 'UNSIGNED-PAYLOAD') return { ...base, payload: { kind: 'unsigned' } };
  return { ...base, payload: { kind: 'hash', sha256: payloadHash.toLowerCase() } };
}

/**
 * The signature the next aws-chunked chunk must carry (`chunk-signature=`), chained from the
 * previous one (the seed signature for the first chunk). `chunkSha256` is the chunk data's hex
 * SHA-256; the final, empty chunk has the SHA-256 of nothing.
 */
export function chunkSignature(
  context: ChunkSigningContext,
  previousSignature: string,
  chunkSha256: string,
): string {
  const stringToSign = [
    'AWS4-HMAC-SHA256-PAYLOAD',
    context.timestamp,
    context.scope,
    previousSignature,
    emptySha256,
    chunkSha256,
  ].join('\n');
  return createHmac('sha256', context.signingKey).update(stringToSign).digest('hex');
}

function headerPayloadHash(request: S3AuthRequest): string {
  const value = header(request, 'x-amz-content-sha256')?.trim();
  if (value === undefined) {
    throw S3Errors.invalidRequest('Missing required header for this request: x-amz-content-sha256');
  }
  if (
    value === 'UNSIGNED-PAYLOAD' ||
    hexSha256.test(value) ||
    Object.hasOwn(streamingModes, value)
  ) {
    return value;
  }
  if (value.startsWith('STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD')) {
    throw S3Errors.notImplemented('Slipway does not support SigV4a (AWS4-ECDSA-P256-SHA256).');
  }
  throw S3Errors.invalidArgument(
    'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, ' +
      'STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
    'x-amz-content-sha256',
    value,
  );
}

/** Presigned URLs sign `UNSIGNED-PAYLOAD` unless they carry `X-Amz-Content-Sha256` themselves. */
function queryPayloadHash(request: S3AuthRequest): string {
  const value = request.query.find(([name]) => name.toLowerCase() === 'x-amz-content-sha256')?.[1];
  if (value === undefined || value === 'UNSIGNED-PAYLOAD' || hexSha256.test(value)) {
    return value ?? 'UNSIGNED-PAYLOAD';
  }
  throw S3Errors.authorizationQueryParametersError(
    'X-Amz-Content-Sha256 must be UNSIGNED-PAYLOAD or a valid sha256 value.',
  );
}

function decodedLength(request: S3AuthRequest): number {
  const value = header(request, 'x-amz-decoded-content-length')?.trim();
  if (value === undefined) throw S3Errors.missingSecurityHeader('x-amz-decoded-content-length');
  if (!/^\d{1,15}$/.test(value)) {
    throw S3Errors.invalidArgument(
      'x-amz-decoded-content-length must be a non-negative integer',
      'x-amz-decoded-content-length',
      value,
    );
  }
  return Number(value);
}

function checkTime(claim: SignatureClaim, now: number): void {
  const signedAt = amzDateToMs(claim.timestamp);
  if (claim.expiresSeconds === undefined) {
    if (Math.abs(now - signedAt) > maxClockSkewMs) {
      throw S3Errors.requestTimeTooSkewed(claim.timestamp, isoSeconds(now), maxClockSkewMs);
    }
    return;
  }
  if (signedAt > now + maxClockSkewMs) throw S3Errors.accessDenied('Request is not valid yet');
  const expiresAt = signedAt + claim.expiresSeconds * 1000;
  if (now > expiresAt) {
    throw S3Errors.accessDenied('Request has expired', {
      'X-Amz-Expires': claim.expiresSeconds,
      Expires: isoSeconds(expiresAt),
      ServerTime: isoSeconds(now),
    });
  }
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function header(request: S3AuthRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
