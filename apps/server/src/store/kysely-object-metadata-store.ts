import {
  AppErrorKind,
  invalidObjectInput,
  noSuchBucket,
  noSuchUpload,
  nullVersionId,
  objectConflict,
  objectError,
  objectKeyHex,
  ObjectSubject,
  type Bucket,
  type CompleteUploadResult,
  type ListLatestQuery,
  type ListPartsQuery,
  type ListUploadsQuery,
  type ListVersionsQuery,
  type MultipartUpload,
  type NewObjectVersion,
  type ObjectMetadataStore,
  type ObjectPart,
  type ObjectVersion,
  type PutVersionOptions,
  type PutVersionResult,
  type UploadedPart,
  type Versioning,
} from '@slipway/core';
import { sql, type Transaction } from 'kysely';
import type { Database } from './database.ts';
import { isLatest, selectLatest, selectUploads, selectVersions } from './kysely-object-queries.ts';
import {
  isUniqueViolation,
  partValues,
  toBucket,
  toPart,
  toParts,
  toUpload,
  toVersion,
  uploadValues,
  versionValues,
} from './kysely-object-rows.ts';
import type { Schema } from './schema.ts';

/** Concurrent writers of one part number (or key) collide on a unique key; the loser retries. */
const transactionAttempts = 5;

/**
 * The object metadata in SQL (SQLite or PostgreSQL). Keys are stored as `objectKeyHex`, in
 * columns with byte-order collation, so listing and prefixes follow UTF-8 byte order and keys
 * may hold NUL. On PostgreSQL, writers lock what they depend on: a put holds its bucket row
 * `for share` (a bucket delete holds it `for update`), then a transaction-scoped advisory lock
 * on its key so the versions of a key are numbered in commit order; completing or aborting an
 * upload holds its row `for update` and recording a part holds it `for share`. SQLite runs one
 * transaction at a time.
 */
export class KyselyObjectMetadataStore implements ObjectMetadataStore {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  async createBucket(bucket: Bucket): Promise<void> {
    const row = await this.#db
      .insertInto('buckets')
      .values({
        name: bucket.name,
        account_id: bucket.accountId,
        region: bucket.region,
        versioning: bucket.versioning,
        created_at: bucket.createdAt,
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('name')
      .executeTakeFirst();
    if (row === undefined) {
      throw objectError(
        AppErrorKind.AlreadyExists,
        ObjectSubject.BucketExistsOwned,
        `The bucket ${bucket.name} already exists`,
      );
    }
  }

  async findBucket(name: string): Promise<Bucket | undefined> {
    const row = await this.#db
      .selectFrom('buckets')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row === undefined ? undefined : toBucket(row);
  }

  async listBuckets(accountId: string): Promise<Bucket[]> {
    const rows = await this.#db
      .selectFrom('buckets')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('name')
      .execute();
    return rows.map(toBucket);
  }

  deleteBucket(name: string): Promise<boolean> {
    return this.#transaction(async (trx) => {
      const bucket = await trx
        .selectFrom('buckets')
        .select('name')
        .where('name', '=', name)
        .$if(this.#postgres, (qb) => qb.forUpdate())
        .executeTakeFirst();
      if (bucket === undefined) return false;
      const version = await trx
        .selectFrom('object_versions')
        .select('seq')
        .where('bucket', '=', name)
        .limit(1)
        .executeTakeFirst();
      const upload = await trx
        .selectFrom('multipart_uploads')
        .select('upload_id')
        .where('bucket', '=', name)
        .limit(1)
        .executeTakeFirst();
      if (version !== undefined || upload !== undefined) {
        throw objectConflict(
          ObjectSubject.BucketNotEmpty,
          'The bucket you tried to delete is not empty',
        );
      }
      await trx.deleteFrom('buckets').where('name', '=', name).execute();
      return true;
    });
  }

