import type { FastifyRequest } from 'fastify';
import { hasAwsCredentials } from '../aws-api/sigv4/parse-auth.ts';
import { gitPathPattern } from '../git-http/git-request.ts';
import type { RequestTarget } from './request-target.ts';

/** The doors a request can go through. S3, registry and console join as they land. */
export type Door = 'health' | 'aws' | 'git';

/**
 * Signed requests belong to the AWS door whatever their path (a bucket may be called `health`
 * or `v1`); unsigned ones go by path. Unsigned requests nobody else claims also go to the AWS
 * door, which answers them with MissingAuthenticationToken as AWS would.
 */
export function classifyRequest(request: FastifyRequest, target: RequestTarget): Door {
  if (hasAwsCredentials({ headers: request.headers, query: target.query })) return 'aws';
  if (target.rawPath === '/health' && (request.method === 'GET' || request.method === 'HEAD')) {
    return 'health';
  }
  // CodeCommit's git paths; git authenticates with HTTP Basic, never SigV4.
  if (gitPathPattern.test(target.rawPath)) return 'git';
  return 'aws';
}
