import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedFetch } from '../../../../test/support/sign.ts';
import { startTestServer, type TestServer } from '../../../../test/support/test-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { SLIPWAY_AWS_MAX_BODY: '1KiB' } });
});
afterAll(() => server.close());

const pipelineHeaders = {
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': 'CodePipeline_20150709.NoSuchOperation',
};
const stsHeaders = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
const stsBody = 'Action=GetCallerIdentity&Version=2011-06-15';

function signed(options: Partial<Parameters<typeof signedFetch>[0]> & { service: string }) {
  return signedFetch({
    url: server.url,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    ...options,
  });
}

async function jsonError(response: Response) {
  return {
    status: response.status,
    errorType: response.headers.get('x-amzn-errortype'),
    hasRequestId: /^[0-9a-f-]{36}$/.test(response.headers.get('x-amzn-requestid') ?? ''),
    body: (await response.json()) as { __type: string; message: string },
  };
}

describe('AWS door: authentication', () => {
  it('answers an unsigned JSON call with MissingAuthenticationTokenException', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: pipelineHeaders,
      body: '{}',
    });
    const error = await jsonError(response);
    expect(error).toMatchObject({
      status: 403,
      errorType: 'MissingAuthenticationTokenException',
      hasRequestId: true,
      body: { __type: 'MissingAuthenticationTokenException' },
    });
  });

  it('answers an unsigned query call in XML', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: stsHeaders,
      body: stsBody,
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(
      /^<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>MissingAuthenticationTokenException<\/Code>/,
    );
  });

  it('refuses an unknown access key with UnrecognizedClientException', async () => {
    const response = await signed({
      service: 'codepipeline',
      accessKeyId: 'AKIANOTAKEY000000000',
      headers: pipelineHeaders,
      body: '{}',
    });
    expect((await jsonError(response)).body.__type).toBe('UnrecognizedClientException');
  });

  it('refuses a wrong secret with InvalidSignatureException', async () => {
    const response = await signed({
      service: 'codepipeline',
      secretAccessKey: 'wrong',
      headers: pipelineHeaders,
      body: '{}',
    });
    expect(await jsonError(response)).toMatchObject({
      status: 400,
      errorType: 'InvalidSignatureException',
      body: { __type: 'InvalidSignatureException' },
    });
  });

  it('refuses a body that differs from the one signed', async () => {
    const response = await signed({
      service: 'codepipeline',
      headers: pipelineHeaders,
      signedBody: '{"a":1}',
      body: '{"a":2}',
    });
    expect((await jsonError(response)).body.__type).toBe('InvalidSignatureException');
  });

  it('refuses a body that differs from a declared x-amz-content-sha256', async () => {
    const declared = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';
    const response = await signed({
      service: 'codepipeline',
      headers: { ...pipelineHeaders, 'x-amz-content-sha256': declared },
      body: '{"tampered":true}',
    });
    expect((await jsonError(response)).body.message).toMatch(/x-amz-content-sha256/);
  });

  it('refuses a session token, since Slipway issues none', async () => {
    const response = await signed({
      service: 'codepipeline',
      headers: { ...pipelineHeaders, 'x-amz-security-token': 'token' },
      body: '{}',
    });
    expect((await jsonError(response)).body.__type).toBe('UnrecognizedClientException');
  });
});

describe('AWS door: dispatch', () => {
  it('answers STS GetCallerIdentity in XML with the account and a request id', async () => {
    const response = await signed({ service: 'sts', headers: stsHeaders, body: stsBody });
    const text = await response.text();
    const requestId = response.headers.get('x-amzn-requestid');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(text).toContain(`<Account>${server.accountId}</Account>`);
    expect(text).toContain(`<Arn>arn:aws:iam::${server.accountId}:user/admin</Arn>`);
    expect(text).toContain(`<RequestId>${requestId}</RequestId>`);
  });

  it('answers an operation a service does not have with UnknownOperationException', async () => {
    const response = await signed({
      service: 'codepipeline',
      headers: pipelineHeaders,
      body: '{}',
    });
    expect(await jsonError(response)).toMatchObject({
      status: 400,
      errorType: 'UnknownOperationException',
    });
  });

  it('refuses a target of another service than the one signed for', async () => {
    const response = await signed({
      service: 'codebuild',
      headers: pipelineHeaders,
      body: '{}',
    });
    expect((await jsonError(response)).body.__type).toBe('UnknownOperationException');
  });

  it('names a service Slipway does not serve', async () => {
    const response = await signed({ service: 'dynamodb', headers: pipelineHeaders, body: '{}' });
    expect((await jsonError(response)).body.message).toMatch(
      /does not serve the AWS service 'dynamodb'/,
    );
  });

  it('answers an unknown query action with InvalidAction', async () => {
    const response = await signed({
      service: 'sts',
      headers: stsHeaders,
      body: 'Action=Nope&Version=2011-06-15',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>InvalidAction</Code>');
  });

  it('sends signed requests to the AWS door whatever their path', async () => {
    const response = await signed({ service: 'sts', method: 'GET', path: '/health' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>MissingAction</Code>');
  });

  it('answers GET /health with 200', async () => {
    const response = await fetch(new URL('/health', server.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

describe('AWS door: connections', () => {
  it('keeps the connection open after refusing a request whose body was read', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: pipelineHeaders,
      body: '{}',
    });
    await response.arrayBuffer();
    expect(response.headers.get('connection')).not.toBe('close');
  });

  it('closes the connection after refusing a body it never read', async () => {
    const response = await signed({
      service: 'codepipeline',
      headers: pipelineHeaders,
      body: `{"x":"${'a'.repeat(2000)}"}`,
    });
    await response.arrayBuffer();
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
  });
});

describe('AWS door: bad bodies', () => {
  it('refuses a body over the limit with 413, by Content-Length', async () => {
    const response = await signed({
      service: 'codepipeline',
      headers: pipelineHeaders,
      body: `{"x":"${'a'.repeat(2000)}"}`,
    });
    expect(await jsonError(response)).toMatchObject({
      status: 413,
      errorType: 'RequestEntityTooLargeException',
    });
  });

  it('refuses a chunked body over the limit with 413', async () => {
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('a'.repeat(200)));
        controller.close();
      },
    });
    const response = await fetch(server.url, {
      method: 'POST',
      headers: {
        ...pipelineHeaders,
        authorization: `AWS4-HMAC-SHA256 Credential=${server.accessKeyId}/20261122/us-east-1/codepipeline/aws4_request, SignedHeaders=host, Signature=00`,
        'x-amz-date': new Date()
          .toISOString()
          .replace(/[-:]/g, '')
          .replace(/\.\d{3}/, ''),
      },
      body: chunks,
      duplex: 'half',
    });
    const error = await jsonError(response);
    // Without x-amz-content-sha256 the body must be read (and hashed) before the signature is
    // checked, so the size limit is what stops it.
    expect(error.status).toBe(413);
  });
});
