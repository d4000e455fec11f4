import { isAppError, type PipelinesService } from '@slipway/core';
import { pino } from 'pino';
import { AwsError, AwsErrors } from '../../aws-error.ts';
import { toAwsError } from '../../error-table.ts';
import type { EncodedResponse } from '../../protocols/encoded-response.ts';
import { jsonProtocol } from '../../protocols/json-protocol.ts';
import type { JsonServiceDefinition, OperationContext } from '../../service-definition.ts';
import { testPrincipal } from '../codebuild/operation-harness.ts';
import { createCodePipelineService } from './codepipeline-service.ts';

/**
 * For the door's tests: the CodePipeline service over a stubbed PipelinesService, each call
 * answered as the AWS door answers it (status, `x-amzn-ErrorType`, JSON body), without HTTP or
 * signing. What the door would hide behind InternalFailure is kept in `cause`.
 */
export interface WireResponse {
  readonly status: number;
  readonly errorType: string | undefined;
  readonly body: Record<string, unknown>;
  readonly cause?: unknown;
}

export interface CodePipelineHarness {
  readonly service: JsonServiceDefinition;
  send(operation: string, input?: unknown): Promise<WireResponse>;
  /** The body of a 200 answer; throws with the error otherwise. */
  call(operation: string, input?: unknown): Promise<Record<string, unknown>>;
}

export const caller = { arn: testPrincipal.arn };
export const scope = { accountId: testPrincipal.accountId, region: 'us-east-1' };

const context: OperationContext = {
  principal: testPrincipal,
  region: scope.region,
  requestId: 'test-request',
  log: pino({ level: 'silent' }),
};

/** The methods a test gives; any other call is a bug in the door (an InternalFailure). */
export function stubPipelines(methods: Partial<PipelinesService>): PipelinesService {
  return new Proxy(methods, {
    get: (target, key): unknown =>
      (Reflect.get(target, key) as unknown) ??
      (() => {
        throw new Error(`unexpected call of PipelinesService.${String(key)}`);
      }),
  }) as PipelinesService;
}

export function codepipelineHarness(pipelines: PipelinesService): CodePipelineHarness {
  const service = createCodePipelineService({ pipelines });
  const send = async (operation: string, input: unknown = {}): Promise<WireResponse> => {
    const run = service.operations[operation];
    if (run === undefined) throw new Error(`CodePipeline has no ${operation}`);
    let encoded: EncodedResponse;
    let cause: unknown;
    try {
      encoded = jsonProtocol.encodeResult(service, await run(input, context));
    } catch (error) {
      if (error instanceof AwsError) encoded = jsonProtocol.encodeError('json1.1', error);
      else if (isAppError(error)) {
        encoded = jsonProtocol.encodeError('json1.1', toAwsError(service.errors, error));
      } else {
        cause = error;
        encoded = jsonProtocol.encodeError('json1.1', AwsErrors.internal());
      }
    }
    return {
      status: encoded.status,
      errorType: encoded.headers['x-amzn-ErrorType'],
      body: JSON.parse(encoded.body) as Record<string, unknown>,
      cause,
    };
  };
  return {
    service,
    send,
    call: async (operation, input) => {
      const response = await send(operation, input);
      if (response.status !== 200) {
        throw new Error(
          `${operation} answered ${response.status} ${JSON.stringify(response.body)}`,
          {
            cause: response.cause,
          },
        );
      }
      return response.body;
    },
  };
}
