import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { amzDateToMs, sigV4Algorithm } from '../aws-api/sigv4/parse-auth.ts';
import { deriveSigningKey, maxClockSkewMs } from '../aws-api/sigv4/verify-signature.ts';

/**
 * The git password `aws codecommit credential-helper` prints (awscli/customizations/codecommit.py):
 * `<YYYYMMDDTHHMMSS>Z<signature>`, a SigV4 signature by the user's secret key over a fake request
 * `GIT <repository path>` with only `host` signed and an empty payload-hash line. It proves
 * possession of the secret for one host and path, for 15 minutes either side of its timestamp.
 */
export const sigV4GitPasswordPattern = /^\d{8}T\d{6}Z[0-9a-f]{64}$/;

const service = 'codecommit';

export interface DeriveGitPasswordInput {
  /** Not part of the signature (git sends it as the user name); accepted for symmetry. */
  readonly accessKeyId?: string;
  readonly secretAccessKey: string;
  readonly region: string;
  /** The host the client connects to, without its port. */
  readonly hostname: string;
  /** The repository's URL path with a leading slash: `/v1/repos/demo`. */
  readonly path: string;
  readonly now: Date | number;
}

export function deriveGitPassword(input: DeriveGitPasswordInput): string {
  // botocore formats `%Y%m%dT%H%M%S`: the string to sign carries the timestamp without its `Z`.
  const timestamp = new Date(input.now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, '');
  return `${timestamp}Z${gitSignature(input, timestamp, input.region)}`;
}

export interface VerifyGitPasswordInput {
  readonly password: string;
  readonly secretAccessKey: string;
  /** Regions the signature may be scoped to; each is tried. */
  readonly regions: readonly string[];
  readonly hostname: string;
  readonly path: string;
  readonly now: Date | number;
}

export function verifyGitPassword(input: VerifyGitPasswordInput): boolean {
  if (!sigV4GitPasswordPattern.test(input.password)) return false;
  const timestamp = input.password.slice(0, 15);
  const signedAt = amzDateToMs(`${timestamp}Z`);
  const now = new Date(input.now).getTime();
  if (Number.isNaN(signedAt) || Math.abs(signedAt - now) > maxClockSkewMs) return false;
  const given = Buffer.from(input.password.slice(16), 'utf8');
  let matched = false;
  for (const region of input.regions) {
    const wanted = Buffer.from(gitSignature(input, timestamp, region), 'utf8');
    // Every region is tried, so the time taken does not tell which one matched.
    if (timingSafeEqual(given, wanted)) matched = true;
  }
  return matched;
}

function gitSignature(
  input: { readonly secretAccessKey: string; readonly hostname: string; readonly path: string },
  timestamp: string,
  region: string,
): string {
  const canonicalRequest = `GIT\n${input.path}\n\nhost:${input.hostname}\n\nhost\n`;
  const date = timestamp.slice(0, 8);
  const stringToSign = [
    sigV4Algorithm,
    timestamp,
    `${date}/${region}/${service}/aws4_request`,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const key = deriveSigningKey(input.secretAccessKey, {
    accessKeyId: '',
    date,
    region,
    service,
  });
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}
