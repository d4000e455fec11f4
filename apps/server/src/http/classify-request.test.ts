import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { classifyRequest } from './classify-request.ts';
import { parseRequestTarget } from './request-target.ts';

function classify(url: string, headers: Record<string, string> = {}, method = 'GET') {
  const request = { method, headers } as unknown as FastifyRequest;
  return classifyRequest(request, parseRequestTarget(url));
}

const scope = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=abc`;

describe('classifyRequest', () => {
  it('sends requests signed for s3 to the S3 door, whatever their path', () => {
    expect(classify('/health', { authorization: scope('s3') })).toBe('s3');
    expect(classify('/v1/repos/x', { authorization: scope('s3') })).toBe('s3');
    expect(
      classify('/_slipway/console/v1/builds/x/logs', { authorization: scope('codebuild') }),
    ).toBe('console');
  });

  it('sends requests signed for other services to the AWS door', () => {
    expect(classify('/', { authorization: scope('codecommit') })).toBe('aws');
    expect(classify('/', { authorization: scope('sts') })).toBe('aws');
  });

  it('recognises presigned S3 URLs, SigV4 and SigV2', () => {
    const credential = encodeURIComponent('AKIDEXAMPLE/20261122/us-east-1/s3/aws4_request');
    expect(classify(`/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${credential}`)).toBe(
      's3',
    );
    expect(classify('/b/k?AWSAccessKeyId=AKID&Expires=1&Signature=x')).toBe('s3');
    expect(classify('/b/k', { authorization: 'AWS AKID:c2lnbmF0dXJl' })).toBe('s3');
  });

  it('routes unsigned requests by path', () => {
    expect(classify('/health')).toBe('health');
    expect(classify('/v1/repos/demo/info/refs?service=git-upload-pack')).toBe('git');
    expect(classify('/regions/eu-west-1/v1/repos/demo/info/refs')).toBe('git');
    expect(classify('/_slipway/jobs/v1/claim', { authorization: 'Bearer slw_x' }, 'POST')).toBe(
      'jobs',
    );
    expect(classify('/anything')).toBe('aws');
  });

  it('leaves an unreadable scope to the AWS door, which names the signature error', () => {
    expect(classify('/', { authorization: 'AWS4-HMAC-SHA256 garbage' })).toBe('aws');
  });
});
