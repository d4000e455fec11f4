import { S3Error, S3Errors } from './s3-errors.ts';

/** The S3 operations Slipway serves, named as in the S3 model (botocore `s3/2006-03-01`). */
export const S3Operation = {
  ListBuckets: 'ListBuckets',
  CreateBucket: 'CreateBucket',
  HeadBucket: 'HeadBucket',
  DeleteBucket: 'DeleteBucket',
  GetBucketLocation: 'GetBucketLocation',
  GetBucketVersioning: 'GetBucketVersioning',
  PutBucketVersioning: 'PutBucketVersioning',
  GetBucketTagging: 'GetBucketTagging',
  PutBucketTagging: 'PutBucketTagging',
  DeleteBucketTagging: 'DeleteBucketTagging',
  ListObjects: 'ListObjects',
  ListObjectsV2: 'ListObjectsV2',
  ListObjectVersions: 'ListObjectVersions',
  ListMultipartUploads: 'ListMultipartUploads',
  DeleteObjects: 'DeleteObjects',
  PutObject: 'PutObject',
  CopyObject: 'CopyObject',
  GetObject: 'GetObject',
  HeadObject: 'HeadObject',
  DeleteObject: 'DeleteObject',
  GetObjectTagging: 'GetObjectTagging',
  PutObjectTagging: 'PutObjectTagging',
  DeleteObjectTagging: 'DeleteObjectTagging',
  CreateMultipartUpload: 'CreateMultipartUpload',
  UploadPart: 'UploadPart',
  UploadPartCopy: 'UploadPartCopy',
  CompleteMultipartUpload: 'CompleteMultipartUpload',
  AbortMultipartUpload: 'AbortMultipartUpload',
  ListParts: 'ListParts',
} as const;
export type S3Operation = (typeof S3Operation)[keyof typeof S3Operation];

export interface S3RequestLine {
  readonly method: string;
  /** As sent, still percent-encoded. */
  readonly rawPath: string;
  /** Decoded, in wire order. */
  readonly query: readonly (readonly [string, string])[];
  /** Lower-case names, as Node gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly host: string | undefined;
  /** The host names S3 is served under; `<bucket>.<one of them>` is virtual-hosted style. */
  readonly serviceHosts: readonly string[];
}

export interface S3Route {
  readonly operation: S3Operation;
  readonly bucket?: string;
  /** Decoded once, never normalized: `a//b/../c%00` stays as it is. */
  readonly key?: string;
  /** Virtual-hosted requests sign `/<bucket>` + path in SigV2, so authentication needs this. */
  readonly addressing: 'path' | 'virtual-hosted';
}

export type S3RouteResult = S3Route | { readonly error: S3Error };

type ByMethod = Readonly<Partial<Record<string, S3Operation>>>;
const op = S3Operation;

const bucketSubresources: Readonly<Record<string, ByMethod>> = {
  location: { GET: op.GetBucketLocation },
  versioning: { GET: op.GetBucketVersioning, PUT: op.PutBucketVersioning },
  versions: { GET: op.ListObjectVersions },
  uploads: { GET: op.ListMultipartUploads },
  delete: { POST: op.DeleteObjects },
  tagging: { GET: op.GetBucketTagging, PUT: op.PutBucketTagging, DELETE: op.DeleteBucketTagging },
};

const objectSubresources: Readonly<Record<string, ByMethod>> = {
  tagging: { GET: op.GetObjectTagging, PUT: op.PutObjectTagging, DELETE: op.DeleteObjectTagging },
  uploads: { POST: op.CreateMultipartUpload },
};

/** Every other sub-resource in the S3 model: real S3 features Slipway does not offer. */
const unimplementedSubresources: ReadonlySet<string> = new Set([
  'abac', 'accelerate', 'acl', 'analytics', 'attributes', 'cors', 'encryption',
  'intelligent-tiering', 'inventory', 'legal-hold', 'lifecycle', 'logging',
  'metadataConfiguration', 'metadataInventoryTable', 'metadataJournalTable', 'metadataTable',
  'metrics', 'notification', 'object-lock', 'ownershipControls', 'policy', 'policyStatus',
  'publicAccessBlock', 'renameObject', 'replication', 'requestPayment', 'restore', 'retention',
  'select', 'session', 'torrent', 'website',
]); // prettier-ignore

/**
 * Which S3 operation a request is, and on which bucket and key. The bucket comes from the Host
 * (`<bucket>.<service host>`, virtual-hosted style) or else from the first path segment (path
 * style). Sub-resources S3 has but Slipway does not serve give `NotImplemented`.
 */
export function parseS3Request(request: S3RequestLine): S3RouteResult {
  try {
    return route(request);
  } catch (error) {
    if (error instanceof S3Error) return { error };
    throw error;
  }
}

