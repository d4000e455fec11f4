import type { AwsOperation } from '../../service-definition.ts';
import { operation, scopeOf, type CodePipelineDeps } from './codepipeline-context.ts';
import { refuseNextToken } from './door-paging.ts';
import { actionTypeDeclarationShape, actionTypeShape } from './pipeline-shapes.ts';
import { requestShapes as shapes } from './request-shapes.ts';

/**
 * ListActionTypes and GetActionType. The action types are the same in every region, so
 * `regionFilter` is read and changes nothing; they fit in one page, so no next token is valid.
 */
export function actionTypeOperations({
  pipelines,
}: CodePipelineDeps): Record<string, AwsOperation> {
  return {
    ListActionTypes: operation(shapes.ListActionTypes, (input, context) => {
      refuseNextToken(input.nextToken);
      const types = pipelines.listActionTypes(scopeOf(context), input.actionOwnerFilter);
      return { actionTypes: types.map(actionTypeShape) };
    }),

    GetActionType: operation(shapes.GetActionType, (input, context) => {
      const info = pipelines.getActionType(scopeOf(context), {
        category: input.category,
        owner: input.owner,
        provider: input.provider,
        version: input.version,
      });
      return { actionType: actionTypeDeclarationShape(info) };
    }),
  };
}
