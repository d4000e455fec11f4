import { Agent } from 'node:http';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
// Comes with the SDK (a dependency of every @aws-sdk/client-*), so it is not a root dependency.
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface StsCallerOptions {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly maxSockets: number;
  /** Every answer must name this account, or the call counts as failed. */
  readonly expectedAccount: string;
}

export interface StsCaller {
  /** One signed GetCallerIdentity; throws unless it succeeds and names the expected account. */
  readonly call: () => Promise<void>;
  close(): void;
}

/** The real SDK over keep-alive connections, with retries off so every failure is counted. */
export function createStsCaller(options: StsCallerOptions): StsCaller {
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets });
  const client = new STSClient({
    region: 'us-east-1',
    endpoint: options.endpoint,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      httpAgent: agent,
      connectionTimeout: 5_000,
      requestTimeout: 10_000,
    }),
  });
  const command = new GetCallerIdentityCommand({});
  return {
    call: async () => {
      const output = await client.send(command);
      if (output.Account !== options.expectedAccount) {
        throw new Error(`answered for account ${output.Account}, not ${options.expectedAccount}`);
      }
    },
    close: () => {
      client.destroy();
      agent.destroy();
    },
  };
}