  async setVersioning(name: string, versioning: Versioning): Promise<boolean> {
    const result = await this.#db
      .updateTable('buckets')
      .set({ versioning })
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  putVersion(version: NewObjectVersion, options: PutVersionOptions): Promise<PutVersionResult> {
    return this.#transaction((trx) => this.#putVersion(trx, version, options));
  }

  async findVersion(
    bucket: string,
    key: string,
    versionId?: string,
  ): Promise<ObjectVersion | undefined> {
    const row = await this.#db
      .selectFrom('object_versions as v')
      .selectAll('v')
      .select(isLatest.as('is_latest'))
      .where('v.bucket', '=', bucket)
      .where('v.key_hex', '=', objectKeyHex(key))
      .$if(versionId !== undefined, (qb) => qb.where('v.version_id', '=', versionId ?? ''))
      .orderBy('v.seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : toVersion(row, row.is_latest);
  }

  deleteVersion(
    bucket: string,
    key: string,
    versionId: string,
  ): Promise<ObjectVersion | undefined> {
    return this.#transaction(async (trx) => {
      const row = await trx
        .selectFrom('object_versions as v')
        .selectAll('v')
        .select(isLatest.as('is_latest'))
        .where('v.bucket', '=', bucket)
        .where('v.key_hex', '=', objectKeyHex(key))
        .where('v.version_id', '=', versionId)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      const result = await trx
        .deleteFrom('object_versions')
        .where('seq', '=', row.seq)
        .executeTakeFirst();
      // A concurrent delete of the same version got there first.
      return Number(result.numDeletedRows) > 0 ? toVersion(row, row.is_latest) : undefined;
    });
  }

  listLatest(query: ListLatestQuery): Promise<ObjectVersion[]> {
    return selectLatest(this.#db, query);
  }

  listVersions(query: ListVersionsQuery): Promise<ObjectVersion[]> {
    return selectVersions(this.#db, query);
  }

  async createUpload(upload: MultipartUpload): Promise<void> {
    await this.#transaction(async (trx) => {
      await this.#lockBucket(trx, upload.bucket);
      await trx
        .insertInto('multipart_uploads')
        .values(uploadValues(upload, objectKeyHex(upload.key)))
        .execute();
    });
  }

  async findUpload(uploadId: string): Promise<MultipartUpload | undefined> {
    const row = await this.#db
      .selectFrom('multipart_uploads')
      .selectAll()
      .where('upload_id', '=', uploadId)
      .executeTakeFirst();
    return row === undefined ? undefined : toUpload(row);
  }

