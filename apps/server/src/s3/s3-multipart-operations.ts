import { readSmallBody, uploadBody } from './s3-body.ts';
import {
  bucketOf,
  copySource,
  encodeKey,
  header,
  integerParam,
  keyOf,
  objectAttributes,
  preconditions,
  type S3Context,
  type S3Handler,
  type S3Response,
} from './s3-context.ts';
import { S3Errors } from './s3-errors.ts';
import { refuseConditionalWrite, writeHeaders } from './s3-object-operations.ts';
import { maxPartNumber, parseCompleteMultipartUpload } from './s3-request-bodies.ts';
import { xmlDocument } from './s3-xml.ts';

const xml = (root: string, value: Parameters<typeof xmlDocument>[1], headers = {}): S3Response => ({
  status: 200,
  headers: { 'content-type': 'application/xml', ...headers },
  body: xmlDocument(root, value),
});

function uploadIdOf(context: S3Context): string {
  const uploadId = context.query.get('uploadId');
  if (uploadId === undefined || uploadId === '')
    throw S3Errors.invalidRequest('uploadId is required.');
  return uploadId;
}

function partNumberOf(context: S3Context): number {
  const value = context.query.get('partNumber') ?? '';
  const partNumber = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(partNumber >= 1 && partNumber <= maxPartNumber)) {
    throw S3Errors.invalidArgument(
      `Part number must be an integer between 1 and ${maxPartNumber}, inclusive`,
      'partNumber',
      value,
    );
  }
  return partNumber;
}

/** The object's URL in the addressing style the client used (the Host names the bucket or not). */
function objectUrl(context: S3Context, bucket: string, key: string): string {
  const path = context.route.addressing === 'virtual-hosted' ? '' : `/${bucket}`;
  return `${context.baseUrl}${path}/${encodeURIComponent(key)}`;
}

/** Multipart uploads: parts are stored as they come; completing one makes the object. */
export const multipartOperations: Record<string, S3Handler> = {
  CreateMultipartUpload: async (context) => {
    const algorithm = header(context, 'x-amz-checksum-algorithm');
    const upload = await context.objects.createMultipartUpload({
      scope: context.scope,
      bucket: bucketOf(context),
      key: keyOf(context),
      ...objectAttributes(context),
      ...(algorithm === undefined ? {} : { checksumAlgorithm: algorithm.toUpperCase() }),
    });
    return xml('InitiateMultipartUploadResult', {
      Bucket: upload.bucket,
      Key: upload.key,
      UploadId: upload.uploadId,
    });
  },

  UploadPart: async (context) => {
    const upload = uploadBody(
      context.body,
      context.headers,
      context.auth.payload,
      context.digestWorkers,
    );
    const part = await context.objects.uploadPart({
      scope: context.scope,
      bucket: bucketOf(context),
      key: keyOf(context),
      uploadId: uploadIdOf(context),
      partNumber: partNumberOf(context),
      body: upload.body,
      describe: upload.describe,
    });
    return { status: 200, headers: { etag: part.etag } };
  },

  UploadPartCopy: async (context) => {
    const rangeHeader = header(context, 'x-amz-copy-source-range');
    const range = rangeHeader === undefined ? undefined : /^bytes=(\d+)-(\d+)$/.exec(rangeHeader);
    if (rangeHeader !== undefined && (range === null || range === undefined)) {
      throw S3Errors.invalidArgument(
        'The x-amz-copy-source-range value must be of the form bytes=first-last.',
      );
    }
    const { part } = await context.objects.uploadPartCopy({
      scope: context.scope,
      bucket: bucketOf(context),
      key: keyOf(context),
      uploadId: uploadIdOf(context),
      partNumber: partNumberOf(context),
      source: copySource(context),
      ...(range === undefined || range === null
        ? {}
        : { range: { start: Number(range[1]), end: Number(range[2]) } }),
      sourceConditions: preconditions(context, 'x-amz-copy-source-'),
    });
    return xml('CopyPartResult', { ETag: part.etag, LastModified: new Date(part.lastModified) });
  },

  CompleteMultipartUpload: async (context) => {
    refuseConditionalWrite(context);
    const parts = parseCompleteMultipartUpload(await readSmallBody(context.body));
    const version = await context.objects.completeMultipartUpload({
      scope: context.scope,
      bucket: bucketOf(context),
      key: keyOf(context),
      uploadId: uploadIdOf(context),
      parts: parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })),
    });
    return xml(
      'CompleteMultipartUploadResult',
      {
        Location: objectUrl(context, version.bucket, version.key),
        Bucket: version.bucket,
        Key: version.key,
        ETag: version.etag,
      },
      writeHeaders(version),
    );
  },

  AbortMultipartUpload: async (context) => {
    await context.objects.abortMultipartUpload({
      scope: context.scope,
      bucket: bucketOf(context),
      key: keyOf(context),
      uploadId: uploadIdOf(context),
    });
    return { status: 204 };
  },

  ListParts: async (context) => {
    const maxParts = integerParam(context, 'max-parts', 1000) ?? 1000;
    const marker = integerParam(context, 'part-number-marker', maxPartNumber);
    const page = await context.objects.listParts({
      scope: context.scope,
      bucket: bucketOf(context),
      key: keyOf(context),
      uploadId: uploadIdOf(context),
      ...(marker === undefined ? {} : { partNumberMarker: marker }),
      maxParts,
    });
    return xml('ListPartsResult', {
      Bucket: page.upload.bucket,
      Key: page.upload.key,
      UploadId: page.upload.uploadId,
      PartNumberMarker: marker ?? 0,
      NextPartNumberMarker: page.nextPartNumberMarker,
      MaxParts: maxParts,
      IsTruncated: page.isTruncated,
      Part: page.parts.map((p) => ({
        PartNumber: p.partNumber,
        LastModified: new Date(p.lastModified),
        ETag: p.etag,
        Size: p.size,
      })),
      StorageClass: 'STANDARD',
    });
  },

  ListMultipartUploads: async (context) => {
    const { query } = context;
    const maxUploads = integerParam(context, 'max-uploads', 1000) ?? 1000;
    const prefix = query.get('prefix');
    const delimiter = query.get('delimiter');
    const keyMarker = query.get('key-marker');
    const uploadIdMarker = query.get('upload-id-marker');
    const page = await context.objects.listMultipartUploads({
      scope: context.scope,
      bucket: bucketOf(context),
      ...(prefix === undefined ? {} : { prefix }),
      ...(delimiter === undefined ? {} : { delimiter }),
      ...(keyMarker === undefined ? {} : { keyMarker }),
      ...(uploadIdMarker === undefined ? {} : { uploadIdMarker }),
      maxUploads,
    });
    return xml('ListMultipartUploadsResult', {
      Bucket: bucketOf(context),
      KeyMarker: encodeKey(context, keyMarker) ?? '',
      UploadIdMarker: uploadIdMarker ?? '',
      NextKeyMarker: encodeKey(context, page.nextKeyMarker),
      NextUploadIdMarker: page.nextUploadIdMarker,
      Prefix: encodeKey(context, prefix),
      Delimiter: encodeKey(context, delimiter),
      MaxUploads: maxUploads,
      IsTruncated: page.isTruncated,
      EncodingType: query.get('encoding-type'),
      Upload: page.uploads.map((u) => ({
        Key: encodeKey(context, u.key),
        UploadId: u.uploadId,
        Initiated: new Date(u.initiatedAt),
        StorageClass: 'STANDARD',
      })),
      CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encodeKey(context, p) })),
    });
  },
};
