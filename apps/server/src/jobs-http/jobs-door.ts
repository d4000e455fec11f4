import { AppErrorKind, isAppError } from '@slipway/core';
import {
  type BuildCompleteRequest,
  JobErrorCode,
  jobsV1Path,
  type LogAppendRequest,
  type PhaseUpdateRequest,
} from '@slipway/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { BodyTooLargeError, readBody } from '../http/read-body.ts';
import type { RequestTarget } from '../http/request-target.ts';
import type { BuildJobHandler } from './build-job-handler.ts';
import { tokenMatches } from './runner-token.ts';

export interface JobsDoorDeps {
  readonly builds: BuildJobHandler;
  /** The token runners present; read per request so it may be rotated. */
  readonly token: () => string;
  readonly log: Logger;
  /** Longest claim wait granted. */
  readonly maxWaitMs?: number;
}

/** CloudWatch's PutLogEvents cap, plus room for the JSON around the events. */
const maxJsonBytes = 2 * 1024 * 1024;
const defaultMaxWaitMs = 25_000;

class JobRequestError extends Error {
  readonly status: number;
  readonly code: JobErrorCode;

  constructor(status: number, code: JobErrorCode, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const invalid = (message: string) => new JobRequestError(400, JobErrorCode.InvalidRequest, message);

/**
 * The job protocol's server side (packages/protocol/README.md): runner-token authentication,
 * small JSON bodies checked field by field, artifact bodies streamed to the builds component.
 */
export class JobsDoor {
  readonly #deps: JobsDoorDeps;

  constructor(deps: JobsDoorDeps) {
    this.#deps = deps;
  }

  static matches(path: string): boolean {
    return path === jobsV1Path || path.startsWith(`${jobsV1Path}/`);
  }

  async handle(request: FastifyRequest, reply: FastifyReply, target: RequestTarget): Promise<void> {
    try {
      const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!tokenMatches(bearer, this.#deps.token())) {
        throw new JobRequestError(
          401,
          JobErrorCode.Unauthorized,
          'A valid runner token is required.',
        );
      }
      const answer = await this.#route(request, reply, target);
      if (answer === undefined) await reply.status(204).send();
      else await reply.status(200).type('application/json').send(JSON.stringify(answer));
    } catch (error) {
      const failure = toRequestError(error);
      if (failure.status >= 500) this.#deps.log.error({ err: error }, 'job protocol call failed');
      await reply
        .status(failure.status)
        .type('application/json')
        .send(JSON.stringify({ error: { code: failure.code, message: failure.message } }));
    }
  }

  async #route(
    request: FastifyRequest,
    reply: FastifyReply,
    target: RequestTarget,
  ): Promise<unknown> {
    const path = target.rawPath.slice(jobsV1Path.length);
    const builds = this.#deps.builds;
    if (path === '/claim' && request.method === 'POST') {
      const body = await this.#json(request);
      const workerId = text(body, 'workerId', 200);
      const kinds = body.kinds;
      if (!Array.isArray(kinds) || !kinds.includes('build')) return undefined;
      const waitMs = Math.min(
        Math.max(0, optionalNumber(body, 'waitMs') ?? 0),
        this.#deps.maxWaitMs ?? defaultMaxWaitMs,
      );
      // The wait ends early when the runner hangs up (the response's 'close': the request's
      // fired when its body was read), so a stopping runner never holds the server open.
      const gone = new AbortController();
      const onClose = () => gone.abort();
      reply.raw.once('close', onClose);
      try {
        return await builds.claim(workerId, waitMs, gone.signal);
      } finally {
        reply.raw.off('close', onClose);
      }
    }
    const match = /^\/jobs\/([^/]+)\/(heartbeat|logs|phases|artifacts|complete)$/.exec(path);
    if (match === null) throw new JobRequestError(404, JobErrorCode.NotFound, 'No such call.');
    const jobId = decodeURIComponent(match[1] ?? '');
    const call = match[2];
    if (call === 'artifacts') {
      if (request.method !== 'PUT') throw invalid('Artifacts are uploaded with PUT.');
      const query = new Map(target.query);
      const packaging = query.get('packaging');
      if (packaging !== 'ZIP' && packaging !== 'NONE')
        throw invalid('packaging must be ZIP or NONE.');
      return builds.storeArtifact(
        jobId,
        {
          leaseId: required(query.get('leaseId'), 'leaseId'),
          name: required(query.get('name'), 'name'),
          packaging,
          identifier: query.get('identifier'),
          path: query.get('path'),
        },
        request.raw,
      );
    }
    if (request.method !== 'POST') throw invalid(`${call ?? ''} is called with POST.`);
    const body = await this.#json(request);
    const leaseId = text(body, 'leaseId', 200);
    switch (call) {
      case 'heartbeat':
        return builds.heartbeat(jobId, leaseId);
      case 'logs':
        await builds.appendLogs(jobId, logRequest(body, leaseId));
        return {};
      case 'phases':
        await builds.updatePhase(jobId, phaseRequest(body, leaseId));
        return {};
      case 'complete':
      case undefined:
        await builds.complete(jobId, completeRequest(body, leaseId));
        return {};
    }
  }

  async #json(request: FastifyRequest): Promise<Record<string, unknown>> {
    const { body } = await readBody(request.raw, maxJsonBytes);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw invalid('The body is not JSON.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw invalid('The body must be a JSON object.');
    }
    return parsed as Record<string, unknown>;
  }
}

