/** Test helpers: parse an appspec and get the model, or its problems as text. */
import type { AppSpec } from './appspec.model.ts';
import { parseAppSpec, type ParseAppSpecOptions } from './parse-appspec.ts';
import { formatAppSpecProblem } from './problems.ts';

/** Joins lines so an appspec reads as YAML in the test source. */
export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** `version: 0.0` and `os: linux` followed by the given lines. */
export function appspec(...lines: string[]): string {
  return yaml('version: 0.0', 'os: linux', ...lines);
}

export function parsed(text: string): AppSpec {
  const result = parseAppSpec(text);
  if (!result.ok) throw new Error(result.errors.map(formatAppSpecProblem).join('\n'));
  return result.appSpec;
}

export function errorsOf(text: string, options?: ParseAppSpecOptions): string[] {
  const result = parseAppSpec(text, options);
  if (result.ok) throw new Error('expected the appspec to be refused');
  return result.errors.map(formatAppSpecProblem);
}

export function warningsOf(text: string): string[] {
  return parseAppSpec(text).warnings.map(formatAppSpecProblem);
}
