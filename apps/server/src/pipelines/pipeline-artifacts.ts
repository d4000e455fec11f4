import {
  AppErrorKind,
  isAppError,
  ObjectSubject,
  type ArtifactLocation,
  type HashedBody,
  type ObjectsService,
  type ObjectVersion,
  type Scope,
} from '@slipway/core';
import { hashBody as hashOnLoop } from '../objects/hashing.ts';

export interface PipelineArtifactsDeps {
  readonly objects: ObjectsService;
  /** Hashes what the server writes itself; main.ts passes the digest workers' version. */
  readonly hashBody?: ((body: AsyncIterable<Uint8Array>) => HashedBody) | undefined;
}

export interface PutArtifactOptions {
  readonly contentType?: string | undefined;
  /** Stored headers, lower-case: `cache-control` … */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** `x-amz-meta-*` without the prefix, lower-case. */
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}

/**
 * A pipeline's artifact objects, in the pipeline's own account: the artifact bucket belongs to
 * the account the pipeline lives in (as in AWS), and the builds a pipeline starts upload their
 * artifacts into their own account too. (The server's `ArtifactStore` works in one fixed
 * account, the administrator's, so it is not used here.)
 */
export class PipelineArtifacts {
  readonly #objects: ObjectsService;
  readonly #hashBody: (body: AsyncIterable<Uint8Array>) => HashedBody;

  constructor(deps: PipelineArtifactsDeps) {
    this.#objects = deps.objects;
    this.#hashBody = deps.hashBody ?? ((body) => hashOnLoop(body));
  }

  get objects(): ObjectsService {
    return this.#objects;
  }

  /**
   * Creates the bucket unless the account already has it; an AppError (AccessDenied `bucket`,
   * or AlreadyExists `bucket-exists` in a race) when another account owns the name.
   */
  async ensureBucket(scope: Scope, bucket: string): Promise<void> {
    try {
      await this.#objects.headBucket(scope, bucket);
      return;
    } catch (error) {
      // AccessDenied: another account owns the name.
      if (!isAppError(error) || error.kind !== AppErrorKind.NotFound) throw error;
    }
    try {
      await this.#objects.createBucket(scope, bucket);
    } catch (error) {
      // Created meanwhile by another action of the account.
      const ours =
        isAppError(error) &&
        error.kind === AppErrorKind.AlreadyExists &&
        error.resource === ObjectSubject.BucketExistsOwned;
      if (!ours) throw error;
    }
  }

  put(
    scope: Scope,
    location: ArtifactLocation,
    body: AsyncIterable<Uint8Array>,
    options: PutArtifactOptions = {},
  ): Promise<ObjectVersion> {
    const hashed = this.#hashBody(body);
    return this.#objects.putObject({
      scope,
      bucket: location.bucket,
      key: location.key,
      body: hashed.body,
      describe: hashed.describe,
      contentType: options.contentType,
      headers: options.headers,
      metadata: options.metadata,
    });
  }

  async get(
    scope: Scope,
    location: ArtifactLocation,
  ): Promise<{ version: ObjectVersion; body: AsyncIterable<Uint8Array> }> {
    const { version, body } = await this.#objects.getObject({
      scope,
      bucket: location.bucket,
      key: location.key,
    });
    return { version, body };
  }

  /** The latest version, or undefined when there is no such object (or bucket). */
  async find(scope: Scope, location: ArtifactLocation): Promise<ObjectVersion | undefined> {
    try {
      const { version } = await this.#objects.headObject({
        scope,
        bucket: location.bucket,
        key: location.key,
      });
      return version;
    } catch (error) {
      if (isAppError(error) && error.kind === AppErrorKind.NotFound) return undefined;
      throw error;
    }
  }
}

/** `s3://bucket/key`, for summaries and logs. */
export function s3Url(location: ArtifactLocation): string {
  return `s3://${location.bucket}/${location.key}`;
}
