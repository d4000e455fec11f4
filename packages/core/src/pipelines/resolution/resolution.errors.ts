import { AppError, AppErrorKind, type FieldProblem } from '../../errors/app-error.ts';

/**
 * Errors of variable resolution and trigger matching, until the pipelines component has its own
 * `pipelines.errors.ts` to fold these subjects into. Intended mapping (CodePipeline door):
 *
 * | kind         | subject                       | code                |
 * | ------------ | ----------------------------- | ------------------- |
 * | InvalidInput | pipeline-execution-variables  | ValidationException |
 *
 * Declaration problems (pipeline-level variable names, defaults, glob patterns) are returned as
 * `FieldProblem`s for the declaration validator to report with the rest, not thrown here.
 */
export const ResolutionSubject = {
  /** StartPipelineExecution `variables`: the model names ValidationException for it. */
  ExecutionVariables: 'pipeline-execution-variables',
} as const;
export type ResolutionSubject = (typeof ResolutionSubject)[keyof typeof ResolutionSubject];

export function invalidExecutionVariables(problems: readonly FieldProblem[]): AppError {
  const message = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  return new AppError(AppErrorKind.InvalidInput, message, {
    resource: ResolutionSubject.ExecutionVariables,
    problems,
  });
}
