import type { Caller, PipelinesService, Scope } from '@slipway/core';
import type { AwsOperation, OperationContext } from '../../service-definition.ts';
import { readRequest, type Shape } from './wire-schema.ts';

export interface CodePipelineDeps {
  readonly pipelines: PipelinesService;
}

/** Resources live in the caller's account and the region the request was signed for. */
export const scopeOf = (context: OperationContext): Scope => ({
  accountId: context.principal.accountId,
  region: context.region,
});

/** The caller as approver, transition changer and trigger detail: its ARN. */
export const callerOf = (context: OperationContext): Caller => ({ arn: context.principal.arn });

/**
 * An operation whose request is read (and refused with every problem) before `run` sees it.
 * `run` may answer at once; whatever it throws becomes the operation's rejection.
 */
export function operation<T>(
  shape: Shape<T>,
  run: (input: T, context: OperationContext) => unknown,
): AwsOperation {
  return async (raw, context) => await run(readRequest(shape, raw), context);
}
