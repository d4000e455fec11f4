import {
  hostCommandSigningName,
  hostCommandTargetPrefix,
  type CommandStatus,
  type DeploymentSpecification,
  type GetDeploymentSpecificationResponse,
  type HostCommandInstance,
  type PollHostCommandResponse,
  type PostHostCommandUpdateRequest,
  type PutHostCommandAcknowledgementRequest,
  type PutHostCommandAcknowledgementResponse,
  type PutHostCommandCompleteRequest,
  type PostHostCommandUpdateResponse,
} from '@slipway/protocol';
import { HostCommandError, jsonErrorOf } from './host-command-error.ts';
import { sendSigned, type AgentCredentials } from './signed-request.ts';

export interface HostCommandClientOptions {
  /** `http://host:port` of the Slipway server. */
  readonly server: string;
  readonly region: string;
  readonly credentials: AgentCredentials;
  /** Attempts per call for network errors, 5xx and throttling (default 5). */
  readonly attempts?: number;
  /** Per request; above the 20 s a PollHostCommand may be held (default 30 s). */
  readonly requestTimeoutMs?: number;
  readonly fetch?: typeof fetch;
}

export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
  /** Overrides the client's attempts for this call. */
  readonly attempts?: number;
}

/**
 * The agent's side of CodeDeployCommandService_v20141006 (packages/protocol host-commands.ts):
 * AWS JSON 1.1 over `POST /`, SigV4-signed as `codedeploy-commands`. Every call names its
 * command, so retrying one is safe: network errors, 5xx and throttling are retried with backoff;
 * other 4xx are thrown as HostCommandError.
 */
export class HostCommandClient {
  readonly #options: HostCommandClientOptions;

  constructor(options: HostCommandClientOptions) {
    this.#options = Object.freeze({ ...options });
  }

  /** The next command for this host, or undefined when none came within the server's wait. */
  async pollHostCommand(
    hostIdentifier: string,
    options: CallOptions = {},
  ): Promise<HostCommandInstance | undefined> {
    const answer = await this.#call<PollHostCommandResponse>(
      'PollHostCommand',
      { HostIdentifier: hostIdentifier },
      options,
    );
    return answer.HostCommand ?? undefined;
  }

  /** The deployment's specification, decoded from its TEXT/JSON envelope. */
  async getDeploymentSpecification(
    request: { readonly DeploymentExecutionId: string; readonly HostIdentifier: string },
    options: CallOptions = {},
  ): Promise<DeploymentSpecification> {
    const answer = await this.#call<GetDeploymentSpecificationResponse>(
      'GetDeploymentSpecification',
      request,
      options,
    );
    const envelope = answer.DeploymentSpecification?.GenericEnvelope;
    if (envelope?.Format !== 'TEXT/JSON' || typeof envelope.Payload !== 'string') {
      throw new HostCommandError({
        type: 'InvalidDeploymentSpecification',
        status: 200,
        message: `expected a TEXT/JSON envelope, got ${String(envelope?.Format)}`,
      });
    }
    return JSON.parse(envelope.Payload) as DeploymentSpecification;
  }

  async putHostCommandAcknowledgement(
    request: PutHostCommandAcknowledgementRequest,
    options: CallOptions = {},
  ): Promise<CommandStatus> {
    const answer = await this.#call<PutHostCommandAcknowledgementResponse>(
      'PutHostCommandAcknowledgement',
      request,
      options,
    );
    return answer.CommandStatus;
  }

  async postHostCommandUpdate(
    request: PostHostCommandUpdateRequest,
    options: CallOptions = {},
  ): Promise<CommandStatus> {
    const answer = await this.#call<PostHostCommandUpdateResponse>(
      'PostHostCommandUpdate',
      request,
      options,
    );
    return answer.CommandStatus;
  }

  async putHostCommandComplete(
    request: PutHostCommandCompleteRequest,
    options: CallOptions = {},
  ): Promise<void> {
    await this.#call<unknown>('PutHostCommandComplete', request, options);
  }

  async #call<T>(operation: string, body: unknown, options: CallOptions): Promise<T> {
    const attempts = options.attempts ?? this.#options.attempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await sendSigned({
          server: this.#options.server,
          service: hostCommandSigningName,
          region: this.#options.region,
          credentials: this.#options.credentials,
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': `${hostCommandTargetPrefix}.${operation}`,
          },
          body: JSON.stringify(body),
          timeoutMs: this.#options.requestTimeoutMs ?? 30_000,
          signal: options.signal,
          ...(this.#options.fetch ? { fetch: this.#options.fetch } : {}),
        });
      } catch (error) {
        if (options.signal?.aborted === true || attempt >= attempts) throw error;
        await backoff(attempt, options.signal);
        continue;
      }
      if (response.ok) {
        const text = await response.text();
        return (text === '' ? {} : JSON.parse(text)) as T;
      }
      const error = await jsonErrorOf(response);
      if (!error.retryable || attempt >= attempts || options.signal?.aborted === true) throw error;
      await backoff(attempt, options.signal);
    }
  }
}

function backoff(attempt: number, signal: AbortSignal | undefined): Promise<void> {
  const ms = Math.min(200 * 2 ** (attempt - 1), 5_000) * (0.5 + Math.random() / 2);
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
