import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from './node-sha256.ts';

export interface AgentCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

export interface SignedRequest {
  /** The server's base URL; requests go to its path (usually `/`). */
  readonly server: string;
  /** The SigV4 signing name, e.g. `codedeploy-commands` or `sts`. */
  readonly service: string;
  readonly region: string;
  readonly credentials: AgentCredentials;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly fetch?: typeof fetch;
}

/**
 * POSTs `body` signed with SigV4 as the AWS SDK would. The Host header is signed as the URL's
 * host and left for fetch to send (it may not be set by hand). One attempt: callers retry.
 */
export async function sendSigned(request: SignedRequest): Promise<Response> {
  const url = new URL(request.server);
  const path = url.pathname === '' ? '/' : url.pathname;
  const signer = new SignatureV4({
    credentials: request.credentials,
    region: request.region,
    service: request.service,
    sha256: NodeSha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path,
    query: {},
    headers: { host: url.host, ...request.headers },
    body: request.body,
  });
  const headers: Record<string, string> = { ...signed.headers };
  delete headers.host;
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  return (request.fetch ?? fetch)(new URL(path, url), {
    method: 'POST',
    headers,
    body: request.body,
    signal,
  });
}
