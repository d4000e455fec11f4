import type { BuildsService, IdentityService } from '@slipway/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AwsErrors } from '../aws-api/aws-error.ts';
import { parseSignatureClaim } from '../aws-api/sigv4/parse-auth.ts';
import { SigningKeyCache, verifySignature } from '../aws-api/sigv4/verify-signature.ts';
import type { RequestTarget } from '../http/request-target.ts';

export const consolePathPrefix = '/_slipway/console/v1/';

export interface BuildLogEventsDeps {
  readonly builds: BuildsService;
  readonly identity: Pick<IdentityService, 'findSigningIdentity'>;
  readonly now: () => number;
  readonly log: Logger;
  /** A comment line this often keeps proxies from closing an idle stream. */
  readonly keepAliveMs?: number;
}

const emptySha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const logPath = /^\/_slipway\/console\/v1\/builds\/([^/]+)\/logs$/;

/**
 * A build's log as server-sent events, for the console and `curl -N`: every event since
 * `Last-Event-ID` (or `?after=`), then new ones as the runner sends them, on any replica, until
 * the build has ended (`event: end`). Requests are SigV4-signed for `codebuild` — in headers,
 * or presigned in the query for EventSource, which cannot set headers.
 */
export class BuildLogEvents {
  readonly #deps: BuildLogEventsDeps;
  readonly #signingKeys = new SigningKeyCache();

  constructor(deps: BuildLogEventsDeps) {
    this.#deps = deps;
  }

  static matches(path: string): boolean {
    return path.startsWith(consolePathPrefix);
  }

  async handle(request: FastifyRequest, reply: FastifyReply, target: RequestTarget): Promise<void> {
    const match = logPath.exec(target.rawPath);
    if (request.method !== 'GET' || match === null) {
      return sendError(reply, 404, 'NotFound', 'No such console resource.');
    }
    let scope: { accountId: string; region: string };
    try {
      scope = await this.#authenticate(request, target);
    } catch (error) {
      const message = error instanceof Error ? error.message : 'Not signed.';
      return sendError(reply, 403, 'AccessDenied', message);
    }
    const buildId = decodeURIComponent(match[1] ?? '');
    const lastId = request.headers['last-event-id'] ?? new Map(target.query).get('after') ?? '0';
    const after = /^\d+$/.test(String(lastId)) ? Number(lastId) : 0;
    if ((await this.#deps.builds.findBuild(scope, buildId)) === undefined) {
      return sendError(reply, 404, 'ResourceNotFoundException', `Build ${buildId} not found`);
    }
    const gone = new AbortController();
    reply.raw.once('close', () => gone.abort());
    const events = this.#deps.builds.watchLogs(scope, buildId, { after, signal: gone.signal });
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const keepAlive = setInterval(
      () => out.write(': keep-alive\n\n'),
      this.#deps.keepAliveMs ?? 15_000,
    );
    // Headers go out at once: a queued build may print nothing for a while.
    out.write(': connected\n\n');
    try {
      let batch = await events.next();
      while (batch.done !== true) {
        for (const event of batch.value) {
          const data = JSON.stringify({ timestamp: event.timestamp, message: event.message });
          if (!out.write(`id: ${event.seq}\nevent: log\ndata: ${data}\n\n`)) {
            // A slow reader holds the stream, not this server's memory.
            await new Promise((resolve) => out.once('drain', resolve));
          }
        }
        batch = await events.next();
      }
      if (!gone.signal.aborted) out.write('event: end\ndata: {}\n\n');
    } catch (error) {
      this.#deps.log.warn({ err: error, buildId }, 'build log stream failed');
    } finally {
      clearInterval(keepAlive);
      out.end();
    }
  }

  async #authenticate(request: FastifyRequest, target: RequestTarget) {
    const claim = parseSignatureClaim({ headers: request.headers, query: target.query });
    if (claim === undefined) throw new Error('Sign the request with SigV4 for codebuild.');
    if (claim.scope.service !== 'codebuild') {
      throw new Error(`The request is signed for ${claim.scope.service}, not codebuild.`);
    }
    const identity = await this.#deps.identity.findSigningIdentity(claim.scope.accessKeyId);
    if (identity === undefined) throw AwsErrors.unrecognizedClient();
    const declared = request.headers['x-amz-content-sha256'];
    const payloadHash =
      typeof declared === 'string'
        ? declared
        : claim.location === 'query'
          ? 'UNSIGNED-PAYLOAD'
          : emptySha256;
    verifySignature({
      claim,
      request: {
        method: request.method,
        rawPath: target.rawPath,
        query: target.query,
        rawHeaders: request.raw.rawHeaders,
      },
      payloadHash,
      secretAccessKey: identity.secretAccessKey,
      now: this.#deps.now(),
      signingKeys: this.#signingKeys,
    });
    return { accountId: identity.record.principal.accountId, region: claim.scope.region };
  }
}

function sendError(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.status(status).type('application/json').send(JSON.stringify({ code, message }));
}
