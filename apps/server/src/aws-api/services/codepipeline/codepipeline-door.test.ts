import { IdentityService, pipelineNotFound, type PipelinesService } from '@slipway/core';
import { FakeClock, FakeSecretBox, InMemoryIdentityStore, SeededRandom } from '@slipway/testing';
import { SignatureV4 } from '@smithy/signature-v4';
import { pino } from 'pino';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { NodeSha256 } from '../../../../../../test/support/sign.ts';
import { buildHttpApp } from '../../../http/app.ts';
import { AwsDoor } from '../../aws-door.ts';
import { aPipeline } from './codepipeline-builders.ts';
import { stubPipelines } from './codepipeline-harness.ts';
import { createCodePipelineService } from './codepipeline-service.ts';

// The CodePipeline service behind the real AWS door (Fastify inject, SigV4): what a client
// sees of a result, a service error and a refused request.

const clock = new FakeClock(Date.UTC(2026, 10, 22, 12, 0, 0));
const getPipeline = vi.fn<PipelinesService['getPipeline']>();
let app: ReturnType<typeof buildHttpApp>;
let credentials: { accessKeyId: string; secretAccessKey: string };
let callerArn: string;

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
  callerArn = admin.principal.arn;
  const log = pino({ level: 'silent' });
  const services = [createCodePipelineService({ pipelines: stubPipelines({ getPipeline }) })];
  const aws = new AwsDoor({ identity, clock, services, maxBodyBytes: 1 << 20, log });
  app = buildHttpApp({ log, aws });
});

async function call(operation: string, body: string) {
  const signer = new SignatureV4({
    credentials,
    region: 'eu-west-1',
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
    contentType: response.headers['content-type'],
    body: response.json<Record<string, unknown>>(),
  };
}

describe('CodePipeline behind the AWS door', () => {
  it('answers GetPipeline in the signed region and account, as JSON 1.1', async () => {
    getPipeline.mockResolvedValueOnce(aPipeline());
    const response = await call('GetPipeline', '{"name":"app"}');
    expect(response).toMatchObject({
      status: 200,
      contentType: 'application/x-amz-json-1.1',
      body: { pipeline: { name: 'app', version: 1 }, metadata: { created: 1767225600.25 } },
    });
    const [scope] = getPipeline.mock.lastCall ?? [];
    expect(scope).toEqual({ accountId: callerArn.split(':')[4], region: 'eu-west-1' });
  });

  it('answers a service error with its CodePipeline name in the body and the header', async () => {
    getPipeline.mockRejectedValueOnce(pipelineNotFound('gone'));
    expect(await call('GetPipeline', '{"name":"gone"}')).toMatchObject({
      status: 400,
      errorType: 'PipelineNotFoundException',
      body: {
        __type: 'PipelineNotFoundException',
        message: "Account does not have a pipeline with name 'gone'",
      },
    });
  });

  it('answers a refused request with ValidationException, never reaching the service', async () => {
    getPipeline.mockClear();
    const response = await call('GetPipeline', '{"name":["app"],"version":"1"}');
    expect(response).toMatchObject({ status: 400, errorType: 'ValidationException' });
    expect(response.body.message).toMatch(/^2 validation errors detected: /);
    expect(getPipeline).not.toHaveBeenCalled();
  });

  it('answers an operation it does not serve with UnknownOperationException', async () => {
    const response = await call('PutWebhook', '{}');
    expect(response).toMatchObject({ status: 400, errorType: 'UnknownOperationException' });
  });
});
