import { describe, expect, it } from 'vitest';
import { parseQuery } from '../aws-api/sigv4/canonical.ts';
import { bucketFromHost, parseS3Request, type S3RouteResult } from './s3-route.ts';

const serviceHosts = ['localhost', 's3.localhost', 's3.slipway.example'];

function route(
  method: string,
  target: string,
  options: { host?: string; headers?: Record<string, string> } = {},
): S3RouteResult {
  const q = target.indexOf('?');
  return parseS3Request({
    method,
    rawPath: q === -1 ? target : target.slice(0, q),
    query: parseQuery(q === -1 ? '' : target.slice(q + 1)),
    headers: options.headers ?? {},
    host: options.host ?? '127.0.0.1:4750',
    serviceHosts,
  });
}

function operation(method: string, target: string, headers?: Record<string, string>): string {
  const result = route(method, target, { headers });
  return 'error' in result ? `error:${result.error.code}` : result.operation;
}

describe('parseS3Request addressing', () => {
  it('takes the bucket from the first path segment in path style', () => {
    expect(route('GET', '/b/dir/file.txt')).toEqual({
      operation: 'GetObject',
      bucket: 'b',
      key: 'dir/file.txt',
      addressing: 'path',
    });
  });

  it('takes the bucket from the Host in virtual-hosted style, ignoring case and port', () => {
    expect(route('GET', '/dir/file.txt', { host: 'My.Bucket.S3.Localhost:4750' })).toEqual({
      operation: 'GetObject',
      bucket: 'my.bucket',
      key: 'dir/file.txt',
      addressing: 'virtual-hosted',
    });
    expect(route('GET', '/?list-type=2', { host: 'b.s3.slipway.example' })).toEqual({
      operation: 'ListObjectsV2',
      bucket: 'b',
      addressing: 'virtual-hosted',
    });
  });

  it('treats a bare service host, an IP or an unknown host as path style', () => {
    for (const host of [
      's3.localhost:4750',
      'localhost',
      '127.0.0.1:4750',
      '[::1]:4750',
      'x.test',
    ]) {
      const result = route('GET', '/b/k', { host });
      expect(result).toMatchObject({ bucket: 'b', key: 'k', addressing: 'path' });
    }
    expect(route('GET', '/b/k', { host: undefined as unknown as string })).toMatchObject({
      bucket: 'b',
    });
  });

  it('prefers the longest service host suffix', () => {
    expect(bucketFromHost('b.s3.localhost', serviceHosts)).toBe('b');
    expect(bucketFromHost('s3.localhost', serviceHosts)).toBeUndefined();
    expect(bucketFromHost('b.localhost:80', serviceHosts)).toBe('b');
    expect(bucketFromHost('b.other.test', serviceHosts)).toBeUndefined();
  });

  it('decodes the key exactly once and never normalizes it', () => {
    const cases: [string, string][] = [
      ['/b/a%2Fb', 'a/b'],
      ['/b/a%252F', 'a%2F'],
      ['/b/a+b%20c', 'a+b c'],
      ['/b/../x/./y', '../x/./y'],
      ['/b//lead//double/', '/lead//double/'],
      ['/b/nul%00byte', 'nul\u0000byte'],
      ['/b/%C3%A9t%C3%A9', 'été'],
      ["/b/~!$&'()*,;=:@", "~!$&'()*,;=:@"],
    ];
    for (const [path, key] of cases) expect(route('GET', path)).toMatchObject({ bucket: 'b', key });
    expect(route('GET', '/..', { host: 'b.s3.localhost' })).toMatchObject({
      bucket: 'b',
      key: '..',
    });
  });

  it('answers InvalidURI for a malformed escape or a path that is not absolute', () => {
    expect(operation('GET', '/b/bad%E0%A4%A')).toBe('error:InvalidURI');
    expect(operation('GET', '/b/%zz')).toBe('error:InvalidURI');
    expect(operation('GET', 'http://x/b')).toBe('error:InvalidURI');
    expect(operation('GET', '//k')).toBe('error:InvalidURI');
  });
});

