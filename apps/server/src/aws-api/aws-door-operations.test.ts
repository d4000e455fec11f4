import { AppError, IdentityService } from '@slipway/core';
import { FakeClock, FakeSecretBox, InMemoryIdentityStore, SeededRandom } from '@slipway/testing';
import { SignatureV4 } from '@smithy/signature-v4';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeSha256 } from '../../../../test/support/sign.ts';
import { buildHttpApp } from '../http/app.ts';
import { AwsDoor } from './aws-door.ts';
import { commonJsonErrors } from './error-table.ts';
import type { JsonServiceDefinition } from './service-definition.ts';

// The door in-process (Fastify inject) with a service of test operations, to pin down how
// operation results and errors reach the wire.
const testService: JsonServiceDefinition = {
  signingName: 'codepipeline',
  protocol: 'json1.1',
  targetPrefix: 'CodePipeline_20150709',
  errors: {
    ...commonJsonErrors,
    NotFound: {
      byResource: { pipeline: { code: 'PipelineNotFoundException', status: 400 } },
      otherwise: commonJsonErrors.NotFound as { code: string; status: number },
    },
  },
  operations: {
    Echo: (input, context) => Promise.resolve({ input, region: context.region }),
    Missing: () => Promise.reject(AppError.notFound('pipeline', 'Pipeline p does not exist')),
    Crash: () => Promise.reject(new Error('secret internal detail')),
  },
};

const clock = new FakeClock(Date.UTC(2026, 10, 22, 12, 0, 0));
let app: ReturnType<typeof buildHttpApp>;
let credentials: { accessKeyId: string; secretAccessKey: string };

beforeAll(async () => {
  const identity = new IdentityService({
    store: new InMemoryIdentityStore(),
    secrets: new FakeSecretBox(),
    clock,
    random: new SeededRandom(7),
  });
  const admin = await identity.ensureAdministrator();
  credentials = {
    accessKeyId: admin.principal.accessKeyId,
    secretAccessKey: admin.secretAccessKey,
  };
  const log = pino({ level: 'silent' });
  const aws = new AwsDoor({ identity, clock, services: [testService], maxBodyBytes: 1024, log });
  app = buildHttpApp({ log, aws });
});

async function call(operation: string, body: string, region = 'us-west-2') {
  const signer = new SignatureV4({
    credentials,
    region,
    service: 'codepipeline',
    sha256: NodeSha256,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: 'localhost',
      path: '/',
      query: {},
      headers: {
        host: 'localhost:80',
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `CodePipeline_20150709.${operation}`,
      },
      body,
    },
    { signingDate: new Date(clock.now()) },
  );
  const response = await app.inject({ method: 'POST', url: '/', headers: signed.headers, body });
  return {
    status: response.statusCode,
    errorType: response.headers['x-amzn-errortype'],
    requestId: response.headers['x-amzn-requestid'],
    contentType: response.headers['content-type'],
    body: response.json<Record<string, unknown>>(),
  };
}

describe('AWS door: operations', () => {
  it('passes the decoded input and the signed region to the operation', async () => {
    const response = await call('Echo', '{"name":"p","n":1}');
    expect(response).toMatchObject({
      status: 200,
      contentType: 'application/x-amz-json-1.1',
      body: { input: { name: 'p', n: 1 }, region: 'us-west-2' },
    });
  });

  it("maps an AppError through the service's table, by resource", async () => {
    const response = await call('Missing', '{}');
    expect(response).toMatchObject({
      status: 400,
      errorType: 'PipelineNotFoundException',
      body: { __type: 'PipelineNotFoundException', message: 'Pipeline p does not exist' },
    });
  });

  it('answers a bug with InternalFailure and a request id, never its details', async () => {
    const response = await call('Crash', '{}');
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      __type: 'InternalFailure',
      message: 'The request processing has failed because of an unknown error.',
    });
    expect(response.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a body that is not a JSON object with SerializationException', async () => {
    const response = await call('Echo', '[1]');
    expect(response).toMatchObject({ status: 400, errorType: 'SerializationException' });
  });
});
