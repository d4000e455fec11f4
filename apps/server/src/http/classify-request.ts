import type { FastifyRequest } from 'fastify';
import { hasAwsCredentials } from '../aws-api/sigv4/parse-auth.ts';
import type { RequestTarget } from './request-target.ts';

/** The doors a request can go through. Git, S3, registry and console join as they land. */
export type Door = 'health' | 'aws';

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
  return 'aws';
}
