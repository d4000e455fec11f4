import { isAppError, type Principal } from '@slipway/core';
import { pino } from 'pino';
import { AwsError } from '../../aws-error.ts';
import { resolveError } from '../../error-table.ts';
import type { JsonServiceDefinition, OperationContext } from '../../service-definition.ts';

/**
 * For the doors' unit tests: runs a service table's operations as the AWS door would, without
 * HTTP or signing. `call` gives the output as it goes on the wire (through JSON, so undefined
 * members are gone); `fail` gives the error code and message the client would see.
 */
export interface OperationHarness {
  call(operation: string, input?: unknown): Promise<Record<string, unknown>>;
  fail(operation: string, input?: unknown): Promise<{ code: string; message: string }>;
}

export const testPrincipal: Principal = {
  accountId: '123456789012',
  userId: 'AIDASLIPWAYTEST00001',
  userName: 'admin',
  arn: 'arn:aws:iam::123456789012:user/admin',
  accessKeyId: 'AKIASLIPWAYTEST00001',
};

export function operationHarness(
  service: JsonServiceDefinition,
  region = 'us-east-1',
): OperationHarness {
  const context: OperationContext = {
    principal: testPrincipal,
    region,
    requestId: 'test-request',
    log: pino({ level: 'silent' }),
  };
  const run = async (operation: string, input: unknown) => {
    const operate = service.operations[operation];
    if (operate === undefined) throw new Error(`${service.targetPrefix} has no ${operation}`);
    return JSON.parse(JSON.stringify((await operate(input, context)) ?? {})) as Record<
      string,
      unknown
    >;
  };
  return {
    call: (operation, input = {}) => run(operation, input),
    fail: async (operation, input = {}) => {
      try {
        await run(operation, input);
      } catch (error) {
        if (error instanceof AwsError) return { code: error.code, message: error.message };
        if (isAppError(error)) {
          const { code, message } = resolveError(service.errors, error);
          return { code, message };
        }
        throw error;
      }
      throw new Error(`${operation} succeeded`);
    },
  };
}
