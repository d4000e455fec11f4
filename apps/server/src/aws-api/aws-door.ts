import { isAppError, type Clock, type IdentityService, type Principal } from '@slipway/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { BodyTooLargeError, readBody, type ReadBody } from '../http/read-body.ts';
import type { RequestTarget } from '../http/request-target.ts';
import { AwsError, AwsErrors } from './aws-error.ts';
import { toAwsError } from './error-table.ts';
import type { EncodedResponse } from './protocols/encoded-response.ts';
import { jsonProtocol } from './protocols/json-protocol.ts';
import { queryProtocol } from './protocols/query-protocol.ts';
import { parseSignatureClaim, type SignatureClaim } from './sigv4/parse-auth.ts';
import { SigningKeyCache, verifySignature } from './sigv4/verify-signature.ts';
import type { AwsServiceDefinition, OperationContext } from './service-definition.ts';

export interface AwsDoorDeps {
  readonly identity: IdentityService;
  readonly clock: Clock;
  readonly services: readonly AwsServiceDefinition[];
  readonly maxBodyBytes: number;
  readonly log: Logger;
}

const stsNamespace = 'https://sts.amazonaws.com/doc/2011-06-15/';
const hexSha256 = /^[0-9a-fA-F]{64}$/;

/**
 * The door for the AWS JSON and query protocols: authenticate (SigV4), pick the service from the
 * credential scope, decode, run the operation, encode. Every failure leaves as that protocol's
 * error; nothing but a bug becomes a 500.
 */
export class AwsDoor {
  readonly #deps: AwsDoorDeps;
  readonly #services: ReadonlyMap<string, AwsServiceDefinition>;
  readonly #signingKeys = new SigningKeyCache();

  constructor(deps: AwsDoorDeps) {
    this.#deps = deps;
    this.#services = new Map(deps.services.map((s) => [s.signingName, s]));
  }

  async handle(request: FastifyRequest, reply: FastifyReply, target: RequestTarget): Promise<void> {
    const { query } = target;
    let service: AwsServiceDefinition | undefined;
    let response: EncodedResponse;
    try {
      const claim = parseSignatureClaim({ headers: request.headers, query });
      if (claim === undefined) throw AwsErrors.missingAuthentication();
      service = this.#services.get(claim.scope.service);
      const authenticated = await this.#authenticate(request, target, claim);
      if (service === undefined) {
        throw AwsErrors.unknownOperation(
          `Slipway does not serve the AWS service '${claim.scope.service}'.`,
        );
      }
      // The response's 'close' (the request's fired when its body was read) ends long polls
      // when the client hangs up.
      const gone = new AbortController();
      const onClose = () => gone.abort();
      reply.raw.once('close', onClose);
      try {
        response = await this.#invoke(service, request, query, authenticated.body, {
          principal: authenticated.principal,
          region: claim.scope.region,
          requestId: request.id,
          log: request.log,
          signal: gone.signal,
        });
      } finally {
        reply.raw.off('close', onClose);
      }
    } catch (error) {
      response = this.#encodeError(service, request, query, error);
    }
    if (this.#shouldClose(request)) reply.header('connection', 'close');
    await reply
      .status(response.status)
      .headers({ ...response.headers, 'x-amzn-RequestId': request.id })
      .type(response.contentType)
      // A Buffer, so Fastify leaves the content type as AWS sends it (no `; charset=utf-8`).
      .send(Buffer.from(response.body));
  }

  /**
   * Refused before its body was read: Node drains the rest to keep the connection alive, which
   * is fine for a body of known, acceptable size; anything larger or unbounded is cut off.
   */
  #shouldClose(request: FastifyRequest): boolean {
    if (request.raw.complete) return false;
    const length = Number(request.headers['content-length'] ?? Number.NaN);
    return !(length <= this.#deps.maxBodyBytes);
  }

  async #authenticate(
    request: FastifyRequest,
    target: RequestTarget,
    claim: SignatureClaim,
  ): Promise<{ principal: Principal; body: Buffer }> {
    if (request.headers['x-amz-security-token'] !== undefined) {
      // Slipway issues no session credentials yet, so no token can be valid.
      throw AwsErrors.unrecognizedClient();
    }
    const identity = await this.#deps.identity.findSigningIdentity(claim.scope.accessKeyId);
    if (identity === undefined) throw AwsErrors.unrecognizedClient();
    const declared = headerValue(request.headers['x-amz-content-sha256']);
    const verify = (payloadHash: string) =>
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
        now: this.#deps.clock.now(),
        signingKeys: this.#signingKeys,
      });
    let read: ReadBody;
    if (declared !== undefined) {
      // The client declared its payload hash: check the signature before reading any body.
      verify(declared);
      read = await this.#readBody(request);
      if (hexSha256.test(declared) && declared.toLowerCase() !== read.sha256) {
        throw AwsErrors.invalidSignature(
          'The provided x-amz-content-sha256 header does not match what was computed.',
        );
      }
    } else {
      read = await this.#readBody(request);
      verify(read.sha256);
    }
    return { principal: identity.record.principal, body: read.body };
  }

  async #readBody(request: FastifyRequest): Promise<ReadBody> {
    try {
      return await readBody(request.raw, this.#deps.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw AwsErrors.tooLarge(error.limit);
      throw error;
    }
  }

  async #invoke(
    service: AwsServiceDefinition,
    request: FastifyRequest,
    query: [string, string][],
    body: Buffer,
    context: OperationContext,
  ): Promise<EncodedResponse> {
    const decodable = { headers: request.headers, query, body };
    if (service.protocol === 'query') {
      const { operation, run, input } = queryProtocol.decode(service, decodable);
      const output = await run(input, context);
      return queryProtocol.encodeResult(service, operation, output, request.id);
    }
    const { run, input } = jsonProtocol.decode(service, decodable);
    return jsonProtocol.encodeResult(service, await run(input, context));
  }

  #encodeError(
    service: AwsServiceDefinition | undefined,
    request: FastifyRequest,
    query: [string, string][],
    error: unknown,
  ): EncodedResponse {
    let awsError: AwsError;
    if (error instanceof AwsError) {
      awsError = error;
    } else if (isAppError(error) && service !== undefined) {
      awsError = toAwsError(service.errors, error);
    } else {
      this.#deps.log.error({ err: error, reqId: request.id }, 'AWS request failed unexpectedly');
      awsError = AwsErrors.internal();
    }
    const protocol = service?.protocol ?? guessProtocol(request, query);
    if (protocol === 'query') {
      const namespace = service?.protocol === 'query' ? service.xmlNamespace : stsNamespace;
      return queryProtocol.encodeError(namespace, awsError, request.id);
    }
    return jsonProtocol.encodeError(protocol, awsError);
  }
}

/** Before the service is known: the shape of the request says which error format it reads. */
function guessProtocol(
  request: FastifyRequest,
  query: [string, string][],
): 'json1.0' | 'json1.1' | 'query' {
  const contentType = headerValue(request.headers['content-type']) ?? '';
  if (request.headers['x-amz-target'] !== undefined) {
    return contentType.includes('json-1.0') ? 'json1.0' : 'json1.1';
  }
  if (contentType.startsWith('application/x-www-form-urlencoded')) return 'query';
  if (query.some(([key]) => key === 'Action')) return 'query';
  return 'json1.1';
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
