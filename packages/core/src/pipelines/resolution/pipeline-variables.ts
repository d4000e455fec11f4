import type { FieldProblem } from '../../errors/app-error.ts';
import { invalidExecutionVariables } from './resolution.errors.ts';
import { VARIABLE_NAME_PATTERN } from './variable-references.ts';

/**
 * V2 pipeline-level variables: the declaration's `variables` and StartPipelineExecution's
 * `variables` overrides. Limits from botocore's model: PipelineVariableDeclarationList ≤ 50;
 * PipelineVariableName 1..128 of `[A-Za-z0-9@\-_]+`; PipelineVariableValue (a default or an
 * override) 1..1000; PipelineVariableDescription ≤ 200; PipelineVariableList 1..50. The model's
 * doc for the overrides: "Variable names must match [A-Za-z0-9@\-_]+, and the values can be
 * anything except an empty string."
 *
 * Not documented by AWS, chosen here: names are unique and case-sensitive (as namespaces and
 * output variable names are); an override of an undeclared variable, or the same variable
 * twice, is a ValidationException; a manual start that leaves a variable without a default
 * unset is refused, while an automatic start (trigger, webhook) just leaves it out, so an
 * action referencing it fails with the unresolved-variables message.
 */
export const PIPELINE_VARIABLE_LIMITS = {
  maxCount: 50,
  maxNameLength: 128,
  maxValueLength: 1000,
  maxDescriptionLength: 200,
} as const;

export interface PipelineVariableDeclaration {
  readonly name: string;
  readonly defaultValue?: string | undefined;
  readonly description?: string | undefined;
}

export interface PipelineVariableOverride {
  readonly name: string;
  readonly value: string;
}

/** Every problem of a declaration's `variables`, with its path (empty when valid). */
export function findPipelineVariableProblems(
  declarations: readonly PipelineVariableDeclaration[],
  path = 'pipeline.variables',
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const limits = PIPELINE_VARIABLE_LIMITS;
  if (declarations.length > limits.maxCount) {
    problems.push({ path, message: `must hold at most ${limits.maxCount} variables` });
  }
  const seen = new Set<string>();
  declarations.forEach((declaration, i) => {
    const at = `${path}[${i}]`;
    problems.push(...nameProblems(declaration.name, `${at}.name`));
    if (seen.has(declaration.name)) {
      problems.push({ path: `${at}.name`, message: `duplicates variable ${declaration.name}` });
    }
    seen.add(declaration.name);
    if (declaration.defaultValue !== undefined) {
      problems.push(...valueProblems(declaration.defaultValue, `${at}.defaultValue`));
    }
    if ((declaration.description?.length ?? 0) > limits.maxDescriptionLength) {
      problems.push({
        path: `${at}.description`,
        message: `must be at most ${limits.maxDescriptionLength} characters`,
      });
    }
  });
  return problems;
}

/**
 * The values of an execution's pipeline-level variables: overrides over defaults. Throws
 * InvalidInput (ValidationException) listing every problem of the overrides.
 */
export function resolvePipelineVariables(options: {
  readonly declarations: readonly PipelineVariableDeclaration[];
  readonly overrides?: readonly PipelineVariableOverride[] | undefined;
  /** True for StartPipelineExecution: every variable must end up with a value. */
  readonly requireValues: boolean;
}): ReadonlyMap<string, string> {
  const { declarations, overrides, requireValues } = options;
  const problems: FieldProblem[] = [];
  const values = new Map<string, string>();
  for (const declaration of declarations) {
    if (declaration.defaultValue !== undefined) {
      values.set(declaration.name, declaration.defaultValue);
    }
  }
  const declared = new Set(declarations.map((d) => d.name));
  if (overrides !== undefined) {
    problems.push(...overrideProblems(overrides, declared));
    for (const override of overrides) values.set(override.name, override.value);
  }
  if (requireValues) {
    const missing = declarations.filter((d) => !values.has(d.name)).map((d) => d.name);
    if (missing.length > 0) {
      problems.push({
        path: 'variables',
        message: `no value given for variables without a default: ${missing.join(', ')}`,
      });
    }
  }
  if (problems.length > 0) throw invalidExecutionVariables(problems);
  return values;
}

function overrideProblems(
  overrides: readonly PipelineVariableOverride[],
  declared: ReadonlySet<string>,
): FieldProblem[] {
  const limits = PIPELINE_VARIABLE_LIMITS;
  const problems: FieldProblem[] = [];
  if (overrides.length < 1 || overrides.length > limits.maxCount) {
    problems.push({
      path: 'variables',
      message: `must hold 1 to ${limits.maxCount} variables`,
    });
  }
  const seen = new Set<string>();
  const unknown: string[] = [];
  overrides.forEach((override, i) => {
    const at = `variables[${i}]`;
    problems.push(...nameProblems(override.name, `${at}.name`));
    problems.push(...valueProblems(override.value, `${at}.value`));
    if (seen.has(override.name)) {
      problems.push({ path: `${at}.name`, message: `duplicates variable ${override.name}` });
    }
    seen.add(override.name);
    if (!declared.has(override.name) && VARIABLE_NAME_PATTERN.test(override.name)) {
      unknown.push(override.name);
    }
  });
  if (unknown.length > 0) {
    problems.push({
      path: 'variables',
      message: `not declared in the pipeline: ${unknown.join(', ')}`,
    });
  }
  return problems;
}

function nameProblems(name: string, path: string): FieldProblem[] {
  const max = PIPELINE_VARIABLE_LIMITS.maxNameLength;
  if (name.length < 1 || name.length > max) {
    return [{ path, message: `must be 1 to ${max} characters` }];
  }
  if (!VARIABLE_NAME_PATTERN.test(name)) {
    return [{ path, message: 'must match [A-Za-z0-9@\\-_]+' }];
  }
  return [];
}

function valueProblems(value: string, path: string): FieldProblem[] {
  const max = PIPELINE_VARIABLE_LIMITS.maxValueLength;
  if (value.length < 1 || value.length > max) {
    return [{ path, message: `must be 1 to ${max} characters` }];
  }
  return [];
}
