import { isAppError, type ObjectVersion } from '@slipway/core';
import { readSmallBody } from './s3-body.ts';
import {
  bucketOf,
  encodeKey,
  integerParam,
  type S3Context,
  type S3Handler,
  type S3Response,
} from './s3-context.ts';
import { S3Errors } from './s3-errors.ts';
import {
  parseCreateBucketConfiguration,
  parseVersioningConfiguration,
} from './s3-request-bodies.ts';
import { xmlDocument } from './s3-xml.ts';

const xml = (root: string, value: Parameters<typeof xmlDocument>[1]): S3Response => ({
  status: 200,
  headers: { 'content-type': 'application/xml' },
  body: xmlDocument(root, value),
});

const owner = (context: S3Context) => ({
  ID: context.scope.accountId,
  DisplayName: context.auth.principal.userName,
});

/** Buckets and listing their contents. */
export const bucketOperations: Record<string, S3Handler> = {
  ListBuckets: async (context) => {
    const buckets = await context.objects.listBuckets(context.scope);
    return xml('ListAllMyBucketsResult', {
      Owner: owner(context),
      Buckets: {
        Bucket: buckets.map((b) => ({ Name: b.name, CreationDate: new Date(b.createdAt) })),
      },
    });
  },

  CreateBucket: async (context) => {
    const bucket = bucketOf(context);
    parseCreateBucketConfiguration(await readSmallBody(context.body));
    try {
      await context.objects.createBucket(context.scope, bucket);
    } catch (error) {
      // us-east-1 answers 200 to re-creating a bucket you own, as S3 does there.
      const owned = isAppError(error) && error.resource === 'bucket-exists-owned';
      if (!(owned && context.scope.region === 'us-east-1')) throw error;
    }
    return { status: 200, headers: { location: `/${bucket}` } };
  },

  HeadBucket: async (context) => {
    const bucket = await context.objects.headBucket(context.scope, bucketOf(context));
    return { status: 200, headers: { 'x-amz-bucket-region': bucket.region } };
  },

  DeleteBucket: async (context) => {
    await context.objects.deleteBucket(context.scope, bucketOf(context));
    return { status: 204 };
  },

  GetBucketLocation: async (context) => {
    const region = await context.objects.getBucketLocation(context.scope, bucketOf(context));
    return xml('LocationConstraint', region === 'us-east-1' ? '' : region);
  },

  GetBucketVersioning: async (context) => {
    const status = await context.objects.getBucketVersioning(context.scope, bucketOf(context));
    return xml('VersioningConfiguration', {
      Status: status === 'Unversioned' ? undefined : status,
    });
  },

  PutBucketVersioning: async (context) => {
    const { status } = parseVersioningConfiguration(await readSmallBody(context.body));
    if (status === undefined) throw S3Errors.malformedXml();
    await context.objects.putBucketVersioning(context.scope, bucketOf(context), status);
    return { status: 200 };
  },

  ListObjectsV2: async (context) => {
    const { query } = context;
    const maxKeys = integerParam(context, 'max-keys', 1000) ?? 1000;
    const prefix = query.get('prefix');
    const delimiter = query.get('delimiter');
    const startAfter = query.get('start-after');
    const token = query.get('continuation-token');
    const page = await context.objects.listObjects({
      scope: context.scope,
      bucket: bucketOf(context),
      ...(prefix === undefined ? {} : { prefix }),
      ...(delimiter === undefined ? {} : { delimiter }),
      ...(startAfter === undefined ? {} : { startAfter }),
      ...(token === undefined ? {} : { continuationToken: token }),
      maxKeys,
    });
    return xml('ListBucketResult', {
      Name: bucketOf(context),
      Prefix: encodeKey(context, prefix) ?? '',
      Delimiter: encodeKey(context, delimiter),
      MaxKeys: maxKeys,
      KeyCount: page.keyCount,
      IsTruncated: page.isTruncated,
      ContinuationToken: token,
      NextContinuationToken: page.nextContinuationToken,
      StartAfter: encodeKey(context, startAfter),
      EncodingType: query.get('encoding-type'),
      Contents: page.contents.map((v) => contents(context, v)),
      CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encodeKey(context, p) })),
    });
  },

  ListObjects: async (context) => {
    const { query } = context;
    const maxKeys = integerParam(context, 'max-keys', 1000) ?? 1000;
    const prefix = query.get('prefix');
    const delimiter = query.get('delimiter');
    const marker = query.get('marker');
    const page = await context.objects.listObjects({
      scope: context.scope,
      bucket: bucketOf(context),
      ...(prefix === undefined ? {} : { prefix }),
      ...(delimiter === undefined ? {} : { delimiter }),
      ...(marker === undefined ? {} : { startAfter: marker }),
      maxKeys,
    });
    return xml('ListBucketResult', {
      Name: bucketOf(context),
      Prefix: encodeKey(context, prefix) ?? '',
      Marker: encodeKey(context, marker) ?? '',
      NextMarker: delimiter === undefined ? undefined : encodeKey(context, page.nextMarker),
      MaxKeys: maxKeys,
      Delimiter: encodeKey(context, delimiter),
      IsTruncated: page.isTruncated,
      EncodingType: query.get('encoding-type'),
      Contents: page.contents.map((v) => ({ ...contents(context, v), Owner: owner(context) })),
      CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encodeKey(context, p) })),
    });
  },

  ListObjectVersions: async (context) => {
    const { query } = context;
    const maxKeys = integerParam(context, 'max-keys', 1000) ?? 1000;
    const prefix = query.get('prefix');
    const delimiter = query.get('delimiter');
    const keyMarker = query.get('key-marker');
    const versionIdMarker = query.get('version-id-marker');
    const page = await context.objects.listObjectVersions({
      scope: context.scope,
      bucket: bucketOf(context),
      ...(prefix === undefined ? {} : { prefix }),
      ...(delimiter === undefined ? {} : { delimiter }),
      ...(keyMarker === undefined ? {} : { keyMarker }),
      ...(versionIdMarker === undefined ? {} : { versionIdMarker }),
      maxKeys,
    });
    const common = (v: ObjectVersion) => ({
      Key: encodeKey(context, v.key),
      VersionId: v.versionId,
      IsLatest: v.isLatest,
      LastModified: new Date(v.lastModified),
    });
    return xml('ListVersionsResult', {
      Name: bucketOf(context),
      Prefix: encodeKey(context, prefix) ?? '',
      KeyMarker: encodeKey(context, keyMarker) ?? '',
      VersionIdMarker: versionIdMarker ?? '',
      NextKeyMarker: encodeKey(context, page.nextKeyMarker),
      NextVersionIdMarker: page.nextVersionIdMarker,
      MaxKeys: maxKeys,
      Delimiter: encodeKey(context, delimiter),
      IsTruncated: page.isTruncated,
      EncodingType: query.get('encoding-type'),
      // Clients read the two lists apart; each keeps the listing's order.
      Version: page.versions
        .filter((v) => !v.isDeleteMarker)
        .map((v) => ({
          ...common(v),
          ETag: v.etag,
          Size: v.size,
          StorageClass: 'STANDARD',
          Owner: owner(context),
        })),
      DeleteMarker: page.versions
        .filter((v) => v.isDeleteMarker)
        .map((v) => ({ ...common(v), Owner: owner(context) })),
      CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encodeKey(context, p) })),
    });
  },
};

function contents(context: S3Context, version: ObjectVersion) {
  return {
    Key: encodeKey(context, version.key),
    LastModified: new Date(version.lastModified),
    ETag: version.etag,
    Size: version.size,
    StorageClass: 'STANDARD',
  };
}
