import type { JsonServiceDefinition } from '../../service-definition.ts';
import { buildOperations } from './build-operations.ts';
import type { CodeBuildDeps } from './codebuild-context.ts';
import { codebuildErrors } from './codebuild-errors.ts';
import { projectOperations } from './project-operations.ts';
import { reportOperations } from './report-operations.ts';

export type { CodeBuildDeps } from './codebuild-context.ts';

/**
 * CodeBuild (JSON 1.1): projects, builds and test reports. Its other operations (webhooks,
 * batch builds, fleets, sandboxes, source credentials, resource policies …) are not in the
 * table, so they answer UnknownOperationException, as AWS answers an operation it lacks.
 */
export function createCodeBuildService(deps: CodeBuildDeps): JsonServiceDefinition {
  return {
    signingName: 'codebuild',
    protocol: 'json1.1',
    targetPrefix: 'CodeBuild_20161006',
    errors: codebuildErrors,
    operations: { ...projectOperations(deps), ...buildOperations(deps), ...reportOperations(deps) },
  };
}
