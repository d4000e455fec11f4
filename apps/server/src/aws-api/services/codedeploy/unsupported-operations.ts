import { AwsError } from '../../aws-error.ts';
import type { AwsOperation } from '../../service-definition.ts';
import { operation, scopeOf, type CodeDeployDeps } from './codedeploy-context.ts';
import { requestShapes as shapes } from './request-shapes.ts';

/**
 * Operations of CodeDeploy that only concern what Slipway does not deploy (blue/green, Lambda
 * and ECS hooks, GitHub revisions): each answers as AWS answers them for an in-place deployment
 * on the Server platform, after the deployment named is found. DeleteResourcesByExternalId is not
 * in the table at all: it answers UnknownOperationException.
 */
export function unsupportedOperations({
  deployments,
}: CodeDeployDeps): Record<string, AwsOperation> {
  const inPlaceOnly = (what: string) =>
    new AwsError(
      'UnsupportedActionForDeploymentTypeException',
      400,
      `${what} applies to blue/green, Lambda and ECS deployments; Slipway deploys in place only`,
    );
  return {
    /** The blue/green "reroute traffic now". */
    ContinueDeployment: operation(shapes.ContinueDeployment, async (input, context) => {
      await deployments.getDeployment(scopeOf(context), input.deploymentId);
      throw inPlaceOnly('ContinueDeployment');
    }),

    SkipWaitTimeForInstanceTermination: operation(
      shapes.SkipWaitTimeForInstanceTermination,
      async (input, context) => {
        await deployments.getDeployment(scopeOf(context), input.deploymentId);
        throw inPlaceOnly('SkipWaitTimeForInstanceTermination');
      },
    ),

    /** The callback of Lambda and ECS hook functions. */
    PutLifecycleEventHookExecutionStatus: operation(
      shapes.PutLifecycleEventHookExecutionStatus,
      async (input, context) => {
        await deployments.getDeployment(scopeOf(context), input.deploymentId);
        throw inPlaceOnly('PutLifecycleEventHookExecutionStatus');
      },
    ),

    /** No GitHub connections: there is never a token. */
    ListGitHubAccountTokenNames: operation(shapes.ListGitHubAccountTokenNames, () => ({
      tokenNameList: [],
    })),

    DeleteGitHubAccountToken: operation(shapes.DeleteGitHubAccountToken, (input) => {
      if (input.tokenName === undefined || input.tokenName === '') {
        throw new AwsError(
          'GitHubAccountTokenNameRequiredException',
          400,
          'The name of the GitHub account connection is required',
        );
      }
      throw new AwsError(
        'GitHubAccountTokenDoesNotExistException',
        400,
        `No GitHub account connection named ${input.tokenName}`,
      );
    }),
  };
}
