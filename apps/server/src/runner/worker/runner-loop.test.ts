import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, AppErrorKind } from '@slipway/core';
import {
  type BuildCompleteRequest,
  type BuildJobSpec,
  type ClaimResponse,
  JobClient,
  type LogAppendRequest,
  type PhaseUpdateRequest,
} from '@slipway/protocol';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRequestTarget } from '../../http/request-target.ts';
import type { ArtifactUpload, BuildJobHandler } from '../../jobs-http/build-job-handler.ts';
import { JobsDoor } from '../../jobs-http/jobs-door.ts';
import { zipFiles } from '../engine/engine-test-support.ts';
import { BubblewrapExecutor } from '../sandbox/bubblewrap-executor.ts';
import { makeWorkspacesRoot, silentLog } from '../sandbox/sandbox-test-support.ts';
import { RunnerLoop } from './runner-loop.ts';

const token = 'slw_runner-test';

/** The server's side, recording what the runner sends, handing out queued jobs. */
class RecordingServer implements BuildJobHandler {
  readonly queue: ClaimResponse<BuildJobSpec>[] = [];
  readonly phases: PhaseUpdateRequest[] = [];
  readonly logs: LogAppendRequest[] = [];
  readonly artifacts: { upload: ArtifactUpload; bytes: Buffer }[] = [];
  readonly completed: BuildCompleteRequest[] = [];
  cancel = false;
  loseLease = false;
  #onComplete: (() => void) | undefined;

  completion(): Promise<void> {
    return new Promise((resolve) => (this.#onComplete = resolve));
  }

  async claim(_worker: string, waitMs: number, signal: AbortSignal) {
    const job = this.queue.shift();
    if (job !== undefined) return job;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(waitMs, 100));
      signal.addEventListener('abort', () => clearTimeout(timer));
    });
    return undefined;
  }

  heartbeat() {
    if (this.loseLease) return Promise.reject(new AppError(AppErrorKind.Conflict, 'lease lost'));
    return Promise.resolve({ expiresAt: Date.now() + 30_000, cancelRequested: this.cancel });
  }

  appendLogs(_jobId: string, request: LogAppendRequest) {
    if (this.loseLease) return Promise.reject(new AppError(AppErrorKind.Conflict, 'lease lost'));
    this.logs.push(request);
    return Promise.resolve();
  }

  updatePhase(_jobId: string, request: PhaseUpdateRequest) {
    if (this.loseLease) return Promise.reject(new AppError(AppErrorKind.Conflict, 'lease lost'));
    this.phases.push(request);
    return Promise.resolve();
  }

  async storeArtifact(_jobId: string, upload: ArtifactUpload, body: AsyncIterable<Uint8Array>) {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk));
    this.artifacts.push({ upload, bytes: Buffer.concat(chunks) });
    return { location: `arn:aws:s3:::artifacts/${upload.name}` };
  }

  complete(_jobId: string, request: BuildCompleteRequest) {
    if (this.loseLease) return Promise.reject(new AppError(AppErrorKind.Conflict, 'lease lost'));
    this.completed.push(request);
    this.#onComplete?.();
    return Promise.resolve();
  }
}

function job(
  buildspec: string,
  overrides: Partial<BuildJobSpec> = {},
): ClaimResponse<BuildJobSpec> {
  const now = Date.now();
  return {
    kind: 'build',
    lease: { jobId: 'job-1', leaseId: 'lease-1', expiresAt: now + 3_000 },
    spec: {
      buildId: 'demo:0b9f',
      buildArn: 'arn:aws:codebuild:us-east-1:000000000000:build/demo:0b9f',
      buildNumber: 1,
      projectName: 'demo',
      projectArn: 'arn:aws:codebuild:us-east-1:000000000000:project/demo',
      region: 'us-east-1',
      accountId: '000000000000',
      initiator: 'tester',
      startTime: now,
      deadline: now + 60_000,
      image: 'slipway/host',
      buildspec: { kind: 'inline', text: buildspec },
      environment: {
        project: [{ name: 'GREETING', value: 'hello from the project', type: 'PLAINTEXT' }],
        override: [],
      },
      network: false,
      source: { kind: 'none' },
      secondarySources: [],
      artifact: { packaging: 'ZIP', name: 'result' },
      secondaryArtifacts: [],
      localCache: false,
      logStream: '0b9f',
      ...overrides,
    },
  };
}

