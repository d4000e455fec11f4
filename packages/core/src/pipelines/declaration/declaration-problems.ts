import { AppError, AppErrorKind, type FieldProblem } from '../../errors/app-error.ts';

/**
 * Which CodePipeline error a declaration problem belongs to. The core keeps its own names; the
 * CodePipeline door maps them (kind InvalidInput × subject → code):
 *
 * | subject                     | code                              |
 * | --------------------------- | --------------------------------- |
 * | declaration-shape           | ValidationException               |
 * | invalid-structure           | InvalidStructureException         |
 * | invalid-stage-declaration   | InvalidStageDeclarationException  |
 * | invalid-action-declaration  | InvalidActionDeclarationException |
 */
export const DeclarationSubject = {
  Shape: 'declaration-shape',
  Structure: 'invalid-structure',
  Stage: 'invalid-stage-declaration',
  Action: 'invalid-action-declaration',
} as const;
export type DeclarationSubject = (typeof DeclarationSubject)[keyof typeof DeclarationSubject];

export interface DeclarationProblem extends FieldProblem {
  readonly subject: DeclarationSubject;
}

/** Collects every problem of a declaration with its path and subject. */
export class DeclarationProblems {
  readonly list: DeclarationProblem[] = [];

  shape(path: string, message: string): void {
    this.list.push({ path, message, subject: DeclarationSubject.Shape });
  }

  structure(path: string, message: string): void {
    this.list.push({ path, message, subject: DeclarationSubject.Structure });
  }

  stage(path: string, message: string): void {
    this.list.push({ path, message, subject: DeclarationSubject.Stage });
  }

  action(path: string, message: string): void {
    this.list.push({ path, message, subject: DeclarationSubject.Action });
  }
}

/**
 * AWS answers one error per call. Its shape validation runs before the service looks at the
 * pipeline, so shape problems win; among the rest the order is our choice (AWS's is not
 * documented): the most specific declaration first, structure last.
 */
const precedence: readonly DeclarationSubject[] = [
  DeclarationSubject.Shape,
  DeclarationSubject.Stage,
  DeclarationSubject.Action,
  DeclarationSubject.Structure,
];

export function primarySubject(problems: readonly DeclarationProblem[]): DeclarationSubject {
  for (const subject of precedence) {
    if (problems.some((p) => p.subject === subject)) return subject;
  }
  return DeclarationSubject.Shape;
}

/** The one error for a failed validation: its subject is the primary one, every problem kept. */
export function invalidDeclaration(problems: readonly DeclarationProblem[]): AppError {
  const message = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  return new AppError(AppErrorKind.InvalidInput, message, {
    resource: primarySubject(problems),
    problems,
  });
}
