import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  await server.artifacts.ensureBucket('artifacts');
});
afterAll(() => server.close());

async function* bytes(text: string): AsyncIterable<Uint8Array> {
  yield await Promise.resolve(new TextEncoder().encode(text));
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString();
}

describe('the artifacts API other components use', () => {
  it('puts and gets an artifact as streams', async () => {
    const version = await server.artifacts.put('artifacts', 'build/output.zip', bytes('zip bytes'));
    expect(version.etag).toBe(`"${createHash('md5').update('zip bytes').digest('hex')}"`);
    expect(await readAll(await server.artifacts.get('artifacts', 'build/output.zip'))).toBe(
      'zip bytes',
    );
  });

  it('presigns URLs a runner can GET and PUT with plain HTTP and no credentials', async () => {
    await server.artifacts.put('artifacts', 'source/bundle.tgz', bytes('source'));
    const get = server.artifacts.presign({
      method: 'GET',
      bucket: 'artifacts',
      key: 'source/bundle.tgz',
      expiresSeconds: 300,
    });
    const fetched = await fetch(get);
    expect([fetched.status, await fetched.text()]).toEqual([200, 'source']);

    const put = server.artifacts.presign({
      method: 'PUT',
      bucket: 'artifacts',
      key: 'uploads/report with spaces.xml',
      expiresSeconds: 300,
    });
    const stored = await fetch(put, { method: 'PUT', body: '<report/>' });
    expect(stored.status).toBe(200);
    expect(
      await readAll(await server.artifacts.get('artifacts', 'uploads/report with spaces.xml')),
    ).toBe('<report/>');
  });

  it('refuses a presigned URL used for another key', async () => {
    const url = server.artifacts.presign({
      method: 'GET',
      bucket: 'artifacts',
      key: 'build/output.zip',
      expiresSeconds: 300,
    });
    const response = await fetch(url.replace('output.zip', 'other.zip'));
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});