describe('RunnerLoop over the job protocol', () => {
  let server: RecordingServer;
  let app: FastifyInstance;
  let loop: RunnerLoop | undefined;
  let workDir: string;

  beforeEach(async () => {
    server = new RecordingServer();
    const door = new JobsDoor({
      builds: server,
      token: () => token,
      log: pino({ level: 'silent' }),
    });
    app = Fastify();
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    app.route({
      method: ['GET', 'POST', 'PUT'],
      url: '*',
      handler: (request, reply) => door.handle(request, reply, parseRequestTarget(request.url)),
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    workDir = await makeWorkspacesRoot();
    const executor = await BubblewrapExecutor.create({ log: silentLog, hide: [workDir] });
    loop = new RunnerLoop({
      client: new JobClient({ server: url, token }),
      executor,
      sandboxUser: executor.user,
      workRoot: join(workDir, 'builds'),
      cacheRoot: join(workDir, 'cache'),
      log: pino({ level: 'silent' }),
      workerId: 'test-runner',
      concurrency: 1,
      waitMs: 100,
      heartbeatMs: 100,
    });
  });

  afterEach(async () => {
    await loop?.stop(0);
    await app.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it('runs a claimed build in the sandbox and reports phases, logs, artifact and outcome', async () => {
    server.queue.push(
      job(
        [
          'version: 0.2',
          'phases:',
          '  build:',
          '    commands:',
          '      - echo "$GREETING"',
          '      - mkdir -p out && echo data > out/a.txt',
          'artifacts:',
          '  files: [out/a.txt]',
        ].join('\n'),
      ),
    );
    const done = server.completion();
    loop?.start();
    await done;
    expect(server.completed).toHaveLength(1);
    expect(server.completed[0]).toMatchObject({ leaseId: 'lease-1', buildStatus: 'SUCCEEDED' });
    const ended = server.phases.filter((p) => p.phaseStatus !== undefined);
    expect(ended.map((p) => `${p.phaseType} ${p.phaseStatus ?? ''}`)).toEqual([
      'PROVISIONING SUCCEEDED',
      'DOWNLOAD_SOURCE SUCCEEDED',
      'INSTALL SUCCEEDED',
      'PRE_BUILD SUCCEEDED',
      'BUILD SUCCEEDED',
      'POST_BUILD SUCCEEDED',
      'UPLOAD_ARTIFACTS SUCCEEDED',
      'FINALIZING SUCCEEDED',
    ]);
    expect(server.phases.map((p) => p.sequence)).toEqual(server.phases.map((_, i) => i + 1));
    const messages = server.logs.flatMap((batch) => batch.events.map((e) => e.message));
    expect(messages).toContain('hello from the project');
    expect(server.logs.map((batch) => batch.sequence)).toEqual(server.logs.map((_, i) => i + 1));
    expect(server.artifacts).toHaveLength(1);
    expect(server.artifacts[0]?.upload).toMatchObject({ name: 'result', packaging: 'ZIP' });
    expect(await zipFiles(server.artifacts[0]?.bytes ?? Buffer.alloc(0))).toEqual({
      'out/a.txt': 'data\n',
    });
    expect(server.completed[0]?.artifacts).toEqual([
      expect.objectContaining({ location: 'arn:aws:s3:::artifacts/result' }),
    ]);
  });

  it('stops a build when a heartbeat says StopBuild, and reports it STOPPED', async () => {
    server.queue.push(job('version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 30'));
    const done = server.completion();
    loop?.start();
    setTimeout(() => (server.cancel = true), 300);
    const started = Date.now();
    await done;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(server.completed[0]?.buildStatus).toBe('STOPPED');
  });

  it('gives up a build whose lease is lost, reporting nothing more', async () => {
    server.queue.push(job('version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 30'));
    loop?.start();
    await new Promise((resolve) => setTimeout(resolve, 400));
    server.loseLease = true;
    const stopped = Date.now();
    await loop?.stop(10_000);
    loop = undefined;
    expect(Date.now() - stopped).toBeLessThan(5_000);
    expect(server.completed).toEqual([]);
  });
});
