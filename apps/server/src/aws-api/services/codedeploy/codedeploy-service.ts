import type { JsonServiceDefinition } from '../../service-definition.ts';
import { applicationOperations } from './application-operations.ts';
import type { CodeDeployDeps } from './codedeploy-context.ts';
import { codedeployErrors } from './codedeploy-errors.ts';
import { deploymentConfigOperations } from './deployment-config-operations.ts';
import { deploymentGroupOperations } from './deployment-group-operations.ts';
import { deploymentOperations } from './deployment-operations.ts';
import { onPremisesOperations } from './on-premises-operations.ts';
import { resourceTagOperations } from './resource-tag-operations.ts';
import { unsupportedOperations } from './unsupported-operations.ts';

export type { CodeDeployDeps } from './codedeploy-context.ts';

/**
 * CodeDeploy (JSON 1.1) for the Server compute platform, over the transport-free
 * DeploymentsService: applications, revisions, deployment groups and configurations,
 * deployments and their targets, on-premises instances, tags of applications and deployment
 * groups. Blue/green, Lambda and ECS calls answer UnsupportedActionForDeploymentTypeException;
 * DeleteResourcesByExternalId is not in the table, so it answers UnknownOperationException.
 */
export function createCodeDeployService(deps: CodeDeployDeps): JsonServiceDefinition {
  return {
    signingName: 'codedeploy',
    protocol: 'json1.1',
    targetPrefix: 'CodeDeploy_20141006',
    errors: codedeployErrors,
    operations: {
      ...applicationOperations(deps),
      ...deploymentGroupOperations(deps),
      ...deploymentConfigOperations(deps),
      ...deploymentOperations(deps),
      ...onPremisesOperations(deps),
      ...resourceTagOperations(deps),
      ...unsupportedOperations(deps),
    },
  };
}
