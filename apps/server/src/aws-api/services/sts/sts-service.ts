import { commonQueryErrors } from '../../error-table.ts';
import type { OperationContext, QueryServiceDefinition } from '../../service-definition.ts';

/** STS: who am I. Enough for `aws sts get-caller-identity` and tools that probe credentials. */
export function createStsService(): QueryServiceDefinition {
  return {
    signingName: 'sts',
    protocol: 'query',
    apiVersion: '2011-06-15',
    xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
    errors: commonQueryErrors,
    operations: {
      GetCallerIdentity: (_input: unknown, context: OperationContext) =>
        Promise.resolve({
          Arn: context.principal.arn,
          UserId: context.principal.userId,
          Account: context.principal.accountId,
        }),
    },
  };
}
