/**
 * Problems found in an appspec, each with the line it is on and the path of the field. Parsing
 * collects every problem before it answers: one failed deployment should show them all, where
 * CodeDeploy's agent stops at the first.
 */

/** A field path: keys and sequence indexes from the document root. */
export type FieldPath = readonly (string | number)[];

export interface AppSpecProblem {
  /** 1-based line of the offending node; undefined when the problem concerns no one node. */
  readonly line: number | undefined;
  /** Dotted field path, e.g. `hooks.BeforeInstall[0].timeout`; empty for the document itself. */
  readonly path: string;
  readonly message: string;
}

/** An error makes the appspec unusable: the deployment fails on the instance. */
export type AppSpecError = AppSpecProblem;

/** A warning is reported with the deployment and the deployment goes on. */
export type AppSpecWarning = AppSpecProblem;

const plainKey = /^[A-Za-z0-9_:/@$-]+$/;

export function formatPath(path: FieldPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (plainKey.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** `appspec.yml line 7: hooks.BeforeInstall[0].timeout: expected a whole number of seconds`. */
export function formatAppSpecProblem(problem: AppSpecProblem): string {
  const parts = [problem.line === undefined ? 'appspec.yml' : `appspec.yml line ${problem.line}`];
  if (problem.path !== '') parts.push(problem.path);
  parts.push(problem.message);
  return parts.join(': ');
}

/** Collects problems in the order found; callers sort them by line when they answer. */
export class Problems {
  readonly errors: AppSpecError[] = [];
  readonly warnings: AppSpecWarning[] = [];

  error(line: number | undefined, path: FieldPath, message: string): void {
    this.errors.push({ line, path: formatPath(path), message });
  }

  warn(line: number | undefined, path: FieldPath, message: string): void {
    this.warnings.push({ line, path: formatPath(path), message });
  }
}

/** Document order: by line, problems without a line first, ties kept in the order found. */
export function sortProblems<T extends AppSpecProblem>(problems: readonly T[]): T[] {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