describe('parseS3Request operations', () => {
  it('maps service and bucket requests', () => {
    const table: [string, string, string][] = [
      ['GET', '/', 'ListBuckets'],
      ['GET', '/?x-id=ListBuckets', 'ListBuckets'],
      ['PUT', '/b', 'CreateBucket'],
      ['HEAD', '/b', 'HeadBucket'],
      ['DELETE', '/b/', 'DeleteBucket'],
      ['GET', '/b?location', 'GetBucketLocation'],
      ['GET', '/b?versioning', 'GetBucketVersioning'],
      ['PUT', '/b?versioning', 'PutBucketVersioning'],
      ['GET', '/b?list-type=2&encoding-type=url', 'ListObjectsV2'],
      ['GET', '/b/?list-type=2', 'ListObjectsV2'],
      ['GET', '/b?prefix=a&delimiter=%2F', 'ListObjects'],
      ['GET', '/b?versions&prefix=a', 'ListObjectVersions'],
      ['GET', '/b?uploads', 'ListMultipartUploads'],
      ['POST', '/b?delete', 'DeleteObjects'],
      ['POST', '/b?delete=&x-id=DeleteObjects', 'DeleteObjects'],
      ['GET', '/b?tagging', 'GetBucketTagging'],
      ['PUT', '/b?tagging', 'PutBucketTagging'],
      ['DELETE', '/b?tagging', 'DeleteBucketTagging'],
    ];
    for (const [method, target, expected] of table) {
      expect(`${method} ${target} → ${operation(method, target)}`).toBe(
        `${method} ${target} → ${expected}`,
      );
    }
  });

  it('maps object requests', () => {
    const copy = { 'x-amz-copy-source': '/src/key' };
    const table: [string, string, string, Record<string, string>?][] = [
      ['PUT', '/b/k?x-id=PutObject', 'PutObject'],
      ['PUT', '/b/k', 'CopyObject', copy],
      ['GET', '/b/k?versionId=v1&partNumber=2', 'GetObject'],
      ['HEAD', '/b/k', 'HeadObject'],
      ['DELETE', '/b/k?versionId=v1', 'DeleteObject'],
      ['POST', '/b/k?uploads', 'CreateMultipartUpload'],
      ['PUT', '/b/k?partNumber=1&uploadId=u', 'UploadPart'],
      ['PUT', '/b/k?partNumber=1&uploadId=u', 'UploadPartCopy', copy],
      ['POST', '/b/k?uploadId=u', 'CompleteMultipartUpload'],
      ['DELETE', '/b/k?uploadId=u', 'AbortMultipartUpload'],
      ['GET', '/b/k?uploadId=u&max-parts=10', 'ListParts'],
      ['GET', '/b/k?tagging', 'GetObjectTagging'],
      ['PUT', '/b/k?tagging&versionId=v', 'PutObjectTagging'],
      ['DELETE', '/b/k?tagging', 'DeleteObjectTagging'],
    ];
    for (const [method, target, expected, headers] of table) {
      expect(`${method} ${target} → ${operation(method, target, headers)}`).toBe(
        `${method} ${target} → ${expected}`,
      );
    }
  });

  it('answers NotImplemented for S3 sub-resources Slipway does not serve', () => {
    for (const target of ['/b?acl', '/b?policy', '/b?lifecycle', '/b/k?acl', '/b/k?restore']) {
      expect(operation('GET', target)).toBe('error:NotImplemented');
    }
    expect(operation('POST', '/b')).toBe('error:NotImplemented');
    const result = route('GET', '/b?website');
    expect('error' in result && result.error.status).toBe(501);
  });

  it('answers MethodNotAllowed for a method the resource does not have', () => {
    expect(operation('PUT', '/')).toBe('error:MethodNotAllowed');
    expect(operation('POST', '/b?location')).toBe('error:MethodNotAllowed');
    expect(operation('PUT', '/b?uploads')).toBe('error:MethodNotAllowed');
    expect(operation('POST', '/b/k')).toBe('error:MethodNotAllowed');
    expect(operation('HEAD', '/b/k?uploadId=u')).toBe('error:MethodNotAllowed');
    const result = route('PATCH', '/b/k');
    expect('error' in result && result.error.fields).toEqual({
      Method: 'PATCH',
      ResourceType: 'OBJECT',
    });
  });

  it('rejects a half-specified part upload and an unknown list type', () => {
    expect(operation('PUT', '/b/k?uploadId=u')).toBe('error:InvalidRequest');
    expect(operation('PUT', '/b/k?partNumber=1')).toBe('error:InvalidRequest');
    expect(operation('GET', '/b?list-type=3')).toBe('error:InvalidArgument');
  });
});
