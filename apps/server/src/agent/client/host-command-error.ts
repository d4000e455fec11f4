/**
 * The server answered a host-command or STS call with an error. `type` is the AWS error code
 * (`__type` without its namespace); 4xx are final, 5xx and throttling may be retried.
 */
export class HostCommandError extends Error {
  readonly type: string;
  readonly status: number;
  readonly retryable: boolean;

  constructor(options: { type: string; status: number; message: string }) {
    super(`${options.type}: ${options.message}`);
    this.name = 'HostCommandError';
    this.type = options.type;
    this.status = options.status;
    this.retryable = options.status >= 500 || options.type.includes('Throttl');
  }
}

/** Reads an AWS JSON error (`{"__type": "...", "message": "..."}`) from a failed response. */
export async function jsonErrorOf(response: Response): Promise<HostCommandError> {
  const text = await response.text().catch(() => '');
  let body: { __type?: unknown; message?: unknown; Message?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not an AWS error body (a proxy's page): keep the status.
  }
  const rawType =
    typeof body.__type === 'string'
      ? body.__type
      : (response.headers.get('x-amzn-errortype') ?? `HTTP${response.status}`);
  const type = rawType.split('#').pop()?.split(':')[0] ?? rawType;
  const message =
    typeof body.message === 'string'
      ? body.message
      : typeof body.Message === 'string'
        ? body.Message
        : text.slice(0, 200);
  return new HostCommandError({ type, status: response.status, message });
}

/** Reads an AWS query-protocol error (`<Error><Code>…</Code><Message>…</Message>`). */
export async function xmlErrorOf(response: Response): Promise<HostCommandError> {
  const text = await response.text().catch(() => '');
  const type = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? `HTTP${response.status}`;
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? text.slice(0, 200);
  return new HostCommandError({ type, status: response.status, message });
}
