import type { ObjectsService, ObjectVersion, Scope } from '@slipway/core';
import { presignObjectUrl } from '../s3/presign.ts';
import type { DigestWorkers } from './digest-workers.ts';
import { hashBody } from './hashing.ts';

export interface ArtifactStoreDeps {
  readonly objects: ObjectsService;
  /** The account and region artifacts are kept in. */
  readonly scope: Scope;
  /** The key presigned URLs are signed with (the installation's administrator). */
  readonly signer: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** How clients reach the S3 door; read when a URL is made, as the port is known late. */
  readonly baseUrl: () => string;
  readonly now: () => number;
  readonly digestWorkers?: DigestWorkers | undefined;
}

/**
 * What other components use to keep artifacts: streams in and out through the objects
 * service, and presigned URLs for runners and agents, so nothing but the blob store knows
 * where bytes live on disk.
 */
export class ArtifactStore {
  readonly #deps: ArtifactStoreDeps;

  constructor(deps: ArtifactStoreDeps) {
    this.#deps = deps;
  }

  async ensureBucket(bucket: string): Promise<void> {
    const buckets = await this.#deps.objects.listBuckets(this.#deps.scope);
    if (!buckets.some((b) => b.name === bucket)) {
      await this.#deps.objects.createBucket(this.#deps.scope, bucket);
    }
  }

  async put(bucket: string, key: string, body: AsyncIterable<Uint8Array>): Promise<ObjectVersion> {
    const hashed = hashBody(body, this.#deps.digestWorkers);
    return this.#deps.objects.putObject({
      scope: this.#deps.scope,
      bucket,
      key,
      body: hashed.body,
      describe: hashed.describe,
    });
  }

  async get(bucket: string, key: string): Promise<AsyncIterable<Uint8Array>> {
    const { body } = await this.#deps.objects.getObject({ scope: this.#deps.scope, bucket, key });
    return body;
  }

  presign(input: {
    readonly method: 'GET' | 'PUT' | 'HEAD';
    readonly bucket: string;
    readonly key: string;
    readonly versionId?: string | undefined;
    readonly expiresSeconds: number;
  }): string {
    return presignObjectUrl({
      ...input,
      baseUrl: this.#deps.baseUrl(),
      accessKeyId: this.#deps.signer.accessKeyId,
      secretAccessKey: this.#deps.signer.secretAccessKey,
      region: this.#deps.scope.region,
      now: this.#deps.now(),
    });
  }
}
