import type { FastifyRequest } from 'fastify';
import { parseQuery } from '../aws-api/sigv4/canonical.ts';
import { hasAwsCredentials } from '../aws-api/sigv4/parse-auth.ts';

/** The doors a request can go through. Git, S3, registry and console join as they land. */
export type Door = 'health' | 'aws';

/**
 * Signed requests belong to the AWS door whatever their path (a bucket may be called `health`
 * or `v1`); unsigned ones go by path. Unsigned requests nobody else claims also go to the AWS
 * door, which answers them with MissingAuthenticationToken as AWS would.
 */
export function classifyRequest(request: FastifyRequest): Door {
  const q = request.url.indexOf('?');
  const path = q === -1 ? request.url : request.url.slice(0, q);
  const query = q === -1 ? [] : parseQuery(request.url.slice(q + 1));
  if (hasAwsCredentials({ headers: request.headers, query })) return 'aws';
  if (path === '/health' && (request.method === 'GET' || request.method === 'HEAD'))
    return 'health';
  return 'aws';
}
