import { NodeSha256 } from '../../apps/server/src/agent/client/node-sha256.ts';
import { SignatureV4 } from '@smithy/signature-v4';

// The agent's SHA-256 for @smithy/signature-v4: the same signer the tests use.
export { NodeSha256 };

export interface SignedFetchOptions {
  readonly url: string;
  readonly service: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region?: string;
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Sign this body but send `body` instead. */
  readonly signedBody?: string;
}

/** The headers the AWS SDK for JavaScript would send for this request (host excluded). */
export async function signHeaders(options: SignedFetchOptions): Promise<Record<string, string>> {
  const url = new URL(options.url);
  const signer = new SignatureV4({
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    region: options.region ?? 'us-east-1',
    service: options.service,
    sha256: NodeSha256,
  });
  const signed = await signer.sign({
    method: options.method ?? 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: options.path ?? '/',
    query: {},
    headers: { host: url.host, ...options.headers },
    body: options.signedBody ?? options.body,
  });
  const headers = { ...signed.headers };
  delete headers.host;
  return headers;
}

/** Signs a request the way the AWS SDK for JavaScript does, then sends it with fetch. */
export async function signedFetch(options: SignedFetchOptions): Promise<Response> {
  return fetch(new URL(options.path ?? '/', options.url), {
    method: options.method ?? 'POST',
    headers: await signHeaders(options),
    body: options.body,
  });
}
