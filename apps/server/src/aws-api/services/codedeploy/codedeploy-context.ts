import type { DeploymentScope, DeploymentsService } from '@slipway/core';
import { AwsErrors } from '../../aws-error.ts';
import type { AwsOperation, OperationContext } from '../../service-definition.ts';
import { WireProblems, type Shape } from '../codepipeline/wire-schema.ts';

export interface CodeDeployDeps {
  readonly deployments: DeploymentsService;
}

/** Resources live in the caller's account and the region the request was signed for. */
export const scopeOf = (context: OperationContext): DeploymentScope => ({
  accountId: context.principal.accountId,
  region: context.region,
});

/**
 * An operation whose request is read by type before `run` sees it: a member of the wrong JSON
 * type (a number for a name, a string for a list …) is a SerializationException listing every
 * such member. Everything else (missing, empty, too long, not in the enum) is the service's to
 * refuse with CodeDeploy's own exception.
 */
export function operation<T>(
  shape: Shape<T>,
  run: (input: T, context: OperationContext) => unknown,
): AwsOperation {
  return async (raw, context) => await run(readTyped(shape, raw), context);
}

export function readTyped<T>(shape: Shape<T>, raw: unknown): T {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw AwsErrors.serialization('Request body must be a JSON object.');
  }
  const problems = new WireProblems();
  const value = shape.read(raw, '', problems);
  const error = problems.error();
  if (error !== undefined) {
    // WireProblems words a ValidationException; the same list, as what it is here.
    throw AwsErrors.serialization(error.message.replace(/^\d+ validation errors? detected: /, ''));
  }
  return value as T;
}

/** Epoch milliseconds as the JSON protocol's timestamps: epoch seconds. */
export const seconds = (ms: number): number => ms / 1000;
export const optionalSeconds = (ms: number | undefined): number | undefined =>
  ms === undefined ? undefined : ms / 1000;
