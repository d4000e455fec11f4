import type { Scope } from '../source/source.deps.ts';
import type {
  Bucket,
  MultipartUpload,
  ObjectVersion,
  UploadedPart,
  Versioning,
} from './object.model.ts';
import { BucketOperations, type VersioningStatus } from './buckets.ts';
import {
  MultipartOperations,
  type CompleteMultipartUploadInput,
  type CreateMultipartUploadInput,
  type ListPartsInput,
  type ListPartsOutput,
  type UploadLocation,
  type UploadPartCopyInput,
  type UploadPartCopyOutput,
  type UploadPartInput,
} from './multipart.ts';
import {
  ObjectListing,
  type ListMultipartUploadsInput,
  type ListMultipartUploadsOutput,
  type ListObjectsInput,
  type ListObjectsOutput,
  type ListObjectVersionsInput,
  type ListObjectVersionsOutput,
} from './object-listing.ts';
import {
  ObjectReads,
  type GetObjectInput,
  type GetObjectOutput,
  type HeadObjectInput,
  type HeadObjectOutput,
} from './object-reads.ts';
import {
  ObjectWrites,
  type CopyObjectInput,
  type CopyObjectOutput,
  type DeleteObjectInput,
  type DeleteObjectOutput,
  type DeleteObjectsResult,
  type ObjectToDelete,
  type PutObjectInput,
} from './object-writes.ts';
import { defaultMinPartSize, type ObjectsDeps, type ObjectsOptions } from './objects.deps.ts';

/**
 * Buckets, objects, versions and multipart uploads: the S3 model's use cases, with plain inputs
 * (no HTTP). Every refusal is an AppError whose resource is an `ObjectSubject`; the S3 door
 * maps them (see objects.errors.ts). Bytes stream through; hashing is the door's (each body
 * comes with `describe()`), but for what the service hashes itself through `deps`.
 */
export class ObjectsService {
  readonly #buckets: BucketOperations;
  readonly #reads: ObjectReads;
  readonly #writes: ObjectWrites;
  readonly #listing: ObjectListing;
  readonly #multipart: MultipartOperations;

  constructor(deps: ObjectsDeps, options: ObjectsOptions = {}) {
    const context = { deps, minPartSize: options.minPartSize ?? defaultMinPartSize };
    this.#buckets = new BucketOperations(context);
    this.#reads = new ObjectReads(context);
    this.#writes = new ObjectWrites(context);
    this.#listing = new ObjectListing(context);
    this.#multipart = new MultipartOperations(context);
  }

  createBucket(scope: Scope, name: string): Promise<Bucket> {
    return this.#buckets.createBucket(scope, name);
  }

  headBucket(scope: Scope, name: string): Promise<Bucket> {
    return this.#buckets.headBucket(scope, name);
  }

  listBuckets(scope: Scope): Promise<Bucket[]> {
    return this.#buckets.listBuckets(scope);
  }

  deleteBucket(scope: Scope, name: string): Promise<void> {
    return this.#buckets.deleteBucket(scope, name);
  }

  getBucketLocation(scope: Scope, name: string): Promise<string> {
    return this.#buckets.getBucketLocation(scope, name);
  }

  putBucketVersioning(scope: Scope, name: string, status: VersioningStatus): Promise<void> {
    return this.#buckets.putBucketVersioning(scope, name, status);
  }

  getBucketVersioning(scope: Scope, name: string): Promise<Versioning> {
    return this.#buckets.getBucketVersioning(scope, name);
  }

  putObject(input: PutObjectInput): Promise<ObjectVersion> {
    return this.#writes.putObject(input);
  }

  getObject(input: GetObjectInput): Promise<GetObjectOutput> {
    return this.#reads.getObject(input);
  }

  headObject(input: HeadObjectInput): Promise<HeadObjectOutput> {
    return this.#reads.headObject(input);
  }

  deleteObject(input: DeleteObjectInput): Promise<DeleteObjectOutput> {
    return this.#writes.deleteObject(input);
  }

  deleteObjects(
    scope: Scope,
    bucket: string,
    objects: readonly ObjectToDelete[],
  ): Promise<DeleteObjectsResult[]> {
    return this.#writes.deleteObjects(scope, bucket, objects);
  }

  copyObject(input: CopyObjectInput): Promise<CopyObjectOutput> {
    return this.#writes.copyObject(input);
  }

  listObjects(input: ListObjectsInput): Promise<ListObjectsOutput> {
    return this.#listing.listObjects(input);
  }

  listObjectVersions(input: ListObjectVersionsInput): Promise<ListObjectVersionsOutput> {
    return this.#listing.listObjectVersions(input);
  }

  createMultipartUpload(input: CreateMultipartUploadInput): Promise<MultipartUpload> {
    return this.#multipart.createMultipartUpload(input);
  }

  uploadPart(input: UploadPartInput): Promise<UploadedPart> {
    return this.#multipart.uploadPart(input);
  }

  uploadPartCopy(input: UploadPartCopyInput): Promise<UploadPartCopyOutput> {
    return this.#multipart.uploadPartCopy(input);
  }

  listParts(input: ListPartsInput): Promise<ListPartsOutput> {
    return this.#multipart.listParts(input);
  }

  listMultipartUploads(input: ListMultipartUploadsInput): Promise<ListMultipartUploadsOutput> {
    return this.#listing.listMultipartUploads(input);
  }

  completeMultipartUpload(input: CompleteMultipartUploadInput): Promise<ObjectVersion> {
    return this.#multipart.completeMultipartUpload(input);
  }

  abortMultipartUpload(input: UploadLocation): Promise<void> {
    return this.#multipart.abortMultipartUpload(input);
  }
}
