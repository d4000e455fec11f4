import { IdentityService } from '@slipway/core';
import { FakeClock, FakeSecretBox, InMemoryIdentityStore, SeededRandom } from '@slipway/testing';
import { SignatureV4 } from '@smithy/signature-v4';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeSha256 } from '../../../../../../test/support/sign.ts';
import { buildHttpApp } from '../../../http/app.ts';
import { AwsDoor } from '../../aws-door.ts';
import { codedeployHarness } from './codedeploy-harness.ts';
import { createCodeDeployService } from './codedeploy-service.ts';

// The CodeDeploy service behind the real AWS door (Fastify inject, SigV4): what a client sees
// of a result, a service error, a refused request and an operation Slipway does not serve.

const clock = new FakeClock(Date.UTC(2026, 10, 22, 12, 0, 0));
let app: ReturnType<typeof buildHttpApp>;
let credentials: { accessKeyId: string; secretAccessKey: string };
let accountId: string;
const { deployments } = codedeployHarness();

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
  accountId = admin.principal.accountId;
  const log = pino({ level: 'silent' });
  const services = [createCodeDeployService({ deployments })];
  const aws = new AwsDoor({ identity, clock, services, maxBodyBytes: 1 << 20, log });
  app = buildHttpApp({ log, aws });
});

async function call(operation: string, body: string) {
  const signer = new SignatureV4({
    credentials,
    region: 'eu-west-1',
    service: 'codedeploy',
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
        'x-amz-target': `CodeDeploy_20141006.${operation}`,
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

describe('CodeDeploy behind the AWS door', () => {
  it('answers in the signed region, as JSON 1.1', async () => {
    expect(await call('CreateApplication', '{"applicationName":"door-app"}')).toMatchObject({
      status: 200,
      contentType: 'application/x-amz-json-1.1',
    });
    expect(await call('ListApplications', '{}')).toMatchObject({
      status: 200,
      body: { applications: ['door-app'] },
    });
    const inSignedRegion = await deployments.listApplications(
      { accountId, region: 'eu-west-1' },
      undefined,
    );
    expect(inSignedRegion.items).toEqual(['door-app']);
  });

  it('answers a service error with its CodeDeploy name in the body and the header', async () => {
    expect(await call('GetApplication', '{"applicationName":"gone"}')).toMatchObject({
      status: 400,
      errorType: 'ApplicationDoesNotExistException',
      body: {
        __type: 'ApplicationDoesNotExistException',
        message: "Application 'gone' does not exist",
      },
    });
  });

  it('answers a member of the wrong type with SerializationException', async () => {
    expect(await call('GetApplication', '{"applicationName":["gone"]}')).toMatchObject({
      status: 400,
      errorType: 'SerializationException',
    });
  });

  it('answers an operation it does not serve with UnknownOperationException', async () => {
    expect(await call('DeleteResourcesByExternalId', '{}')).toMatchObject({
      status: 400,
      errorType: 'UnknownOperationException',
    });
  });
});
