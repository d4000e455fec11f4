import { context } from './declaration.fixtures.ts';
import type { DeclarationProblem } from './declaration-problems.ts';
import { validatePipelineDeclaration } from './validate-pipeline-declaration.ts';
import type { DeclarationContext } from './validated-pipeline.ts';

/** The problems of `input` as `[subject, path, message]`, for exact list assertions. */
export function problemsOf(input: unknown, ctx: DeclarationContext = context): string[][] {
  const result = validatePipelineDeclaration(input, ctx);
  return result.ok
    ? []
    : result.problems.map((p: DeclarationProblem) => [p.subject, p.path, p.message]);
}
