import type { BuildsService, Scope } from '@slipway/core';
import type { OperationContext } from '../../service-definition.ts';

export interface CodeBuildDeps {
  readonly builds: BuildsService;
}

export const scopeOf = (context: OperationContext): Scope => ({
  accountId: context.principal.accountId,
  region: context.region,
});

/** Who started a build, as CodeBuild's `initiator` names a user: the caller's user name. */
export const initiatorOf = (context: OperationContext): string => context.principal.userName;

/** What CodeBuild answers for a request it cannot read: missing or unsupported members too. */
export const invalidInputCode = 'InvalidInputException';
