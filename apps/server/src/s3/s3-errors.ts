import { createHash } from 'node:crypto';
import type { AppError } from '@slipway/core';
import { resolveError, type AwsErrorSpec, type AwsErrorTable } from '../aws-api/error-table.ts';

/** Extra elements of an S3 error body (`<BucketName>`, `<Key>`, …), in the order given. */
export type S3ErrorFields = Readonly<Record<string, string | number | undefined>>;

/** An error in S3's terms: an XML `<Error>` body with a code, a message and extra fields. */
export class S3Error extends Error {
  readonly code: string;
  readonly status: number;
  readonly fields: S3ErrorFields;

  constructor(code: string, status: number, message: string, fields: S3ErrorFields = {}) {
    super(message);
    this.name = 'S3Error';
    this.code = code;
    this.status = status;
    this.fields = fields;
  }
}

export function isS3Error(value: unknown): value is S3Error {
  return value instanceof S3Error;
}

const malformedXmlMessage =
  'The XML you provided was not well-formed or did not validate against our published schema';

/** The errors the S3 door raises itself (protocol, authentication, checksums). */
export const S3Errors = {
  accessDenied: (message = 'Access Denied', fields: S3ErrorFields = {}) =>
    new S3Error('AccessDenied', 403, message, fields),
  invalidAccessKeyId: (accessKeyId: string) =>
    new S3Error(
      'InvalidAccessKeyId',
      403,
      'The AWS Access Key Id you provided does not exist in our records.',
      { AWSAccessKeyId: accessKeyId },
    ),
  signatureDoesNotMatch: (fields: S3ErrorFields) =>
    new S3Error(
      'SignatureDoesNotMatch',
      403,
      'The request signature we calculated does not match the signature you provided. ' +
        'Check your key and signing method.',
      fields,
    ),
  requestTimeTooSkewed: (requestTime: string, serverTime: string, maxSkewMs: number) =>
    new S3Error(
      'RequestTimeTooSkewed',
      403,
      'The difference between the request time and the current time is too large.',
      { RequestTime: requestTime, ServerTime: serverTime, MaxAllowedSkewMilliseconds: maxSkewMs },
    ),
  authorizationHeaderMalformed: (detail: string) =>
    new S3Error(
      'AuthorizationHeaderMalformed',
      400,
      `The authorization header is malformed; ${detail}`,
    ),
  authorizationQueryParametersError: (message: string) =>
    new S3Error('AuthorizationQueryParametersError', 400, message),
  invalidToken: () =>
    new S3Error('InvalidToken', 400, 'The provided token is malformed or otherwise invalid.'),
  missingSecurityHeader: (headerName: string) =>
    new S3Error('MissingSecurityHeader', 400, 'Your request was missing a required header', {
      MissingHeaderName: headerName,
    }),
  invalidArgument: (message: string, name?: string, value?: string) =>
    new S3Error('InvalidArgument', 400, message, { ArgumentName: name, ArgumentValue: value }),
  invalidRequest: (message: string) => new S3Error('InvalidRequest', 400, message),
  invalidUri: () => new S3Error('InvalidURI', 400, "Couldn't parse the specified URI."),
  notImplemented: (
    message = 'A header or query you provided implies functionality that is not implemented.',
  ) => new S3Error('NotImplemented', 501, message),
  methodNotAllowed: (method: string, resourceType: 'SERVICE' | 'BUCKET' | 'OBJECT') =>
    new S3Error(
      'MethodNotAllowed',
      405,
      'The specified method is not allowed against this resource.',
      {
        Method: method,
        ResourceType: resourceType,
      },
    ),
  malformedXml: () => new S3Error('MalformedXML', 400, malformedXmlMessage),
  badDigest: (message: string, fields: S3ErrorFields = {}) =>
    new S3Error('BadDigest', 400, message, fields),
  invalidDigest: (contentMd5: string) =>
    new S3Error('InvalidDigest', 400, 'The Content-MD5 you specified was invalid.', {
      'Content-MD5': contentMd5,
    }),
  malformedTrailer: () =>
    new S3Error(
      'MalformedTrailerError',
      400,
      'The request contained trailing data that was not well-formed or did not conform to our published schema.',
    ),
  contentSha256Mismatch: (clientSha256: string, computedSha256: string) =>
    new S3Error(
      'XAmzContentSHA256Mismatch',
      400,
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      { ClientComputedContentSHA256: clientSha256, S3ComputedContentSHA256: computedSha256 },
    ),
  internal: () =>
    new S3Error('InternalError', 500, 'We encountered an internal error. Please try again.'),
} as const;

const spec = (code: string, status: number): AwsErrorSpec => ({ code, status });

/**
 * Core error kinds and the subject (`AppError.resource`) they concern, to S3 codes: the mapping
 * the objects component documents (packages/core/src/objects/objects.errors.ts). Typed over
 * every kind, so a new kind does not compile until S3 says how it looks on the wire.
 */
