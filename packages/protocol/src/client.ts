import type {
  ArtifactUploadResponse,
  BuildCompleteRequest,
  BuildJobSpec,
  PhaseUpdateRequest,
} from './build-job.ts';
import {
  type ClaimRequest,
  type ClaimResponse,
  type HeartbeatResponse,
  JobErrorCode,
  type JobErrorBody,
  jobsV1Path,
  type LogAppendRequest,
} from './jobs-v1.ts';

/** The server refused the call; `code` says whether to give up the job (LeaseLost) or stop. */
export class JobProtocolError extends Error {
  readonly code: JobErrorCode;
  readonly status: number;

  constructor(code: JobErrorCode, status: number, message: string) {
    super(message);
    this.name = 'JobProtocolError';
    this.code = code;
    this.status = status;
  }
}

export interface JobClientOptions {
  /** `http://host:port` of any server replica. */
  readonly server: string;
  readonly token: string;
  /** Attempts per call for network errors and 5xx answers (calls are idempotent). */
  readonly attempts?: number;
  readonly fetch?: typeof fetch;
}

/**
 * A worker's side of the job protocol over HTTP. Every call but the claim is idempotent (a
 * lease and a sequence number name it), so transient failures are retried with backoff; a 4xx
 * is final and thrown as a JobProtocolError.
 */
export class JobClient {
  readonly #base: string;
  readonly #token: string;
  readonly #attempts: number;
  readonly #fetch: typeof fetch;

  constructor(options: JobClientOptions) {
    this.#base = `${options.server.replace(/\/+$/, '')}${jobsV1Path}`;
    this.#token = options.token;
    this.#attempts = options.attempts ?? 5;
    this.#fetch = options.fetch ?? fetch;
  }

  /** A build job, or undefined when none came within the wait. */
  async claimBuild(
    request: Omit<ClaimRequest, 'kinds'>,
    signal?: AbortSignal,
  ): Promise<ClaimResponse<BuildJobSpec> | undefined> {
    const response = await this.#call(
      'POST',
      '/claim',
      JSON.stringify({ ...request, kinds: ['build'] }),
      { signal, attempts: 1 },
    );
    if (response.status === 204) return undefined;
    return (await response.json()) as ClaimResponse<BuildJobSpec>;
  }

  async heartbeat(jobId: string, leaseId: string): Promise<HeartbeatResponse> {
    return this.#json(`/jobs/${encodeURIComponent(jobId)}/heartbeat`, { leaseId });
  }

  async appendLogs(jobId: string, request: LogAppendRequest): Promise<void> {
    await this.#json(`/jobs/${encodeURIComponent(jobId)}/logs`, request);
  }

  async updatePhase(jobId: string, request: PhaseUpdateRequest): Promise<void> {
    await this.#json(`/jobs/${encodeURIComponent(jobId)}/phases`, request);
  }

  /**
   * Streams one artifact (a ZIP, or one file of a tree). Not retried: a body stream cannot be
   * replayed; the caller decides whether to produce it again.
   */
  async uploadArtifact(
    jobId: string,
    query: {
      leaseId: string;
      identifier?: string;
      name: string;
      packaging: 'ZIP' | 'NONE';
      path?: string;
    },
    body: AsyncIterable<Uint8Array>,
  ): Promise<ArtifactUploadResponse> {
    const params = new URLSearchParams(
      Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    const response = await this.#call(
      'PUT',
      `/jobs/${encodeURIComponent(jobId)}/artifacts?${params.toString()}`,
      body,
      { attempts: 1, contentType: 'application/octet-stream' },
    );
    return (await response.json()) as ArtifactUploadResponse;
  }

  async completeBuild(jobId: string, request: BuildCompleteRequest): Promise<void> {
    await this.#json(`/jobs/${encodeURIComponent(jobId)}/complete`, request);
  }

  async #json<T>(path: string, body: unknown): Promise<T> {
    const response = await this.#call('POST', path, JSON.stringify(body), {});
    return (await response.json()) as T;
  }

  async #call(
    method: string,
    path: string,
    body: string | AsyncIterable<Uint8Array>,
    options: { signal?: AbortSignal | undefined; attempts?: number; contentType?: string },
  ): Promise<Response> {
    const attempts = options.attempts ?? this.#attempts;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await this.#fetch(`${this.#base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${this.#token}`,
            'content-type': options.contentType ?? 'application/json',
          },
          // Node's fetch takes an async iterable as a streamed body.
          body: body as unknown as RequestInit['body'],
          // A streamed request body needs half-duplex (Node's fetch requires saying so).
          ...(typeof body === 'string' ? {} : { duplex: 'half' }),
          signal: options.signal ?? null,
        });
      } catch (error) {
        if (options.signal?.aborted === true || attempt >= attempts) throw error;
        await backoff(attempt);
        continue;
      }
      if (response.ok) return response;
      if (response.status >= 500 && attempt < attempts) {
        await response.body?.cancel();
        await backoff(attempt);
        continue;
      }
      throw await toError(response);
    }
  }
}

async function toError(response: Response): Promise<JobProtocolError> {
  const text = await response.text().catch(() => '');
  let body: Partial<JobErrorBody> = {};
  try {
    body = JSON.parse(text) as JobErrorBody;
  } catch {
    // Not ours (a proxy's page): keep the status.
  }
  const code =
    body.error?.code ??
    (response.status === 401
      ? JobErrorCode.Unauthorized
      : response.status === 409
        ? JobErrorCode.LeaseLost
        : response.status === 404
          ? JobErrorCode.NotFound
          : response.status >= 500
            ? JobErrorCode.Internal
            : JobErrorCode.InvalidRequest);
  return new JobProtocolError(code, response.status, body.error?.message ?? text.slice(0, 200));
}

function backoff(attempt: number): Promise<void> {
  const ms = Math.min(200 * 2 ** (attempt - 1), 5_000) * (0.5 + Math.random() / 2);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
