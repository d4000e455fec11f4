import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../schema.ts';

/**
 * Buckets, object versions and multipart uploads (the objects component); their bytes live in
 * blobs. Object keys are stored as the lowercase hex of their UTF-8 bytes (`key_hex`): a key may
 * hold NUL, which PostgreSQL text cannot, and hex compares and prefixes as the bytes do, which
 * is the order S3 lists in. Versions of a key are ordered by `seq`, newest last.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  // Byte order on PostgreSQL too, whatever the database's default collation.
  const ordered = (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.notNull().modifyEnd(sql`collate "C"`) : c.notNull();

  await db.schema
    .createTable('buckets')
    .addColumn('name', 'text', (c) => ordered(c).primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('versioning', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('buckets_by_account')
    .on('buckets')
    .columns(['account_id', 'name'])
    .execute();

  await db.schema
    .createTable('object_versions')
    .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('bucket', 'text', (c) => ordered(c).references('buckets.name'))
    .addColumn('key_hex', 'text', ordered)
    .addColumn('version_id', 'text', ordered)
    .addColumn('is_delete_marker', 'integer', (c) => c.notNull())
    .addColumn('parts', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text')
    .addColumn('headers', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('checksums', 'text', (c) => c.notNull())
    .addColumn('last_modified', 'bigint', (c) => c.notNull())
    .addColumn('part_count', 'integer')
    .addUniqueConstraint('object_versions_key_version', ['bucket', 'key_hex', 'version_id'])
    .execute();
  await db.schema
    .createIndex('object_versions_by_key')
    .on('object_versions')
    .columns(['bucket', 'key_hex', 'seq'])
    .execute();

  await db.schema
    .createTable('multipart_uploads')
    .addColumn('upload_id', 'text', (c) => ordered(c).primaryKey())
    .addColumn('bucket', 'text', (c) => ordered(c).references('buckets.name'))
    .addColumn('key_hex', 'text', ordered)
    .addColumn('content_type', 'text')
    .addColumn('headers', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('checksum_algorithm', 'text')
    .addColumn('initiated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('multipart_uploads_by_key')
    .on('multipart_uploads')
    .columns(['bucket', 'key_hex', 'initiated_at', 'upload_id'])
    .execute();

  await db.schema
    .createTable('upload_parts')
    .addColumn('upload_id', 'text', (c) => ordered(c).references('multipart_uploads.upload_id'))
    .addColumn('part_number', 'integer', (c) => c.notNull())
    .addColumn('blob_key', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('checksums', 'text', (c) => c.notNull())
    .addColumn('last_modified', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('upload_parts_pk', ['upload_id', 'part_number'])
    .execute();
}
