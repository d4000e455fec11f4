import { AppError, AppErrorKind, type AppErrorKind as Kind } from '../errors/app-error.ts';
import type { ObjectVersion } from './object.model.ts';

/**
 * The objects component's errors. As in the source component, the resource names the subject
 * precisely enough for the S3 door to pick its wire error. The intended mapping (kind × subject
 * → S3 code, HTTP status):
 *
 * | kind           | subject                 | S3 code                            | status |
 * | -------------- | ----------------------- | ---------------------------------- | ------ |
 * | NotFound       | bucket                  | NoSuchBucket                       | 404    |
 * | AccessDenied   | bucket                  | AccessDenied                       | 403    |
 * | InvalidInput   | bucket-name             | InvalidBucketName                  | 400    |
 * | Conflict       | bucket-not-empty        | BucketNotEmpty                     | 409    |
 * | AlreadyExists  | bucket-exists-owned     | BucketAlreadyOwnedByYou            | 409    |
 * | AlreadyExists  | bucket-exists           | BucketAlreadyExists                | 409    |
 * | InvalidInput   | versioning              | IllegalVersioningConfigurationException | 400 |
 * | NotFound       | key                     | NoSuchKey                          | 404    |
 * | NotFound       | delete-marker           | NoSuchKey, `x-amz-delete-marker: true` | 404 |
 * | InvalidInput   | delete-marker-version   | MethodNotAllowed, `x-amz-delete-marker: true` | 405 |
 * | InvalidInput   | key                     | InvalidArgument                    | 400    |
 * | InvalidInput   | key-too-long            | KeyTooLongError                    | 400    |
 * | NotFound       | version                 | NoSuchVersion                      | 404    |
 * | InvalidInput   | version-id              | InvalidArgument                    | 400    |
 * | NotFound       | upload                  | NoSuchUpload                       | 404    |
 * | InvalidInput   | part                    | InvalidPart                        | 400    |
 * | InvalidInput   | part-order              | InvalidPartOrder                   | 400    |
 * | InvalidInput   | part-number             | InvalidArgument                    | 400    |
 * | InvalidInput   | entity-too-small        | EntityTooSmall                     | 400    |
 * | InvalidInput   | range                   | InvalidRange                       | 416    |
 * | Conflict       | precondition            | PreconditionFailed                 | 412    |
 * | Conflict       | not-modified            | NotModified (no body)              | 304    |
 * | InvalidInput   | digest                  | BadDigest                          | 400    |
 * | InvalidInput   | copy-to-itself          | InvalidRequest                     | 400    |
 * | InvalidInput   | malformed               | MalformedXML                       | 400    |
 * | InvalidInput   | continuation-token      | InvalidArgument                    | 400    |
 * | InvalidInput   | max-keys                | InvalidArgument                    | 400    |
 * | InvalidInput   | argument                | InvalidArgument                    | 400    |
 * | Internal       | blob                    | InternalError                      | 500    |
 *
 * Errors about one version (a delete marker, a failed precondition) are `ObjectVersionError`s,
 * which carry that version so the door can send `x-amz-version-id`, `ETag` and `Last-Modified`.
 */
export const ObjectSubject = {
  Bucket: 'bucket',
  BucketName: 'bucket-name',
  BucketNotEmpty: 'bucket-not-empty',
  BucketExistsOwned: 'bucket-exists-owned',
  BucketExists: 'bucket-exists',
  Versioning: 'versioning',
  Key: 'key',
  KeyTooLong: 'key-too-long',
  DeleteMarker: 'delete-marker',
  DeleteMarkerVersion: 'delete-marker-version',
  Version: 'version',
  VersionId: 'version-id',
  Upload: 'upload',
  Part: 'part',
  PartOrder: 'part-order',
  PartNumber: 'part-number',
  EntityTooSmall: 'entity-too-small',
  Range: 'range',
  Precondition: 'precondition',
  NotModified: 'not-modified',
  Digest: 'digest',
  CopyToItself: 'copy-to-itself',
  Malformed: 'malformed',
  ContinuationToken: 'continuation-token',
  MaxKeys: 'max-keys',
  Argument: 'argument',
  Blob: 'blob',
} as const;
export type ObjectSubject = (typeof ObjectSubject)[keyof typeof ObjectSubject];

export function objectError(kind: Kind, subject: ObjectSubject, message: string): AppError {
  return new AppError(kind, message, { resource: subject });
}

/** An error about one version of an object, which the door describes in its headers. */
export class ObjectVersionError extends AppError {
  readonly version: ObjectVersion;

  constructor(kind: Kind, subject: ObjectSubject, message: string, version: ObjectVersion) {
    super(kind, message, { resource: subject });
    this.name = 'ObjectVersionError';
    this.version = version;
  }
}

export function isObjectVersionError(value: unknown): value is ObjectVersionError {
  return value instanceof ObjectVersionError;
}

export const invalidObjectInput = (subject: ObjectSubject, message: string) =>
  objectError(AppErrorKind.InvalidInput, subject, message);
export const objectNotFound = (subject: ObjectSubject, message: string) =>
  objectError(AppErrorKind.NotFound, subject, message);
export const objectConflict = (subject: ObjectSubject, message: string) =>
  objectError(AppErrorKind.Conflict, subject, message);

export const noSuchBucket = (name: string) =>
  objectNotFound(ObjectSubject.Bucket, `The specified bucket does not exist: ${name}`);
export const noSuchUpload = (uploadId: string) =>
  objectNotFound(
    ObjectSubject.Upload,
    `The specified multipart upload does not exist: ${uploadId}. The upload ID may be invalid, ` +
      'or the upload may have been aborted or completed.',
  );
