import { canonicalHeaders, canonicalQuery, uriEncode } from '../aws-api/sigv4/canonical.ts';
import { maxPresignSeconds, sigV4Algorithm } from '../aws-api/sigv4/parse-auth.ts';
import { computeSignature, deriveSigningKey } from '../aws-api/sigv4/verify-signature.ts';

export interface PresignInput {
  /** `http://host:port` clients (a runner, an agent) will use. */
  readonly baseUrl: string;
  readonly method: 'GET' | 'PUT' | 'HEAD';
  readonly bucket: string;
  readonly key: string;
  /** A version of the object (GET/HEAD); the latest when omitted. */
  readonly versionId?: string | undefined;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
  readonly expiresSeconds: number;
  readonly now: number;
}

/**
 * A SigV4 presigned URL for one object, as `aws s3 presign` makes them: what the server gives a
 * runner or an agent so it can fetch a source bundle or upload an artifact with plain HTTP and
 * no credentials of its own. Path-style, payload `UNSIGNED-PAYLOAD`, only `host` signed.
 */
export function presignObjectUrl(input: PresignInput): string {
  if (!(input.expiresSeconds >= 1 && input.expiresSeconds <= maxPresignSeconds)) {
    throw new Error(`expiresSeconds must be 1 to ${maxPresignSeconds}`);
  }
  const url = new URL(input.baseUrl);
  const timestamp = new Date(input.now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const scope = {
    accessKeyId: input.accessKeyId,
    date: timestamp.slice(0, 8),
    region: input.region,
    service: 's3',
  };
  const path = `/${uriEncode(input.bucket, false)}/${uriEncode(input.key, true)}`;
  const query: [string, string][] = [
    ['X-Amz-Algorithm', sigV4Algorithm],
    ['X-Amz-Credential', `${input.accessKeyId}/${scope.date}/${scope.region}/s3/aws4_request`],
    ['X-Amz-Date', timestamp],
    ['X-Amz-Expires', String(input.expiresSeconds)],
    ['X-Amz-SignedHeaders', 'host'],
    ...(input.versionId === undefined ? [] : [['versionId', input.versionId] as [string, string]]),
  ];
  const signature = computeSignature({
    method: input.method,
    canonicalUri: path,
    canonicalQuery: canonicalQuery(query),
    canonicalHeaders: canonicalHeaders(['host', url.host], ['host']),
    signedHeaders: 'host',
    payloadHash: 'UNSIGNED-PAYLOAD',
    timestamp,
    scope,
    signingKey: deriveSigningKey(input.secretAccessKey, scope),
  });
  const search = [...query, ['X-Amz-Signature', signature]]
    .map(([name, value]) => `${uriEncode(name ?? '', false)}=${uriEncode(value ?? '', false)}`)
    .join('&');
  return `${url.origin}${path}?${search}`;
}
