import { S3Client } from '@aws-sdk/client-s3';

/** A JS SDK S3 client for a Slipway server, as a user configures one (path-style addressing). */
export function s3Client(server: {
  readonly url: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}): S3Client {
  return new S3Client({
    endpoint: server.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  });
}
