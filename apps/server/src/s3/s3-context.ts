import type {
  ByteRangeRequest,
  ObjectsService,
  ObjectVersion,
  Preconditions,
  Scope,
} from '@slipway/core';
import type { DigestWorkers } from '../objects/digest-workers.ts';
import type { S3Authentication } from './s3-auth.ts';
import { S3Errors } from './s3-errors.ts';
import type { S3Route } from './s3-route.ts';

/** One authenticated S3 request, as every operation handler sees it. */
export interface S3Context {
  readonly objects: ObjectsService;
  readonly scope: Scope;
  readonly route: S3Route;
  readonly auth: S3Authentication;
  readonly method: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly query: ReadonlyMap<string, string>;
  readonly body: AsyncIterable<Uint8Array>;
  /** `http://host:port` the client used, for Location headers. */
  readonly baseUrl: string;
  /** Hash large uploads off the event loop. */
  readonly digestWorkers?: DigestWorkers | undefined;
}

/** What a handler answers: a status, headers, and an XML document or a byte stream. */
export interface S3Response {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | AsyncIterable<Uint8Array>;
}

export type S3Handler = (context: S3Context) => Promise<S3Response>;

export function header(context: S3Context, name: string): string | undefined {
  const value = context.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function bucketOf(context: S3Context): string {
  const bucket = context.route.bucket;
  if (bucket === undefined) throw S3Errors.invalidRequest('A bucket is required.');
  return bucket;
}

export function keyOf(context: S3Context): string {
  const key = context.route.key;
  if (key === undefined || key === '') throw S3Errors.invalidRequest('A key is required.');
  return key;
}

/** The headers S3 stores with an object and returns on GET and HEAD. */
const storedHeaders = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
];

export function objectAttributes(context: S3Context) {
  const headers: Record<string, string> = {};
  for (const name of storedHeaders) {
    let value = header(context, name);
    if (name === 'content-encoding' && value !== undefined) {
      // aws-chunked is the transfer's encoding, not the object's.
      value = value
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e !== '' && e.toLowerCase() !== 'aws-chunked')
        .join(', ');
    }
    if (value !== undefined && value !== '') headers[name] = value;
  }
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(context.headers)) {
    if (!name.startsWith('x-amz-meta-') || value === undefined) continue;
    metadata[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
  }
  return { contentType: header(context, 'content-type'), headers, metadata };
}

/** The headers of a GET or HEAD answer about `version`. */
export function versionHeaders(version: ObjectVersion, versioned: boolean): Record<string, string> {
  const out: Record<string, string> = {
    etag: version.etag,
    'last-modified': new Date(version.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
    'content-type': version.contentType ?? 'binary/octet-stream',
    ...version.headers,
  };
  if (versioned || version.versionId !== 'null') out['x-amz-version-id'] = version.versionId;
  for (const [name, value] of Object.entries(version.metadata)) out[`x-amz-meta-${name}`] = value;
  if (version.partCount !== undefined) out['x-amz-mp-parts-count'] = String(version.partCount);
  return out;
}

/** `Range: bytes=a-b | a- | -n`; one range only, as S3 serves. */
export function parseRange(value: string | undefined): ByteRangeRequest | undefined {
  if (value === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (match === null || (match[1] === '' && match[2] === '')) return undefined;
  const [, start = '', end = ''] = match;
  if (start === '') return { suffixLength: Number(end) };
  return end === '' ? { start: Number(start) } : { start: Number(start), end: Number(end) };
}

export function preconditions(context: S3Context, prefix = ''): Preconditions {
  const date = (name: string) => {
    const value = header(context, `${prefix}${name}`);
    const ms = value === undefined ? Number.NaN : Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  };
  const ifMatch = header(context, `${prefix}if-match`);
  const ifNoneMatch = header(context, `${prefix}if-none-match`);
  const ifModifiedSince = date('if-modified-since');
  const ifUnmodifiedSince = date('if-unmodified-since');
  return {
    ...(ifMatch === undefined ? {} : { ifMatch }),
    ...(ifNoneMatch === undefined ? {} : { ifNoneMatch }),
    ...(ifModifiedSince === undefined ? {} : { ifModifiedSince }),
    ...(ifUnmodifiedSince === undefined ? {} : { ifUnmodifiedSince }),
  };
}

/** `x-amz-copy-source: /bucket/key?versionId=v`, URL-encoded. */
export function copySource(context: S3Context) {
  const raw = header(context, 'x-amz-copy-source') ?? '';
  const [path = '', query = ''] = raw.split('?');
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.replace(/^\//, ''));
  } catch {
    throw S3Errors.invalidArgument('Invalid copy source encoding.');
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) {
    throw S3Errors.invalidArgument('Invalid copy source object key');
  }
  const versionId = new URLSearchParams(query).get('versionId') ?? undefined;
  return {
    bucket: decoded.slice(0, slash),
    key: decoded.slice(slash + 1),
    ...(versionId === undefined ? {} : { versionId }),
  };
}

/** ListObjects with `encoding-type=url`: S3 percent-encodes keys; clients decode them. */
export function encodeKey(context: S3Context, key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  return context.query.get('encoding-type') === 'url' ? encodeURIComponent(key) : key;
}

export function integerParam(context: S3Context, name: string, max: number): number | undefined {
  const value = context.query.get(name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw S3Errors.invalidArgument(`Provided ${name} not an integer.`);
  return Math.min(Number(value), max);
}
