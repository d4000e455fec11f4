import type { Principal } from '@slipway/core';
import type { Logger } from 'pino';
import type { AwsErrorTable } from './error-table.ts';

export const AwsProtocolName = {
  Json10: 'json1.0',
  Json11: 'json1.1',
  Query: 'query',
} as const;
export type AwsProtocolName = (typeof AwsProtocolName)[keyof typeof AwsProtocolName];

/** What an operation knows about the request beyond its input. */
export interface OperationContext {
  readonly principal: Principal;
  /** The region the client signed for; resources live in it. */
  readonly region: string;
  readonly requestId: string;
  readonly log: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  /** Aborted when the client hangs up: long polls (PollHostCommand) stop waiting. */
  readonly signal?: AbortSignal;
}

/** Input is the decoded request (JSON object or query parameters); output is what gets encoded. */
export type AwsOperation = (input: unknown, context: OperationContext) => Promise<unknown>;

interface ServiceBase {
  /** The SigV4 signing name, which picks the service for a signed request. */
  readonly signingName: string;
  readonly errors: AwsErrorTable;
  readonly operations: Readonly<Record<string, AwsOperation>>;
}

export interface JsonServiceDefinition extends ServiceBase {
  readonly protocol: typeof AwsProtocolName.Json10 | typeof AwsProtocolName.Json11;
  /** `X-Amz-Target` is `<targetPrefix>.<Operation>`. */
  readonly targetPrefix: string;
}

export interface QueryServiceDefinition extends ServiceBase {
  readonly protocol: typeof AwsProtocolName.Query;
  readonly apiVersion: string;
  readonly xmlNamespace: string;
}

export type AwsServiceDefinition = JsonServiceDefinition | QueryServiceDefinition;
