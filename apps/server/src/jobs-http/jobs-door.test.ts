import { AppError, AppErrorKind } from '@slipway/core';
import {
  type BuildCompleteRequest,
  type BuildJobSpec,
  type ClaimResponse,
  JobClient,
  JobErrorCode,
  JobProtocolError,
  type LogAppendRequest,
} from '@slipway/protocol';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRequestTarget } from '../http/request-target.ts';
import type { ArtifactUpload, BuildJobHandler } from './build-job-handler.ts';
import { JobsDoor } from './jobs-door.ts';

const token = 'slw_test-token';

class FakeBuilds implements BuildJobHandler {
  job: ClaimResponse<BuildJobSpec> | undefined;
  readonly logs: LogAppendRequest[] = [];
  readonly artifacts: { upload: ArtifactUpload; bytes: number }[] = [];
  lostLease = false;
  claimWaits = 0;

  async claim(_workerId: string, waitMs: number, signal: AbortSignal) {
    if (this.job !== undefined) return this.job;
    this.claimWaits += 1;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return undefined;
  }

  heartbeat(_jobId: string, leaseId: string) {
    if (this.lostLease) {
      return Promise.reject(
        new AppError(AppErrorKind.Conflict, `Lease ${leaseId} is not the job's lease`),
      );
    }
    return Promise.resolve({ expiresAt: 123, cancelRequested: true });
  }

  appendLogs(_jobId: string, request: LogAppendRequest) {
    this.logs.push(request);
    return Promise.resolve();
  }

  updatePhase() {
    return Promise.resolve();
  }

  async storeArtifact(_jobId: string, upload: ArtifactUpload, body: AsyncIterable<Uint8Array>) {
    let bytes = 0;
    for await (const chunk of body) bytes += chunk.byteLength;
    this.artifacts.push({ upload, bytes });
    return { location: `arn:aws:s3:::bucket/${upload.name}` };
  }

  complete() {
    return Promise.resolve();
  }
}

describe('JobsDoor with JobClient', () => {
  let builds: FakeBuilds;
  let app: FastifyInstance;
  let client: JobClient;
  let server: string;

  beforeEach(async () => {
    builds = new FakeBuilds();
    const door = new JobsDoor({
      builds,
      token: () => token,
      log: pino({ level: 'silent' }),
      maxWaitMs: 200,
    });
    app = Fastify();
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    app.route({
      method: ['GET', 'POST', 'PUT'],
      url: '*',
      handler: (request, reply) => door.handle(request, reply, parseRequestTarget(request.url)),
    });
    server = await app.listen({ port: 0, host: '127.0.0.1' });
    client = new JobClient({ server, token, attempts: 1 });
  });

  afterEach(async () => {
    await app.close();
  });

  it('refuses a wrong token with 401 Unauthorized', async () => {
    const stranger = new JobClient({ server, token: 'slw_wrong', attempts: 1 });
    const error = await stranger.heartbeat('j', 'l').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobProtocolError);
    expect(error).toMatchObject({ status: 401, code: JobErrorCode.Unauthorized });
  });

  it('answers a claim with no job after the capped wait, and a job at once', async () => {
    const started = performance.now();
    expect(await client.claimBuild({ workerId: 'w', waitMs: 60_000 })).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(2_000);
    builds.job = {
      kind: 'build',
      lease: { jobId: 'j1', leaseId: 'l1', expiresAt: 1 },
      spec: { buildId: 'p:1' } as BuildJobSpec,
    };
    expect(await client.claimBuild({ workerId: 'w', waitMs: 60_000 })).toEqual(builds.job);
  });

  it('passes heartbeats and maps a lost lease to 409 LeaseLost', async () => {
    expect(await client.heartbeat('j', 'l')).toEqual({ expiresAt: 123, cancelRequested: true });
    builds.lostLease = true;
    await expect(client.heartbeat('j', 'l')).rejects.toMatchObject({
      status: 409,
      code: JobErrorCode.LeaseLost,
    });
  });

  it('checks log batches field by field', async () => {
    await client.appendLogs('j', {
      leaseId: 'l',
      sequence: 1,
      events: [{ timestamp: 5, message: 'hello' }],
    });
    expect(builds.logs).toEqual([
      { leaseId: 'l', sequence: 1, events: [{ timestamp: 5, message: 'hello' }] },
    ]);
    const bad = { leaseId: 'l', sequence: 0, events: [] } as LogAppendRequest;
    await expect(client.appendLogs('j', bad)).rejects.toMatchObject({
      status: 400,
      code: JobErrorCode.InvalidRequest,
    });
    const malformed = {
      leaseId: 'l',
      sequence: 2,
      events: [{ timestamp: 'now' }],
    } as unknown as LogAppendRequest;
    await expect(client.appendLogs('j', malformed)).rejects.toMatchObject({ status: 400 });
  });

  it('streams an artifact body to the handler', async () => {
    async function* body() {
      for (let i = 0; i < 64; i++) yield await Promise.resolve(new Uint8Array(64 * 1024));
    }
    const stored = await client.uploadArtifact(
      'j',
      { leaseId: 'l', name: 'out.zip', packaging: 'ZIP' },
      body(),
    );
    expect(stored).toEqual({ location: 'arn:aws:s3:::bucket/out.zip' });
    expect(builds.artifacts).toEqual([
      { upload: { leaseId: 'l', name: 'out.zip', packaging: 'ZIP' }, bytes: 4 * 1024 * 1024 },
    ]);
  });

  it('refuses a completion whose lists are not lists, with 400', async () => {
    const bad = { leaseId: 'l', buildStatus: 'SUCCEEDED', artifacts: 'all of them' };
    await expect(
      client.completeBuild('j', bad as unknown as BuildCompleteRequest),
    ).rejects.toMatchObject({ status: 400, code: JobErrorCode.InvalidRequest });
  });

  it('answers an unknown call with 404', async () => {
    const response = await fetch(`${server}/_slipway/jobs/v1/jobs/j/teleport`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: '{}',
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: 'NotFound', message: 'No such call.' },
    });
  });
});