  putPart(part: UploadedPart): Promise<UploadedPart | undefined> {
    return this.#transaction(async (trx) => {
      await this.#lockUpload(trx, part.uploadId, 'share');
      const replaced = await trx
        .deleteFrom('upload_parts')
        .where('upload_id', '=', part.uploadId)
        .where('part_number', '=', part.partNumber)
        .returningAll()
        .executeTakeFirst();
      await trx.insertInto('upload_parts').values(partValues(part)).execute();
      return replaced === undefined ? undefined : toPart(replaced);
    });
  }

  async listParts(uploadId: string, query: ListPartsQuery): Promise<UploadedPart[]> {
    const rows = await this.#db
      .selectFrom('upload_parts')
      .selectAll()
      .where('upload_id', '=', uploadId)
      .$if(query.after !== undefined, (qb) => qb.where('part_number', '>', query.after ?? 0))
      .orderBy('part_number')
      .limit(query.limit)
      .execute();
    return rows.map(toPart);
  }

  listUploads(bucket: string, query: ListUploadsQuery): Promise<MultipartUpload[]> {
    return selectUploads(this.#db, bucket, query);
  }

  completeUpload(
    uploadId: string,
    version: NewObjectVersion,
    options: PutVersionOptions,
  ): Promise<CompleteUploadResult> {
    return this.#transaction(async (trx) => {
      await this.#lockUpload(trx, uploadId, 'update');
      const parts = await this.#removeUpload(trx, uploadId);
      const uploaded = new Set(parts.map((part) => part.blobKey));
      const used = new Set(version.parts.map((part) => part.blobKey));
      if ([...used].some((blobKey) => !uploaded.has(blobKey))) {
        throw invalidObjectInput(
          ObjectSubject.Part,
          'A part of the object is not a part of the upload',
        );
      }
      const put = await this.#putVersion(trx, version, options);
      const unused: ObjectPart[] = parts
        .filter((part) => !used.has(part.blobKey))
        .map(({ blobKey, size }) => ({ blobKey, size }));
      return { ...put, unused };
    });
  }

  abortUpload(uploadId: string): Promise<UploadedPart[] | undefined> {
    return this.#transaction(async (trx) => {
      const upload = await trx
        .selectFrom('multipart_uploads')
        .select('upload_id')
        .where('upload_id', '=', uploadId)
        .$if(this.#postgres, (qb) => qb.forUpdate())
        .executeTakeFirst();
      if (upload === undefined) return undefined;
      return this.#removeUpload(trx, uploadId);
    });
  }

  async #putVersion(
    trx: Transaction<Schema>,
    version: NewObjectVersion,
    options: PutVersionOptions,
  ): Promise<PutVersionResult> {
    await this.#lockBucket(trx, version.bucket);
    const keyHex = objectKeyHex(version.key);
    if (this.#postgres) {
      await sql`select pg_advisory_xact_lock(hashtextextended(${`${version.bucket}/${keyHex}`}, 0))`.execute(
        trx,
      );
    }
    let replaced: ObjectPart[] = [];
    if (!options.versioned) {
      const old = await trx
        .deleteFrom('object_versions')
        .where('bucket', '=', version.bucket)
        .where('key_hex', '=', keyHex)
        .where('version_id', '=', nullVersionId)
        .returning('parts')
        .executeTakeFirst();
      if (old !== undefined) replaced = toParts(old.parts);
    }
    const row = await trx
      .insertInto('object_versions')
      .values(versionValues(version, keyHex))
      .returningAll()
      .executeTakeFirstOrThrow();
    return { version: toVersion(row, true), replaced };
  }

  /** The upload's parts, by number, deleted with it. */
  async #removeUpload(trx: Transaction<Schema>, uploadId: string): Promise<UploadedPart[]> {
    const parts = await trx
      .deleteFrom('upload_parts')
      .where('upload_id', '=', uploadId)
      .returningAll()
      .execute();
    await trx.deleteFrom('multipart_uploads').where('upload_id', '=', uploadId).execute();
    return parts.map(toPart).sort((a, b) => a.partNumber - b.partNumber);
  }

  /** NotFound (`bucket`) without it; on PostgreSQL, keeps it from being deleted meanwhile. */
  async #lockBucket(trx: Transaction<Schema>, name: string): Promise<void> {
    const bucket = await trx
      .selectFrom('buckets')
      .select('name')
      .where('name', '=', name)
      .$if(this.#postgres, (qb) => qb.forShare())
      .executeTakeFirst();
    if (bucket === undefined) throw noSuchBucket(name);
  }

  /** NotFound (`upload`) when it is gone (completed or aborted). */
  async #lockUpload(
    trx: Transaction<Schema>,
    uploadId: string,
    mode: 'share' | 'update',
  ): Promise<void> {
    const upload = await trx
      .selectFrom('multipart_uploads')
      .select('upload_id')
      .where('upload_id', '=', uploadId)
      .$if(this.#postgres, (qb) => (mode === 'share' ? qb.forShare() : qb.forUpdate()))
      .executeTakeFirst();
    if (upload === undefined) throw noSuchUpload(uploadId);
  }

  async #transaction<T>(work: (trx: Transaction<Schema>) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#db.transaction().execute(work);
      } catch (error) {
        if (attempt >= transactionAttempts || !isUniqueViolation(error)) throw error;
      }
    }
  }

  get #db() {
    return this.#database.db;
  }

  get #postgres(): boolean {
    return this.#database.dialect === 'postgres';
  }
}
