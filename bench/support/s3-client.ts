import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Agent } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
// Comes with the SDK (a dependency of every @aws-sdk/client-*), so it is not a root dependency.
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface BenchS3ClientOptions {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly maxSockets: number;
}

/** What the SDK put on the wire for one kind of request, as signed (after every middleware). */
export interface RequestForm {
  /** `PutObject, stream body`, `UploadPart, bytes body`, … */
  readonly kind: string;
  readonly contentEncoding: string | undefined;
  readonly contentSha256: string | undefined;
  readonly contentLength: string | undefined;
  readonly decodedContentLength: string | undefined;
  /** `CRC32 header`, `CRC32 trailer`, `none`, …; for a GET, what the answer carried. */
  readonly checksum: string;
}

export interface BenchS3Client {
  readonly client: S3Client;
  /** The first request of each command and body kind, in the order first seen. */
  readonly forms: RequestForm[];
  close(): void;
}

/**
 * The real SDK over keep-alive connections (at most `maxSockets`), retries off so every failure
 * is counted, and a finalizeRequest middleware that notes what the first request of each kind
 * looked like once signed: the checksum form (aws-chunked with a trailer, or a header) is part
 * of the cost being measured.
 */
export function createBenchS3Client(options: BenchS3ClientOptions): BenchS3Client {
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets });
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: options.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      httpAgent: agent,
      connectionTimeout: 5_000,
      // Idle time on the socket, not the whole transfer.
      requestTimeout: 60_000,
    }),
  });
  const forms: RequestForm[] = [];
  const seen = new Set<string>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as { headers?: Record<string, string>; body?: unknown };
      const headers = request.headers ?? {};
      const command = (context.commandName ?? 'unknown').replace(/Command$/, '');
      const kind = `${command}, ${bodyKind(request.body)} body`;
      const first = !seen.has(kind);
      seen.add(kind);
      const result = await next(args);
      if (first) {
        const response = result.response as { headers?: Record<string, string> };
        forms.push({
          kind,
          contentEncoding: header(headers, 'content-encoding'),
          contentSha256: header(headers, 'x-amz-content-sha256'),
          contentLength: header(headers, 'content-length'),
          decodedContentLength: header(headers, 'x-amz-decoded-content-length'),
          checksum: describeChecksum(headers, response.headers ?? {}),
        });
      }
      return result;
    },
    { step: 'finalizeRequest', priority: 'low', name: 'benchRequestForms' },
  );
  return {
    client,
    forms,
    close: () => {
      client.destroy();
      agent.destroy();
    },
  };
}

function bodyKind(body: unknown): string {
  if (body === undefined || body === null) return 'no';
  if (typeof body === 'string' || body instanceof Uint8Array) return 'bytes';
  return 'stream';
}

function header(headers: Record<string, string>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

function describeChecksum(
  request: Record<string, string>,
  response: Record<string, string>,
): string {
  const trailer = header(request, 'x-amz-trailer');
  if (trailer !== undefined) return `${checksumName(trailer)} trailer`;
  const sent = Object.keys(request).find((key) =>
    /^x-amz-checksum-(?!(mode|algorithm|type)$)/i.test(key),
  );
  if (sent !== undefined) return `${checksumName(sent)} header`;
  if (header(request, 'x-amz-checksum-mode') !== undefined) {
    const answered = Object.keys(response).find((key) => /^x-amz-checksum-/i.test(key));
    return answered === undefined
      ? 'asked for one; none answered'
      : `${checksumName(answered)} in the answer`;
  }
  return 'none';
}

function checksumName(header: string): string {
  return header.replace(/^x-amz-checksum-/i, '').toUpperCase();
}

/** Counts TCP connections this process opens (Node's net.client.socket channel). */
export class ConnectionCounter {
  #count = 0;
  readonly #onSocket = () => {
    this.#count += 1;
  };

  constructor() {
    subscribe('net.client.socket', this.#onSocket);
  }

  get count(): number {
    return this.#count;
  }

  close(): void {
    unsubscribe('net.client.socket', this.#onSocket);
  }
}
