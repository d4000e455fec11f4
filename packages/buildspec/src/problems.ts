/**
 * Problems found in a buildspec, each with the line it is on and the path of the field, rendered
 * the way CodeBuild's YAML_FILE_ERROR phase contexts read so users recognise them. Parsing
 * collects every problem before it answers: one round trip should show them all.
 */

/** A field path: keys and sequence indexes from the document root. */
export type FieldPath = readonly (string | number)[];

export interface BuildspecProblem {
  /** 1-based line of the offending node; undefined when the problem concerns no one node. */
  readonly line: number | undefined;
  /** Dotted field path, e.g. `phases.build.commands[2]`; empty for the document itself. */
  readonly path: string;
  readonly message: string;
}

/** An error makes the buildspec unusable; CodeBuild fails the build in DOWNLOAD_SOURCE. */
export type BuildspecError = BuildspecProblem;

/** A warning is logged and the build goes on, as CodeBuild does for keys it cannot identify. */
export type BuildspecWarning = BuildspecProblem;

/** The phase-context status code CodeBuild reports for a buildspec it cannot use. */
export const yamlFileErrorCode = 'YAML_FILE_ERROR';

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

/** `YAML_FILE_ERROR: line 7: phases.build.commands[2]: expected a string`. */
export function formatBuildspecError(problem: BuildspecProblem): string {
  const parts = [yamlFileErrorCode];
  if (problem.line !== undefined) parts.push(`line ${problem.line}`);
  if (problem.path !== '') parts.push(problem.path);
  parts.push(problem.message);
  return parts.join(': ');
}

/** `line 4: env.vars: unknown key, ignored`: a warning is no YAML_FILE_ERROR. */
export function formatBuildspecWarning(problem: BuildspecProblem): string {
  return formatBuildspecError(problem).slice(yamlFileErrorCode.length + 2);
}

/** Collects problems in the order found; callers sort them by line when they answer. */
export class Problems {
  readonly errors: BuildspecError[] = [];
  readonly warnings: BuildspecWarning[] = [];

  error(line: number | undefined, path: FieldPath, message: string): void {
    this.errors.push({ line, path: formatPath(path), message });
  }

  warn(line: number | undefined, path: FieldPath, message: string): void {
    this.warnings.push({ line, path: formatPath(path), message });
  }
}

/** Document order: by line, problems without a line first, ties kept in the order found. */
export function sortProblems<T extends BuildspecProblem>(problems: readonly T[]): T[] {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
