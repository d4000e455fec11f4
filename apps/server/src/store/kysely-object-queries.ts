import {
  hexPrefixEnd,
  objectKeyHex,
  type ListLatestQuery,
  type ListUploadsQuery,
  type ListVersionsQuery,
  type MultipartUpload,
  type ObjectVersion,
} from '@slipway/core';
import { sql, type Kysely } from 'kysely';
import { toUpload, toVersion } from './kysely-object-rows.ts';
import type { Schema } from './schema.ts';

/** Whether no later version of the same key exists: `v` is the version row's alias. */
export const isLatest = sql<boolean>`not exists (select 1 from object_versions w where w.bucket = v.bucket and w.key_hex = v.key_hex and w.seq > v.seq)`;

/**
 * The listing queries of `KyselyObjectMetadataStore`. Keys are hex (see `objectKeyHex`), so a
 * prefix is a range of `key_hex` and resuming after every key under a common prefix is
 * `key_hex > hex(prefix) + 'g'`.
 */
export async function selectLatest(
  db: Kysely<Schema>,
  query: ListLatestQuery,
): Promise<ObjectVersion[]> {
  const after = query.after === undefined ? undefined : objectKeyHex(query.after);
  const bound = after !== undefined && query.afterPrefixed === true ? hexPrefixEnd(after) : after;
  const rows = await db
    .selectFrom('object_versions as v')
    .selectAll('v')
    .where('v.bucket', '=', query.bucket)
    .$call((qb) => withPrefix(qb, query.prefix))
    .$if(bound !== undefined, (qb) => qb.where('v.key_hex', '>', bound ?? ''))
    .where('v.is_delete_marker', '=', 0)
    .where(isLatest)
    .orderBy('v.key_hex')
    .limit(query.limit)
    .execute();
  return rows.map((row) => toVersion(row, true));
}

export async function selectVersions(
  db: Kysely<Schema>,
  query: ListVersionsQuery,
): Promise<ObjectVersion[]> {
  const marker = query.keyMarker === undefined ? undefined : objectKeyHex(query.keyMarker);
  const { versionIdMarker } = query;
  const markerSeq =
    marker === undefined || versionIdMarker === undefined
      ? undefined
      : (
          await db
            .selectFrom('object_versions')
            .select('seq')
            .where('bucket', '=', query.bucket)
            .where('key_hex', '=', marker)
            .where('version_id', '=', versionIdMarker)
            .executeTakeFirst()
        )?.seq;
  const bound =
    marker !== undefined && query.afterPrefixed === true && versionIdMarker === undefined
      ? hexPrefixEnd(marker)
      : marker;
  const rows = await db
    .selectFrom('object_versions as v')
    .selectAll('v')
    .select(isLatest.as('is_latest'))
    .where('v.bucket', '=', query.bucket)
    .$call((qb) => withPrefix(qb, query.prefix))
    .$if(bound !== undefined, (qb) =>
      qb.where((eb) =>
        markerSeq === undefined
          ? eb('v.key_hex', '>', bound ?? '')
          : eb.or([
              eb('v.key_hex', '>', bound ?? ''),
              eb.and([eb('v.key_hex', '=', bound ?? ''), eb('v.seq', '<', markerSeq)]),
            ]),
      ),
    )
    .orderBy('v.key_hex')
    .orderBy('v.seq', 'desc')
    .limit(query.limit)
    .execute();
  return rows.map((row) => toVersion(row, row.is_latest));
}

export async function selectUploads(
  db: Kysely<Schema>,
  bucket: string,
  query: ListUploadsQuery,
): Promise<MultipartUpload[]> {
  const marker = query.keyMarker === undefined ? undefined : objectKeyHex(query.keyMarker);
  const { uploadIdMarker } = query;
  const from =
    marker === undefined || uploadIdMarker === undefined
      ? undefined
      : await db
          .selectFrom('multipart_uploads')
          .select(['upload_id', 'initiated_at'])
          .where('upload_id', '=', uploadIdMarker)
          .where('bucket', '=', bucket)
          .where('key_hex', '=', marker)
          .executeTakeFirst();
  const bound =
    marker !== undefined && query.afterPrefixed === true && uploadIdMarker === undefined
      ? hexPrefixEnd(marker)
      : marker;
  const rows = await db
    .selectFrom('multipart_uploads as v')
    .selectAll('v')
    .where('v.bucket', '=', bucket)
    .$call((qb) => withPrefix(qb, query.prefix))
    .$if(bound !== undefined, (qb) =>
      qb.where((eb) =>
        from === undefined
          ? eb('v.key_hex', '>', bound ?? '')
          : eb.or([
              eb('v.key_hex', '>', bound ?? ''),
              eb.and([
                eb('v.key_hex', '=', bound ?? ''),
                eb.or([
                  eb('v.initiated_at', '>', from.initiated_at),
                  eb.and([
                    eb('v.initiated_at', '=', from.initiated_at),
                    eb('v.upload_id', '>', from.upload_id),
                  ]),
                ]),
              ]),
            ]),
      ),
    )
    .orderBy('v.key_hex')
    .orderBy('v.initiated_at')
    .orderBy('v.upload_id')
    .limit(query.limit)
    .execute();
  return rows.map(toUpload);
}

/** Keys that begin with `prefix`: a range of their hex. */
function withPrefix<QB extends { where: WhereKeyHex<QB> }>(qb: QB, prefix: string): QB {
  if (prefix === '') return qb;
  const hex = objectKeyHex(prefix);
  return qb.where('v.key_hex', '>=', hex).where('v.key_hex', '<', hexPrefixEnd(hex));
}

type WhereKeyHex<QB> = (column: 'v.key_hex', op: '>=' | '<', value: string) => QB;
