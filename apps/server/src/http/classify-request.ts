import type { FastifyRequest } from 'fastify';
import { hasAwsCredentials } from '../aws-api/sigv4/parse-auth.ts';
import { jobsV1Path } from '@slipway/protocol';
import { consolePathPrefix } from '../console-http/build-log-events.ts';
import { gitPathPattern } from '../git-http/git-request.ts';
import type { RequestTarget } from './request-target.ts';

/** The doors a request can go through. Registry and console join as they land. */
export type Door = 'health' | 'aws' | 'git' | 's3' | 'jobs' | 'console';

/**
 * Signed requests belong to the AWS door whatever their path (a bucket may be called `health`
 * or `v1`); unsigned ones go by path. Unsigned requests nobody else claims also go to the AWS
 * door, which answers them with MissingAuthenticationToken as AWS would.
 */
export function classifyRequest(request: FastifyRequest, target: RequestTarget): Door {
  // Slipway's own paths first: no bucket name can start with `_`, so none is shadowed.
  if (target.rawPath.startsWith(`${jobsV1Path}/`)) return 'jobs';
  if (target.rawPath.startsWith(consolePathPrefix)) return 'console';
  const auth = { headers: request.headers, query: target.query };
  if (hasAwsCredentials(auth)) return signedService(auth) === 's3' ? 's3' : 'aws';
  if (target.rawPath === '/health' && (request.method === 'GET' || request.method === 'HEAD')) {
    return 'health';
  }
  // CodeCommit's git paths; git authenticates with HTTP Basic, never SigV4.
  if (gitPathPattern.test(target.rawPath)) return 'git';
  return 'aws';
}

/**
 * The service a signed request is for, from its SigV4 credential scope; `s3` for the SigV2
 * forms, which only S3 still accepts. Undefined when the scope cannot be read (the AWS door
 * then answers with the precise signature error).
 */
function signedService(input: { headers: FastifyRequest['headers']; query: [string, string][] }) {
  const header: string | undefined = input.headers.authorization;
  if (header?.startsWith('AWS ') === true) return 's3';
  const credential =
    header ?? input.query.find(([key]) => key === 'X-Amz-Credential')?.[1] ?? undefined;
  if (credential === undefined) {
    return input.query.some(([key]) => key === 'AWSAccessKeyId') ? 's3' : undefined;
  }
  return /\/[^/]*\/([a-z0-9-]+)\/aws4_request/.exec(credential)?.[1];
}
