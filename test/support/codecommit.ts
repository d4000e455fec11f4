import { CodeCommitClient } from '@aws-sdk/client-codecommit';

/** A JS SDK CodeCommit client for a Slipway server, as a user configures one. */
export function codeCommitClient(server: {
  readonly url: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}): CodeCommitClient {
  return new CodeCommitClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  });
}
