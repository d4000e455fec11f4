import { join } from 'node:path';
import type { BlobStore } from '@slipway/core';
import type { BlobsConfig } from '../config.ts';
import { LocalDiskBlobStore } from './local-disk-blob-store.ts';

/**
 * The configured blob backend. The S3 client loads only when configured, so the embedded mode
 * never pays for the AWS SDK at start.
 */
export async function openBlobStore(
  config: BlobsConfig,
  dataDir: string,
): Promise<BlobStore & { close?(): Promise<void> }> {
  if (config.kind === 'local') {
    const store = new LocalDiskBlobStore({ root: join(dataDir, 'objects') });
    await store.sweepAbandoned();
    return store;
  }
  const [{ S3Client }, { S3BlobStore }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('./s3-blob-store.ts'),
  ]);
  const client = new S3Client({
    region: config.region,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint, forcePathStyle: true }),
    // A copy: the SDK annotates the credentials object it is given, and the config is frozen.
    ...(config.credentials === undefined ? {} : { credentials: { ...config.credentials } }),
  });
  return new S3BlobStore({ client, bucket: config.bucket, prefix: config.prefix });
}
