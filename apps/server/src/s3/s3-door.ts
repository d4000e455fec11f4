import { Readable } from 'node:stream';
import { isAppError, isObjectVersionError, type ObjectsService } from '@slipway/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { DigestWorkers } from '../objects/digest-workers.ts';
import type { RequestTarget } from '../http/request-target.ts';
import type { S3Authenticator } from './s3-auth.ts';
import { bucketOperations } from './s3-bucket-operations.ts';
import type { S3Handler, S3Response } from './s3-context.ts';
import { isS3Error, renderS3Error, S3Errors, toS3Error, type S3Error } from './s3-errors.ts';
import { multipartOperations } from './s3-multipart-operations.ts';
import { objectOperations } from './s3-object-operations.ts';
import { parseS3Request, type S3Route } from './s3-route.ts';

export interface S3DoorDeps {
  readonly objects: ObjectsService;
  readonly authenticator: S3Authenticator;
  /** Host names S3 answers under; `<bucket>.<name>` is a virtual-hosted request. */
  readonly serviceHosts: readonly string[];
  readonly defaultRegion: string;
  readonly log: Logger;
  /** Hash large uploads off the event loop; on it without. */
  readonly digestWorkers?: DigestWorkers | undefined;
}

const handlers: Readonly<Record<string, S3Handler>> = {
  ...bucketOperations,
  ...objectOperations,
  ...multipartOperations,
};

/**
 * The S3 REST door: route (path or virtual-hosted style), authenticate from the request line
 * and headers alone, run the operation with the body still streaming, answer in S3's XML.
 * Every failure leaves as S3's `<Error>` document; only a bug is a 500.
 */
export class S3Door {
  readonly #deps: S3DoorDeps;

  constructor(deps: S3DoorDeps) {
    this.#deps = deps;
  }

  async handle(request: FastifyRequest, reply: FastifyReply, target: RequestTarget): Promise<void> {
    let route: S3Route | undefined;
    let response: S3Response;
    try {
      const parsed = parseS3Request({
        method: request.method,
        rawPath: target.rawPath,
        query: target.query,
        headers: request.headers,
        host: request.headers.host,
        serviceHosts: this.#deps.serviceHosts,
      });
      if ('error' in parsed) throw parsed.error;
      route = parsed;
      const auth = await this.#deps.authenticator.authenticate({
        method: request.method,
        rawPath: target.rawPath,
        rawQuery: target.rawQuery,
        query: target.query,
        headers: request.headers,
        rawHeaders: request.raw.rawHeaders,
        hostBucket: route.addressing === 'virtual-hosted' ? route.bucket : undefined,
      });
      const handler = handlers[route.operation];
      if (handler === undefined) throw S3Errors.notImplemented();
      response = await handler({
        objects: this.#deps.objects,
        scope: {
          accountId: auth.principal.accountId,
          region: auth.region ?? this.#deps.defaultRegion,
        },
        route,
        auth,
        method: request.method,
        headers: request.headers,
        query: new Map(target.query),
        body: request.raw,
        baseUrl: `${request.protocol}://${request.headers.host ?? 'localhost'}`,
        digestWorkers: this.#deps.digestWorkers,
      });
    } catch (error) {
      response = this.#errorResponse(request, route, error);
    }
    await this.#send(request, reply, response);
  }

  #errorResponse(request: FastifyRequest, route: S3Route | undefined, error: unknown): S3Response {
    let s3Error: S3Error;
    let extra: Record<string, string> = {};
    if (isS3Error(error)) {
      s3Error = error;
    } else if (isAppError(error)) {
      const versionId = new URL(request.url, 'http://x').searchParams.get('versionId');
      s3Error = toS3Error(error, {
        ...(route?.bucket === undefined ? {} : { bucket: route.bucket }),
        ...(route?.key === undefined ? {} : { key: route.key }),
        ...(versionId === null ? {} : { versionId }),
      });
      if (isObjectVersionError(error)) {
        const { version } = error;
        extra = {
          ...(version.isDeleteMarker ? { 'x-amz-delete-marker': 'true' } : {}),
          ...(version.versionId === 'null' ? {} : { 'x-amz-version-id': version.versionId }),
          ...(version.isDeleteMarker
            ? {}
            : {
                etag: version.etag,
                'last-modified': new Date(version.lastModified).toUTCString(),
              }),
        };
      }
    } else {
      this.#deps.log.error({ err: error, reqId: request.id }, 'S3 request failed unexpectedly');
      s3Error = S3Errors.internal();
    }
    const rendered = renderS3Error(s3Error, { requestId: request.id, method: request.method });
    return {
      status: rendered.status,
      headers: { ...rendered.headers, ...extra },
      ...(rendered.body === undefined ? {} : { body: rendered.body }),
    };
  }

  async #send(request: FastifyRequest, reply: FastifyReply, response: S3Response): Promise<void> {
    // An upload refused before its body was read: close rather than drain gigabytes.
    if (!request.raw.complete && (request.method === 'PUT' || request.method === 'POST')) {
      reply.header('connection', 'close');
    }
    reply.status(response.status).headers({
      'x-amz-request-id': request.id,
      'x-amz-id-2': request.id,
      ...response.headers,
    });
    const { body } = response;
    if (body === undefined || request.method === 'HEAD') {
      await reply.send();
    } else if (typeof body === 'string') {
      await reply.send(Buffer.from(body));
    } else {
      await reply.send(Readable.from(body, { objectMode: false }));
    }
  }
}
