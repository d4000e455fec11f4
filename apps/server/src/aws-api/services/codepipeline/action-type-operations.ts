import type { AwsOperation } from '../../service-definition.ts';
import { operation, scopeOf, type CodePipelineDeps } from './codepipeline-context.ts';
import { refuseNextToken } from './door-paging.ts';
import {
  actionTypeDeclarationShape,
  actionTypeShape,
  createdCustomActionTypeShape,
} from './pipeline-shapes.ts';
import { requestShapes as shapes } from './request-shapes.ts';

const range = (details: { minimumCount: number; maximumCount: number }) => ({
  min: details.minimumCount,
  max: details.maximumCount,
});

/**
 * ListActionTypes, GetActionType, CreateCustomActionType and DeleteCustomActionType. The
 * built-in types are the same in every region, so `regionFilter` is read and changes nothing;
 * with the account's custom types (50 at most) they fit in one page, so no next token is valid.
 * GetActionType describes AWS and ThirdParty types only: its model's owner is `AWS|ThirdParty`.
 */
export function actionTypeOperations({
  pipelines,
}: CodePipelineDeps): Record<string, AwsOperation> {
  return {
    ListActionTypes: operation(shapes.ListActionTypes, async (input, context) => {
      refuseNextToken(input.nextToken);
      const types = await pipelines.listActionTypes(scopeOf(context), input.actionOwnerFilter);
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

    CreateCustomActionType: operation(shapes.CreateCustomActionType, async (input, context) => {
      const created = await pipelines.createCustomActionType(scopeOf(context), {
        category: input.category,
        provider: input.provider,
        version: input.version,
        settings: input.settings,
        configurationProperties: input.configurationProperties,
        inputArtifactDetails: range(input.inputArtifactDetails),
        outputArtifactDetails: range(input.outputArtifactDetails),
        tags: input.tags,
      });
      return createdCustomActionTypeShape(created);
    }),

    DeleteCustomActionType: operation(shapes.DeleteCustomActionType, async (input, context) => {
      await pipelines.deleteCustomActionType({
        ...scopeOf(context),
        category: input.category,
        provider: input.provider,
        version: input.version,
      });
      return {};
    }),
  };
}
