import { AppErrorKind, isAppError } from '../errors/app-error.ts';
import type { Scope } from '../source/source.deps.ts';
import { type Bucket, bucketNameProblem, Versioning } from './object.model.ts';
import { requireBucket, type ObjectsContext } from './objects.context.ts';
import { invalidObjectInput, noSuchBucket, ObjectSubject, objectError } from './objects.errors.ts';

/** The statuses PutBucketVersioning accepts; a bucket never goes back to Unversioned. */
export type VersioningStatus = typeof Versioning.Enabled | typeof Versioning.Suspended;

/** Bucket use cases. Names are global to the installation; a bucket belongs to one account. */
export class BucketOperations {
  readonly #context: ObjectsContext;

  constructor(context: ObjectsContext) {
    this.#context = context;
  }

  /**
   * AlreadyExists `bucket-exists-owned` when the caller already owns the name (S3 answers
   * us-east-1 requests for it with 200 instead; the door decides), `bucket-exists` when another
   * account does.
   */
  async createBucket(scope: Scope, name: string): Promise<Bucket> {
    const problem = bucketNameProblem(name);
    if (problem !== undefined) {
      throw invalidObjectInput(ObjectSubject.BucketName, `The bucket name ${problem}`);
    }
    const bucket: Bucket = {
      name,
      accountId: scope.accountId,
      region: scope.region,
      versioning: Versioning.Unversioned,
      createdAt: this.#context.deps.clock.now(),
    };
    try {
      await this.#metadata.createBucket(bucket);
    } catch (error) {
      if (!isAppError(error) || error.kind !== AppErrorKind.AlreadyExists) throw error;
      const existing = await this.#metadata.findBucket(name);
      if (existing !== undefined && existing.accountId !== scope.accountId) {
        throw objectError(
          AppErrorKind.AlreadyExists,
          ObjectSubject.BucketExists,
          'The requested bucket name is not available. The bucket namespace is shared by all ' +
            'users of the system. Please select a different name and try again.',
        );
      }
      throw objectError(
        AppErrorKind.AlreadyExists,
        ObjectSubject.BucketExistsOwned,
        'Your previous request to create the named bucket succeeded and you already own it.',
      );
    }
    return bucket;
  }

  /** HeadBucket: NotFound `bucket`, or AccessDenied `bucket` when another account owns it. */
  headBucket(scope: Scope, name: string): Promise<Bucket> {
    return requireBucket(this.#context, scope, name);
  }

  listBuckets(scope: Scope): Promise<Bucket[]> {
    return this.#metadata.listBuckets(scope.accountId);
  }

  /** Conflict `bucket-not-empty` while it holds versions, delete markers or uploads. */
  async deleteBucket(scope: Scope, name: string): Promise<void> {
    await requireBucket(this.#context, scope, name);
    if (!(await this.#metadata.deleteBucket(name))) throw noSuchBucket(name);
  }

  async getBucketLocation(scope: Scope, name: string): Promise<string> {
    return (await requireBucket(this.#context, scope, name)).region;
  }

  async putBucketVersioning(scope: Scope, name: string, status: VersioningStatus): Promise<void> {
    if (status !== Versioning.Enabled && status !== Versioning.Suspended) {
      throw invalidObjectInput(
        ObjectSubject.Versioning,
        'The versioning configuration specified in the request is invalid.',
      );
    }
    await requireBucket(this.#context, scope, name);
    if (!(await this.#metadata.setVersioning(name, status))) throw noSuchBucket(name);
  }

  /** `Unversioned` when versioning was never enabled (GetBucketVersioning sends no Status). */
  async getBucketVersioning(scope: Scope, name: string): Promise<Versioning> {
    return (await requireBucket(this.#context, scope, name)).versioning;
  }

  get #metadata() {
    return this.#context.deps.metadata;
  }
}
