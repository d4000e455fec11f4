import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBytes(data: SourceData): string | Buffer {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** SHA-256 for the AWS SDK's signer, on Node's crypto. */
export class NodeSha256 {
  readonly #hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.#hash =
      secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: SourceData): void {
    this.#hash.update(toBytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }
}

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
