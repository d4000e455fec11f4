import { AppError, type AppErrorKind } from '@slipway/core';
import { describe, expect, it } from 'vitest';
import { renderS3Error, S3Error, S3Errors, toS3Error } from './s3-errors.ts';
import { parseXml } from './s3-xml.ts';

function fromCore(kind: AppErrorKind, resource?: string) {
  const error = toS3Error(new AppError(kind, 'm', { resource }), {
    bucket: 'b',
    key: 'k',
    uploadId: 'u',
  });
  return { code: error.code, status: error.status, fields: error.fields };
}

describe('toS3Error', () => {
  it('maps kind and subject to the S3 code, status and fields', () => {
    const table: [AppErrorKind, string | undefined, string, number][] = [
      ['NotFound', 'bucket', 'NoSuchBucket', 404],
      ['NotFound', 'key', 'NoSuchKey', 404],
      ['NotFound', 'version', 'NoSuchVersion', 404],
      ['NotFound', 'upload', 'NoSuchUpload', 404],
      ['InvalidInput', 'bucket-name', 'InvalidBucketName', 400],
      ['Conflict', 'bucket-not-empty', 'BucketNotEmpty', 409],
      ['AlreadyExists', 'bucket-exists-owned', 'BucketAlreadyOwnedByYou', 409],
      ['InvalidInput', 'part', 'InvalidPart', 400],
      ['InvalidInput', 'part-order', 'InvalidPartOrder', 400],
      ['InvalidInput', 'entity-too-small', 'EntityTooSmall', 400],
      ['InvalidInput', 'range', 'InvalidRange', 416],
      ['InvalidInput', 'precondition', 'PreconditionFailed', 412],
      ['Conflict', 'precondition', 'PreconditionFailed', 412],
      ['InvalidInput', 'digest', 'BadDigest', 400],
      ['InvalidInput', 'key-too-long', 'KeyTooLongError', 400],
      ['InvalidInput', 'key', 'InvalidArgument', 400],
      ['InvalidInput', 'continuation-token', 'InvalidArgument', 400],
      ['InvalidInput', 'malformed', 'MalformedXML', 400],
      ['InvalidInput', 'versioning', 'IllegalVersioningConfigurationException', 400],
      ['InvalidInput', 'delete-marker-version', 'MethodNotAllowed', 405],
      ['InvalidInput', 'copy-to-itself', 'InvalidRequest', 400],
      ['InvalidInput', undefined, 'InvalidArgument', 400],
      ['NotFound', 'delete-marker', 'NoSuchKey', 404],
      ['AlreadyExists', 'bucket-exists', 'BucketAlreadyExists', 409],
      ['Conflict', 'not-modified', 'NotModified', 304],
      ['Conflict', undefined, 'OperationAborted', 409],
      ['AccessDenied', undefined, 'AccessDenied', 403],
      ['Unauthenticated', undefined, 'InvalidAccessKeyId', 403],
      ['Throttled', undefined, 'SlowDown', 503],
      ['Internal', undefined, 'InternalError', 500],
    ];
    for (const [kind, resource, code, status] of table) {
      expect([
        kind,
        resource,
        fromCore(kind, resource).code,
        fromCore(kind, resource).status,
      ]).toEqual([kind, resource, code, status]);
    }
    expect(fromCore('NotFound', 'bucket').fields).toEqual({ BucketName: 'b' });
    expect(fromCore('NotFound', 'key').fields).toEqual({ Key: 'k' });
    expect(fromCore('NotFound', 'upload').fields).toEqual({ UploadId: 'u' });
  });

  it('keeps the core message with its validation problems', () => {
    const error = toS3Error(
      AppError.invalidInput('bad request', [{ path: 'key', message: 'too long' }]),
    );
    expect(error.message).toBe('bad request: key: too long');
  });
});

describe('renderS3Error', () => {
  it('writes the S3 <Error> document with fields, request id and host id', () => {
    const response = renderS3Error(
      new S3Error('NoSuchKey', 404, 'The specified key does not exist.', {
        Key: 'a<&>\u0000',
        Absent: undefined,
      }),
      { requestId: 'req-1', hostId: 'host-1' },
    );
    expect(response.status).toBe(404);
    expect(response.headers).toEqual({
      'x-amz-request-id': 'req-1',
      'x-amz-id-2': 'host-1',
      'content-type': 'application/xml',
    });
    expect(response.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code>' +
        '<Message>The specified key does not exist.</Message><Key>a&lt;&amp;&gt;&#x0;</Key>' +
        '<RequestId>req-1</RequestId><HostId>host-1</HostId></Error>',
    );
    const doc = parseXml(response.body as string);
    expect(doc.children.map((c) => c.name)).toEqual([
      'Code',
      'Message',
      'Key',
      'RequestId',
      'HostId',
    ]);
  });

  it('sends no body for 304 Not Modified', () => {
    const response = renderS3Error(new S3Error('NotModified', 304, 'Not Modified'), {
      requestId: 'r',
    });
    expect(response.body).toBeUndefined();
  });

  it('sends no body for HEAD and derives a stable host id', () => {
    const head = renderS3Error(S3Errors.accessDenied(), { requestId: 'r', method: 'HEAD' });
    expect(head.body).toBeUndefined();
    expect(head.status).toBe(403);
    expect(head.headers['x-amz-id-2']).toBe(
      renderS3Error(S3Errors.accessDenied(), { requestId: 'r' }).headers['x-amz-id-2'],
    );
  });
});