function route(request: S3RequestLine): S3Route {
  const { rawPath } = request;
  if (!rawPath.startsWith('/')) throw S3Errors.invalidUri();
  const method = request.method.toUpperCase();
  const hostBucket = bucketFromHost(request.host, request.serviceHosts);
  let bucket: string | undefined;
  let rawKey: string;
  if (hostBucket !== undefined) {
    bucket = hostBucket;
    rawKey = rawPath.slice(1);
  } else {
    const slash = rawPath.indexOf('/', 1);
    const segment = slash === -1 ? rawPath.slice(1) : rawPath.slice(1, slash);
    rawKey = slash === -1 ? '' : rawPath.slice(slash + 1);
    if (segment === '' && rawKey !== '') throw S3Errors.invalidUri();
    bucket = segment === '' ? undefined : decode(segment);
  }
  const addressing = hostBucket === undefined ? 'path' : 'virtual-hosted';
  const names = new Set(request.query.map(([name]) => name));
  names.delete('x-id'); // the JS SDK names the operation in the query; the request says it anyway
  if (bucket === undefined) {
    if (method !== 'GET') throw S3Errors.methodNotAllowed(method, 'SERVICE');
    return { operation: op.ListBuckets, addressing };
  }
  for (const name of names) {
    if (unimplementedSubresources.has(name)) {
      throw S3Errors.notImplemented(`Slipway does not implement the S3 '${name}' sub-resource.`);
    }
  }
  if (rawKey === '')
    return { operation: bucketOperation(method, names, request), bucket, addressing };
  const key = decode(rawKey);
  return { operation: objectOperation(method, names, request), bucket, key, addressing };
}

function bucketOperation(method: string, names: Set<string>, request: S3RequestLine): S3Operation {
  const sub = subresource(names, bucketSubresources, method, 'BUCKET');
  if (sub !== undefined) return sub;
  switch (method) {
    case 'GET': {
      const listType = request.query.find(([name]) => name === 'list-type')?.[1];
      if (listType === undefined) return op.ListObjects;
      if (listType === '2') return op.ListObjectsV2;
      throw S3Errors.invalidArgument('Invalid List Type specified', 'list-type', listType);
    }
    case 'HEAD':
      return op.HeadBucket;
    case 'PUT':
      return op.CreateBucket;
    case 'DELETE':
      return op.DeleteBucket;
    case 'POST':
      throw S3Errors.notImplemented('Slipway does not implement browser-based POST uploads.');
    default:
      throw S3Errors.methodNotAllowed(method, 'BUCKET');
  }
}

function objectOperation(method: string, names: Set<string>, request: S3RequestLine): S3Operation {
  const sub = subresource(names, objectSubresources, method, 'OBJECT');
  if (sub !== undefined) return sub;
  const copy = request.headers['x-amz-copy-source'] !== undefined;
  if (names.has('uploadId')) {
    switch (method) {
      case 'PUT':
        if (!names.has('partNumber')) {
          throw S3Errors.invalidRequest('A part upload needs both partNumber and uploadId.');
        }
        return copy ? op.UploadPartCopy : op.UploadPart;
      case 'POST':
        return op.CompleteMultipartUpload;
      case 'DELETE':
        return op.AbortMultipartUpload;
      case 'GET':
        return op.ListParts;
      default:
        throw S3Errors.methodNotAllowed(method, 'OBJECT');
    }
  }
  switch (method) {
    case 'GET':
      return op.GetObject;
    case 'HEAD':
      return op.HeadObject;
    case 'PUT':
      if (names.has('partNumber')) {
        throw S3Errors.invalidRequest('A part upload needs both partNumber and uploadId.');
      }
      return copy ? op.CopyObject : op.PutObject;
    case 'DELETE':
      return op.DeleteObject;
    default:
      throw S3Errors.methodNotAllowed(method, 'OBJECT');
  }
}

function subresource(
  names: Set<string>,
  table: Readonly<Record<string, ByMethod>>,
  method: string,
  resourceType: 'BUCKET' | 'OBJECT',
): S3Operation | undefined {
  for (const name of names) {
    const byMethod = Object.hasOwn(table, name) ? table[name] : undefined;
    if (byMethod === undefined) continue;
    const operation = byMethod[method];
    if (operation === undefined) throw S3Errors.methodNotAllowed(method, resourceType);
    return operation;
  }
  return undefined;
}

/** The bucket named by a `<bucket>.<service host>` Host header; case and port ignored. */
export function bucketFromHost(
  host: string | undefined,
  serviceHosts: readonly string[],
): string | undefined {
  if (host === undefined) return undefined;
  const hostname = stripPort(host.trim()).toLowerCase().replace(/\.$/, '');
  let best: string | undefined;
  for (const serviceHost of serviceHosts) {
    const suffix = stripPort(serviceHost).toLowerCase().replace(/\.$/, '');
    if (suffix === '') continue;
    if (hostname === suffix) return undefined;
    if (hostname.endsWith(`.${suffix}`)) {
      const bucket = hostname.slice(0, -suffix.length - 1);
      if (best === undefined || bucket.length < best.length) best = bucket;
    }
  }
  return best;
}

function stripPort(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(0, end + 1);
  }
  const colon = host.lastIndexOf(':');
  return colon !== -1 && /^\d*$/.test(host.slice(colon + 1)) ? host.slice(0, colon) : host;
}

/** Percent-decoding, exactly once; `+` stays `+`. A malformed escape is S3's InvalidURI. */
function decode(raw: string): string {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    throw S3Errors.invalidUri();
  }
}
