import type { JsonServiceDefinition } from '../../service-definition.ts';
import type { CodeCommitDeps } from './codecommit-context.ts';
import { codecommitErrors } from './codecommit-errors.ts';
import { codeOperations } from './code-operations.ts';
import { repositoryOperations } from './repository-operations.ts';

export type { CodeCommitDeps } from './codecommit-context.ts';

/** CodeCommit (JSON 1.1): repositories, branches, commits, files, triggers and tags. */
export function createCodeCommitService(deps: CodeCommitDeps): JsonServiceDefinition {
  return {
    signingName: 'codecommit',
    protocol: 'json1.1',
    targetPrefix: 'CodeCommit_20150413',
    errors: codecommitErrors,
    operations: { ...repositoryOperations(deps), ...codeOperations(deps) },
  };
}
