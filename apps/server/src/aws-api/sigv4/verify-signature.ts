import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AwsErrors } from '../aws-error.ts';
import { canonicalHeaders, canonicalQuery, canonicalUri } from './canonical.ts';
import {
  amzDateToMs,
  sigV4Algorithm,
  type CredentialScope,
  type SignatureClaim,
} from './parse-auth.ts';

/** AWS's allowed difference between the client's clock and ours. */
export const maxClockSkewMs = 15 * 60 * 1000;

export interface RequestToVerify {
  readonly method: string;
  /** The path exactly as sent, still percent-encoded. */
  readonly rawPath: string;
  readonly query: readonly [string, string][];
  readonly rawHeaders: readonly string[];
}

export interface VerifyOptions {
  readonly claim: SignatureClaim;
  readonly request: RequestToVerify;
  /** What the client signed as the payload: `x-amz-content-sha256`, or the body's SHA-256. */
  readonly payloadHash: string;
  readonly secretAccessKey: string;
  readonly now: number;
  readonly signingKeys: SigningKeyCache;
}

/** Throws InvalidSignatureException unless the claim is current and its signature matches. */
export function verifySignature(options: VerifyOptions): void {
  const { claim, now } = options;
  if (claim.timestamp.slice(0, 8) !== claim.scope.date) {
    throw AwsErrors.invalidSignature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ` +
        `'${claim.scope.date}' != '${claim.timestamp.slice(0, 8)}', from '${claim.timestamp}'.`,
    );
  }
  checkTime(claim, now);
  const expected = computeSignature({
    method: options.request.method,
    canonicalUri: canonicalUri(options.request.rawPath, claim.scope.service),
    canonicalQuery: canonicalQuery(
      options.request.query,
      claim.location === 'query' ? 'X-Amz-Signature' : undefined,
    ),
    canonicalHeaders: canonicalHeaders(options.request.rawHeaders, claim.signedHeaders),
    signedHeaders: claim.signedHeaders.join(';'),
    payloadHash: options.payloadHash,
    timestamp: claim.timestamp,
    scope: claim.scope,
    signingKey: options.signingKeys.get(options.secretAccessKey, claim.scope),
  });
  const given = Buffer.from(claim.signature.toLowerCase(), 'utf8');
  const wanted = Buffer.from(expected, 'utf8');
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw AwsErrors.signatureMismatch();
  }
}

function checkTime(claim: SignatureClaim, now: number): void {
  const signedAt = amzDateToMs(claim.timestamp);
  const iso = (ms: number) =>
    new Date(ms)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
  if (signedAt > now + maxClockSkewMs) {
    throw AwsErrors.invalidSignature(
      `Signature not yet current: ${claim.timestamp} is still later than ` +
        `${iso(now + maxClockSkewMs)} (${iso(now)} + 15 min.)`,
    );
  }
  if (claim.expiresSeconds !== undefined) {
    if (now > signedAt + claim.expiresSeconds * 1000) {
      throw AwsErrors.invalidSignature(
        `Signature expired: ${claim.timestamp} + ${claim.expiresSeconds}s is now earlier than ${iso(now)}.`,
      );
    }
  } else if (signedAt < now - maxClockSkewMs) {
    throw AwsErrors.invalidSignature(
      `Signature expired: ${claim.timestamp} is now earlier than ` +
        `${iso(now - maxClockSkewMs)} (${iso(now)} - 15 min.)`,
    );
  }
}

export interface SignatureParts {
  readonly method: string;
  readonly canonicalUri: string;
  readonly canonicalQuery: string;
  readonly canonicalHeaders: string;
  readonly signedHeaders: string;
  readonly payloadHash: string;
  readonly timestamp: string;
  readonly scope: CredentialScope;
  readonly signingKey: Buffer;
}

export function computeSignature(parts: SignatureParts): string {
  const canonicalRequest = [
    parts.method,
    parts.canonicalUri,
    parts.canonicalQuery,
    parts.canonicalHeaders,
    parts.signedHeaders,
    parts.payloadHash,
  ].join('\n');
  const { date, region, service } = parts.scope;
  const stringToSign = [
    sigV4Algorithm,
    parts.timestamp,
    `${date}/${region}/${service}/aws4_request`,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  return createHmac('sha256', parts.signingKey).update(stringToSign).digest('hex');
}

/**
 * Derived signing keys, one per secret, day, region and service: four HMACs saved per request.
 * Bounded; cleared whole when full, which a day's rollover does anyway.
 */
export class SigningKeyCache {
  readonly #keys = new Map<string, Buffer>();
  readonly #maxEntries: number;

  constructor(maxEntries = 1024) {
    this.#maxEntries = maxEntries;
  }

  get(secretAccessKey: string, scope: CredentialScope): Buffer {
    const id = `${scope.accessKeyId}\0${secretAccessKey}\0${scope.date}\0${scope.region}\0${scope.service}`;
    let key = this.#keys.get(id);
    if (key === undefined) {
      key = deriveSigningKey(secretAccessKey, scope);
      if (this.#keys.size >= this.#maxEntries) this.#keys.clear();
      this.#keys.set(id, key);
    }
    return key;
  }
}

export function deriveSigningKey(secretAccessKey: string, scope: CredentialScope): Buffer {
  const hmac = (key: string | Buffer, data: string) =>
    createHmac('sha256', key).update(data).digest();
  const kDate = hmac(`AWS4${secretAccessKey}`, scope.date);
  const kRegion = hmac(kDate, scope.region);
  const kService = hmac(kRegion, scope.service);
  return hmac(kService, 'aws4_request');
}
