import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { AwsDoor } from '../aws-api/aws-door.ts';
import type { GitHttpDoor } from '../git-http/git-http-door.ts';
import { classifyRequest } from './classify-request.ts';
import { parseRequestTarget, type RequestTarget } from './request-target.ts';

export interface HttpAppDeps {
  readonly log: Logger;
  readonly aws: AwsDoor;
  /** Git smart HTTP at `/v1/repos/…`; without it those paths reach the AWS door. */
  readonly git?: GitHttpDoor;
  /** The console's own endpoints (`/_slipway/console/v1/…`: a build's log as SSE). */
  readonly console?: {
    handle(request: FastifyRequest, reply: FastifyReply, target: RequestTarget): Promise<void>;
  };
  /** The job protocol for runners and agents (`/_slipway/jobs/v1/…`). */
  readonly jobs?: {
    handle(request: FastifyRequest, reply: FastifyReply, target: RequestTarget): Promise<void>;
  };
  /** S3 requests (signed for `s3`); without it they reach the AWS door. */
  readonly s3?: {
    handle(request: FastifyRequest, reply: FastifyReply, target: RequestTarget): Promise<void>;
  };
}

const allMethods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

/**
 * One port, every door. Fastify's router cannot choose by signature, so a single catch-all
 * route hands each request to `classifyRequest`, which picks the door: signed requests by the
 * service in their credential scope, unsigned ones by path. Bodies are not parsed here; each
 * door streams its own (the AWS door hashes while reading, S3 and git stream without buffering).
 */
export function buildHttpApp(deps: HttpAppDeps) {
  const app = Fastify({
    loggerInstance: deps.log,
    // Requests are logged once, on response, by the hook below (4xx info, 5xx error).
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    exposeHeadRoutes: false,
    return503OnClosing: true,
    frameworkErrors: (error, _request, reply) => {
      void sendPlainError(reply, error.statusCode ?? 400, error.message);
    },
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

  app.addHook('onResponse', (request, reply, done) => {
    const entry = {
      reqId: request.id,
      method: request.method,
      url: request.url.length > 200 ? `${request.url.slice(0, 200)}…` : request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (reply.statusCode >= 500) deps.log.error(entry, 'request failed');
    else if (reply.statusCode >= 400) deps.log.info(entry, 'request refused');
    else deps.log.debug(entry, 'request');
    done();
  });

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status =
      error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) deps.log.error({ err: error, reqId: request.id }, 'unhandled error');
    return sendPlainError(reply, status, status >= 500 ? 'Internal error' : error.message);
  });

  app.route({
    method: allMethods,
    url: '*',
    handler: (request: FastifyRequest, reply: FastifyReply) => {
      const target = parseRequestTarget(request.url);
      const door = classifyRequest(request, target);
      switch (door) {
        case 'health':
          return reply.send({ status: 'ok' });
        case 'git':
          if (deps.git !== undefined) return deps.git.handle(request, reply, target);
          return deps.aws.handle(request, reply, target);
        case 's3':
          if (deps.s3 !== undefined) return deps.s3.handle(request, reply, target);
          return deps.aws.handle(request, reply, target);
        case 'jobs':
          if (deps.jobs !== undefined) return deps.jobs.handle(request, reply, target);
          return deps.aws.handle(request, reply, target);
        case 'console':
          if (deps.console !== undefined) return deps.console.handle(request, reply, target);
          return deps.aws.handle(request, reply, target);
        case 'aws':
          return deps.aws.handle(request, reply, target);
      }
    },
  });
  return app;
}

/** For failures before any door has the request; shaped like an AWS JSON error. */
function sendPlainError(reply: FastifyReply, status: number, message: string): FastifyReply {
  const code =
    status === 413
      ? 'RequestEntityTooLargeException'
      : status >= 500
        ? 'InternalFailure'
        : 'BadRequestException';
  return reply
    .status(status)
    .header('x-amzn-RequestId', reply.request.id)
    .header('x-amzn-ErrorType', code)
    .type('application/x-amz-json-1.1')
    .send(Buffer.from(JSON.stringify({ __type: code, message })));
}

/**
 * Stops accepting, lets in-flight requests finish, then resolves. Fastify reaps idle keep-alive
 * connections once, when closing starts; a connection whose request finishes later would hold
 * the shutdown until its keep-alive timeout (72 s), so idle ones are swept until closed.
 */
export async function closeHttpApp(app: ReturnType<typeof buildHttpApp>): Promise<void> {
  const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
  }
}