function logRequest(body: Record<string, unknown>, leaseId: string): LogAppendRequest {
  const events = body.events;
  if (!Array.isArray(events)) throw invalid('events must be a list.');
  return {
    leaseId,
    sequence: sequenceOf(body),
    events: events.map((event: unknown) => {
      const { timestamp, message } = (event ?? {}) as Record<string, unknown>;
      if (typeof timestamp !== 'number' || typeof message !== 'string') {
        throw invalid('Each event has a numeric timestamp and a string message.');
      }
      return { timestamp, message };
    }),
  };
}

/** The lists a completion carries must be lists; the builds service checks their entries. */
function completeRequest(body: Record<string, unknown>, leaseId: string): BuildCompleteRequest {
  text(body, 'buildStatus', 40);
  optionalNumber(body, 'endTime');
  for (const name of ['exportedEnvironmentVariables', 'artifacts', 'reports']) {
    const list = body[name];
    if (!Array.isArray(list) || list.some((item) => typeof item !== 'object' || item === null)) {
      throw invalid(`${name} must be a list of objects.`);
    }
  }
  return { ...(body as unknown as BuildCompleteRequest), leaseId };
}

function phaseRequest(body: Record<string, unknown>, leaseId: string): PhaseUpdateRequest {
  const startTime = optionalNumber(body, 'startTime');
  if (startTime === undefined) throw invalid('startTime is required.');
  const contexts = body.contexts;
  if (contexts !== undefined && !Array.isArray(contexts)) throw invalid('contexts must be a list.');
  return {
    leaseId,
    sequence: sequenceOf(body),
    phaseType: text(body, 'phaseType', 40),
    phaseStatus: body.phaseStatus as PhaseUpdateRequest['phaseStatus'],
    startTime,
    endTime: optionalNumber(body, 'endTime'),
    ...(contexts === undefined ? {} : { contexts: contexts as PhaseUpdateRequest['contexts'] }),
  };
}

function sequenceOf(body: Record<string, unknown>): number {
  const sequence = body.sequence;
  if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 1) {
    throw invalid('sequence must be a positive integer.');
  }
  return sequence;
}

function text(body: Record<string, unknown>, name: string, max: number): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '' || value.length > max) {
    throw invalid(`${name} must be a string of 1 to ${max} characters.`);
  }
  return value;
}

function optionalNumber(body: Record<string, unknown>, name: string): number | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw invalid(`${name} must be a number.`);
  return value;
}

function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw invalid(`${name} is required.`);
  return value;
}

function toRequestError(error: unknown): JobRequestError {
  if (error instanceof JobRequestError) return error;
  if (error instanceof BodyTooLargeError) {
    return new JobRequestError(413, JobErrorCode.InvalidRequest, error.message);
  }
  if (!isAppError(error)) return new JobRequestError(500, JobErrorCode.Internal, 'Internal error');
  if (error.kind === AppErrorKind.Conflict) {
    // Only a lease that is gone means "stop working on this job"; other conflicts are bugs.
    const lost = error.resource === undefined || error.resource === 'build-lease';
    return new JobRequestError(
      409,
      lost ? JobErrorCode.LeaseLost : JobErrorCode.Conflict,
      error.message,
    );
  }
  if (error.kind === AppErrorKind.NotFound) {
    return new JobRequestError(404, JobErrorCode.NotFound, error.message);
  }
  if (error.kind === AppErrorKind.InvalidInput || error.kind === AppErrorKind.LimitExceeded) {
    return new JobRequestError(400, JobErrorCode.InvalidRequest, error.message);
  }
  return new JobRequestError(500, JobErrorCode.Internal, 'Internal error');
}