export const s3ErrorTable: AwsErrorTable = {
  NotFound: {
    byResource: {
      bucket: spec('NoSuchBucket', 404),
      key: spec('NoSuchKey', 404),
      'delete-marker': spec('NoSuchKey', 404),
      version: spec('NoSuchVersion', 404),
      upload: spec('NoSuchUpload', 404),
      part: spec('InvalidPart', 400),
      'tag-set': spec('NoSuchTagSet', 404),
    },
    otherwise: spec('NoSuchKey', 404),
  },
  AlreadyExists: {
    byResource: {
      'bucket-exists-owned': spec('BucketAlreadyOwnedByYou', 409),
      'bucket-exists': spec('BucketAlreadyExists', 409),
    },
    otherwise: spec('BucketAlreadyOwnedByYou', 409),
  },
  InvalidInput: {
    byResource: {
      'bucket-name': spec('InvalidBucketName', 400),
      versioning: spec('IllegalVersioningConfigurationException', 400),
      'key-too-long': spec('KeyTooLongError', 400),
      'delete-marker-version': spec('MethodNotAllowed', 405),
      part: spec('InvalidPart', 400),
      'part-order': spec('InvalidPartOrder', 400),
      'entity-too-small': spec('EntityTooSmall', 400),
      'entity-too-large': spec('EntityTooLarge', 400),
      range: spec('InvalidRange', 416),
      precondition: spec('PreconditionFailed', 412),
      digest: spec('BadDigest', 400),
      'copy-to-itself': spec('InvalidRequest', 400),
      malformed: spec('MalformedXML', 400),
      tag: spec('InvalidTag', 400),
      // key, version-id, part-number, continuation-token, max-keys, argument
    },
    otherwise: spec('InvalidArgument', 400),
  },
  Conflict: {
    byResource: {
      'bucket-not-empty': spec('BucketNotEmpty', 409),
      'bucket-exists-owned': spec('BucketAlreadyOwnedByYou', 409),
      precondition: spec('PreconditionFailed', 412),
      'not-modified': spec('NotModified', 304),
    },
    otherwise: spec('OperationAborted', 409),
  },
  LimitExceeded: {
    byResource: {
      bucket: spec('TooManyBuckets', 400),
      'entity-too-large': spec('EntityTooLarge', 400),
    },
    otherwise: spec('InvalidRequest', 400),
  },
  Unauthenticated: spec('InvalidAccessKeyId', 403),
  AccessDenied: spec('AccessDenied', 403),
  Throttled: spec('SlowDown', 503),
  Unavailable: spec('ServiceUnavailable', 503),
  Internal: spec('InternalError', 500),
};

/** What the failed request was about, for the fields S3 adds to its errors. */
export interface S3ErrorSubject {
  readonly bucket?: string | undefined;
  readonly key?: string | undefined;
  readonly uploadId?: string | undefined;
  readonly versionId?: string | undefined;
}

export function toS3Error(error: AppError, subject: S3ErrorSubject = {}): S3Error {
  const { code, status, message } = resolveError(s3ErrorTable, error);
  return new S3Error(code, status, message, fieldsFor(code, subject));
}

function fieldsFor(code: string, subject: S3ErrorSubject): S3ErrorFields {
  switch (code) {
    case 'NoSuchBucket':
    case 'BucketNotEmpty':
    case 'BucketAlreadyOwnedByYou':
    case 'BucketAlreadyExists':
    case 'InvalidBucketName':
    case 'NoSuchTagSet':
      return { BucketName: subject.bucket };
    case 'NoSuchKey':
    case 'KeyTooLongError':
      return { Key: subject.key };
    case 'NoSuchVersion':
      return { Key: subject.key, VersionId: subject.versionId };
    case 'NoSuchUpload':
      return { UploadId: subject.uploadId };
    default:
      return {};
  }
}

export interface S3ErrorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Undefined for HEAD requests and 304s, which have no body. */
  readonly body: string | undefined;
}

export interface S3ErrorContext {
  readonly requestId: string;
  /** `x-amz-id-2`; derived from the request id when not given. */
  readonly hostId?: string;
  readonly method?: string;
}

/** The `<Error>` document and headers S3 answers a failed request with. */
export function renderS3Error(error: S3Error, context: S3ErrorContext): S3ErrorResponse {
  const hostId = context.hostId ?? hostIdFor(context.requestId);
  const headers = { 'x-amz-request-id': context.requestId, 'x-amz-id-2': hostId };
  if (context.method?.toUpperCase() === 'HEAD' || error.status === 304) {
    return { status: error.status, headers, body: undefined };
  }
  const elements: [string, string | number | undefined][] = [
    ['Code', error.code],
    ['Message', error.message],
    ...Object.entries(error.fields),
    ['RequestId', context.requestId],
    ['HostId', hostId],
  ];
  const inner = elements
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => `<${name}>${escapeXmlText(String(value))}</${name}>`)
    .join('');
  return {
    status: error.status,
    headers: { ...headers, 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${inner}</Error>`,
  };
}

/** A stable, opaque host id per request, shaped like S3's (base64). */
function hostIdFor(requestId: string): string {
  return createHash('sha256').update(requestId).digest('base64');
}

const xmlEscapes: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Text content for XML: markup characters escaped, and characters XML 1.0 cannot carry (C0
 * controls, including NUL, which keys may contain) and CR (which parsers would turn into LF) as
 * numeric references, as S3 writes them. Clients that cannot read those ask for `encoding-type=url`.
 */
export function escapeXmlText(value: string): string {
  return value.replace(
    // eslint-disable-next-line no-control-regex
    /[&<>\u0000-\u0008\u000B\u000C\u000D\u000E-\u001F\uFFFE\uFFFF]/g,
    (c) => xmlEscapes[c] ?? `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`,
  );
}
