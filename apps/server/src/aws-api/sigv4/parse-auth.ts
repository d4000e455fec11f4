import { AwsErrors } from '../aws-error.ts';

export const sigV4Algorithm = 'AWS4-HMAC-SHA256';
/** Longest validity of a presigned URL, as in AWS: seven days. */
export const maxPresignSeconds = 604_800;

export interface CredentialScope {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

/** What a request claims about its signature, before anything is verified. */
export interface SignatureClaim {
  readonly location: 'header' | 'query';
  readonly scope: CredentialScope;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  /** `YYYYMMDDTHHMMSSZ` */
  readonly timestamp: string;
  /** Presigned URLs only: seconds the signature stays valid. */
  readonly expiresSeconds: number | undefined;
}

export interface AuthInputs {
  /** Lower-case header names to their (joined) values, as Node gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly query: readonly [string, string][];
}

/** Whether the request carries AWS credentials of any kind (SigV4 or, for S3, SigV2). */
export function hasAwsCredentials(input: AuthInputs): boolean {
  const authorization = header(input, 'authorization');
  if (authorization?.startsWith('AWS4-') === true || authorization?.startsWith('AWS ') === true) {
    return true;
  }
  return input.query.some(
    ([key]) => key === 'X-Amz-Algorithm' || key === 'X-Amz-Credential' || key === 'AWSAccessKeyId',
  );
}

/**
 * Reads the SigV4 claim from the Authorization header or the presigned query. Returns undefined
 * when the request carries no SigV4 credentials at all; throws IncompleteSignature when it
 * carries them malformed.
 */
export function parseSignatureClaim(input: AuthInputs): SignatureClaim | undefined {
  const authorization = header(input, 'authorization');
  if (authorization !== undefined && authorization !== '')
    return parseHeaderClaim(input, authorization);
  const params = new Map(input.query);
  if (params.has('X-Amz-Algorithm') || params.has('X-Amz-Credential')) {
    return parseQueryClaim(params);
  }
  return undefined;
}

function parseHeaderClaim(input: AuthInputs, authorization: string): SignatureClaim {
  const space = authorization.indexOf(' ');
  const algorithm = space === -1 ? authorization : authorization.slice(0, space);
  if (algorithm !== sigV4Algorithm) {
    throw AwsErrors.incompleteSignature(
      `Unsupported authorization type '${truncate(algorithm)}': only ${sigV4Algorithm} is accepted.`,
    );
  }
  const parts = new Map<string, string>();
  for (const part of authorization.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    parts.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((k) => !parts.get(k));
  const timestamp = amzDate(input);
  if (timestamp === undefined) missing.push('X-Amz-Date');
  if (missing.length > 0) {
    throw AwsErrors.incompleteSignature(
      `Authorization header requires ${missing.map((m) => `'${m}'`).join(', ')}. ` +
        `Authorization=${truncate(authorization.replace(/Signature=[0-9a-fA-F]*/, 'Signature=…'))}`,
    );
  }
  return {
    location: 'header',
    scope: parseScope(parts.get('Credential') as string),
    signedHeaders: parseSignedHeaders(parts.get('SignedHeaders') as string),
    signature: parts.get('Signature') as string,
    timestamp: timestamp as string,
    expiresSeconds: undefined,
  };
}

function parseQueryClaim(params: Map<string, string>): SignatureClaim {
  const required = [
    'X-Amz-Algorithm',
    'X-Amz-Credential',
    'X-Amz-Date',
    'X-Amz-SignedHeaders',
    'X-Amz-Signature',
  ];
  const missing = required.filter((k) => !params.get(k));
  if (missing.length > 0) {
    throw AwsErrors.incompleteSignature(
      `AWS query-string parameters must include ${missing.map((m) => `'${m}'`).join(', ')}.`,
    );
  }
  if (params.get('X-Amz-Algorithm') !== sigV4Algorithm) {
    throw AwsErrors.incompleteSignature(`X-Amz-Algorithm must be ${sigV4Algorithm}.`);
  }
  const timestamp = params.get('X-Amz-Date') as string;
  if (!isAmzDate(timestamp)) {
    throw AwsErrors.incompleteSignature(
      `X-Amz-Date '${truncate(timestamp)}' is not YYYYMMDDTHHMMSSZ.`,
    );
  }
  const expiresRaw = params.get('X-Amz-Expires') ?? String(maxPresignSeconds);
  const expiresSeconds = /^\d{1,7}$/.test(expiresRaw) ? Number(expiresRaw) : Number.NaN;
  if (!(expiresSeconds >= 1 && expiresSeconds <= maxPresignSeconds)) {
    throw AwsErrors.incompleteSignature(
      `X-Amz-Expires must be between 1 and ${maxPresignSeconds} seconds.`,
    );
  }
  return {
    location: 'query',
    scope: parseScope(params.get('X-Amz-Credential') as string),
    signedHeaders: parseSignedHeaders(params.get('X-Amz-SignedHeaders') as string),
    signature: params.get('X-Amz-Signature') as string,
    timestamp,
    expiresSeconds,
  };
}

function parseScope(credential: string): CredentialScope {
  const parts = credential.split('/');
  const [accessKeyId, date, region, service, terminator] = parts;
  if (
    parts.length !== 5 ||
    !accessKeyId ||
    !date ||
    !/^\d{8}$/.test(date) ||
    !region ||
    !service ||
    terminator !== 'aws4_request'
  ) {
    throw AwsErrors.incompleteSignature(
      `Credential should be scoped to a valid region and service: ` +
        `'<access key>/<yyyymmdd>/<region>/<service>/aws4_request', got '${truncate(credential)}'.`,
    );
  }
  return { accessKeyId, date, region, service };
}

function parseSignedHeaders(value: string): string[] {
  const names = value.split(';').map((n) => n.trim().toLowerCase());
  if (names.some((n) => n === '') || !names.includes('host')) {
    throw AwsErrors.incompleteSignature(
      `SignedHeaders must be a ;-separated list that includes 'host'.`,
    );
  }
  return names;
}

/** The signing time from `X-Amz-Date`, or from an HTTP `Date` header as botocore may send. */
function amzDate(input: AuthInputs): string | undefined {
  const explicit = header(input, 'x-amz-date');
  if (explicit !== undefined) return isAmzDate(explicit) ? explicit : undefined;
  const http = header(input, 'date');
  if (http === undefined) return undefined;
  const ms = Date.parse(http);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function isAmzDate(value: string): boolean {
  return /^\d{8}T\d{6}Z$/.test(value) && !Number.isNaN(amzDateToMs(value));
}

export function amzDateToMs(value: string): number {
  return Date.parse(
    `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}T${value.slice(9, 11)}:${value.slice(11, 13)}:${value.slice(13, 15)}Z`,
  );
}

function header(input: AuthInputs, name: string): string | undefined {
  const value = input.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function truncate(value: string): string {
  return value.length > 200 ? `${value.slice(0, 200)}…` : value;
}
