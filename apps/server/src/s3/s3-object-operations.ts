import type { Checksums, ObjectVersion } from '@slipway/core';
import { readSmallBody, uploadBody } from './s3-body.ts';
import {
  bucketOf,
  copySource,
  header,
  keyOf,
  objectAttributes,
  parseRange,
  preconditions,
  versionHeaders,
  type S3Context,
  type S3Handler,
  type S3Response,
} from './s3-context.ts';
import { S3Errors, toS3Error } from './s3-errors.ts';
import { maxPartNumber, parseDeleteObjects } from './s3-request-bodies.ts';
import { xmlDocument } from './s3-xml.ts';

/** Query parameters that override a GET's response headers (signed URLs use them). */
const overrides: Readonly<Record<string, string>> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

/** Single objects: write, read, copy, delete. */
export const objectOperations: Record<string, S3Handler> = {
  PutObject: async (context) => {
    refuseConditionalWrite(context);
    const upload = uploadBody(
      context.body,
      context.headers,
      context.auth.payload,
      context.digestWorkers,
    );
    const version = await context.objects.putObject({
      scope: context.scope,
      bucket: bucketOf(context),
      key: keyOf(context),
      body: upload.body,
      describe: upload.describe,
      ...objectAttributes(context),
    });
    return { status: 200, headers: writeHeaders(version) };
  },

  GetObject: (context) => read(context, true),
  HeadObject: (context) => read(context, false),

  CopyObject: async (context) => {
    refuseConditionalWrite(context);
    const directive = header(context, 'x-amz-metadata-directive')?.toUpperCase() ?? 'COPY';
    if (directive !== 'COPY' && directive !== 'REPLACE') {
      throw S3Errors.invalidArgument('Unknown metadata directive.');
    }
    const { version, sourceVersion } = await context.objects.copyObject({
      scope: context.scope,
      source: copySource(context),
      target: { bucket: bucketOf(context), key: keyOf(context) },
      metadataDirective: directive,
      ...(directive === 'REPLACE' ? objectAttributes(context) : {}),
      sourceConditions: preconditions(context, 'x-amz-copy-source-'),
    });
    return {
      status: 200,
      headers: {
        'content-type': 'application/xml',
        ...(sourceVersion.versionId === 'null'
          ? {}
          : { 'x-amz-copy-source-version-id': sourceVersion.versionId }),
        ...(version.versionId === 'null' ? {} : { 'x-amz-version-id': version.versionId }),
      },
      body: xmlDocument('CopyObjectResult', {
        ETag: version.etag,
        LastModified: new Date(version.lastModified),
      }),
    };
  },

  DeleteObject: async (context) => {
    refuseConditionalWrite(context);
    const versionId = context.query.get('versionId');
    const result = await context.objects.deleteObject({
      scope: context.scope,
      bucket: bucketOf(context),
      key: keyOf(context),
      ...(versionId === undefined ? {} : { versionId }),
    });
    return {
      status: 204,
      headers: {
        ...(result.deleteMarker ? { 'x-amz-delete-marker': 'true' } : {}),
        ...(result.versionId === undefined ? {} : { 'x-amz-version-id': result.versionId }),
      },
    };
  },

  DeleteObjects: async (context) => {
    const request = parseDeleteObjects(await readSmallBody(context.body));
    const bucket = bucketOf(context);
    const results = await context.objects.deleteObjects(context.scope, bucket, request.objects);
    const deleted = [];
    const errors = [];
    for (const result of results) {
      if ('error' in result) {
        const error = toS3Error(result.error, { bucket, key: result.key });
        errors.push({
          Key: result.key,
          VersionId: result.versionId,
          Code: error.code,
          Message: error.message,
        });
      } else if (!request.quiet) {
        deleted.push({
          Key: result.key,
          VersionId: result.versionId,
          DeleteMarker: result.deleted.deleteMarker ? true : undefined,
          DeleteMarkerVersionId: result.deleted.deleteMarker ? result.deleted.versionId : undefined,
        });
      }
    }
    return {
      status: 200,
      headers: { 'content-type': 'application/xml' },
      body: xmlDocument('DeleteResult', { Deleted: deleted, Error: errors }),
    };
  },
};

async function read(context: S3Context, withBody: boolean): Promise<S3Response> {
  const versionId = context.query.get('versionId');
  const range = parseRange(header(context, 'range'));
  const partNumber = readPartNumber(context);
  const input = {
    scope: context.scope,
    bucket: bucketOf(context),
    key: keyOf(context),
    ...(versionId === undefined ? {} : { versionId }),
    ...(range === undefined ? {} : { range }),
    ...(partNumber === undefined ? {} : { partNumber }),
    conditions: preconditions(context),
  };
  const result = withBody
    ? await context.objects.getObject(input)
    : { ...(await context.objects.headObject(input)), body: undefined };
  const { version } = result;
  const headers: Record<string, string> = versionHeaders(version, false);
  for (const [parameter, name] of Object.entries(overrides)) {
    const value = context.query.get(parameter);
    if (value !== undefined) headers[name] = value;
  }
  const partial = result.range !== undefined && result.range.end >= result.range.start;
  if (result.range !== undefined && partial) {
    const { start, end, total } = result.range;
    headers['content-range'] = `bytes ${start}-${end}/${total}`;
    headers['content-length'] = String(end - start + 1);
  } else {
    headers['content-length'] = String(version.size);
    if (header(context, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') {
      Object.assign(headers, checksumHeaders(version.checksums));
    }
  }
  return {
    status: partial ? 206 : 200,
    headers,
    ...(result.body === undefined ? {} : { body: result.body }),
  };
}

/** Headers that make a write or delete conditional on the object it replaces. */
const writeConditions = [
  'if-match',
  'if-none-match',
  'x-amz-if-match-last-modified-time',
  'x-amz-if-match-size',
];

/**
 * S3's conditional writes (`If-None-Match: *` to create only, `If-Match` to replace only a
 * known version) are not implemented: refuse them rather than overwrite what the client meant
 * to protect, as S3 answers headers implying functionality it lacks.
 */
export function refuseConditionalWrite(context: S3Context): void {
  const name = writeConditions.find((n) => header(context, n) !== undefined);
  if (name !== undefined) {
    throw S3Errors.notImplemented(
      `Slipway does not implement conditional writes; the ${name} header cannot be honoured.`,
    );
  }
}

/**
 * GetObject/HeadObject `partNumber`: that part of a multipart object alone (206), as SDK
 * transfer managers download them in parallel; part 1 of any other object is all of it.
 */
function readPartNumber(context: S3Context): number | undefined {
  const value = context.query.get('partNumber');
  if (value === undefined) return undefined;
  const partNumber = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(partNumber >= 1 && partNumber <= maxPartNumber)) {
    throw S3Errors.invalidArgument(
      `Part number must be an integer between 1 and ${maxPartNumber}, inclusive`,
      'partNumber',
      value,
    );
  }
  return partNumber;
}

export function writeHeaders(version: ObjectVersion): Record<string, string> {
  return {
    etag: version.etag,
    ...(version.versionId === 'null' ? {} : { 'x-amz-version-id': version.versionId }),
    ...checksumHeaders(version.checksums),
  };
}

function checksumHeaders(checksums: Checksums): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(checksums)) {
    if (typeof value === 'string') out[`x-amz-checksum-${name}`] = value;
  }
  return out;
}
