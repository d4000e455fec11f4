/** Test helpers: parse a buildspec and get the model, or its problems as CodeBuild-style text. */
import type { Buildspec } from './buildspec.model.ts';
import { parseBuildspec, type ParseBuildspecOptions } from './parse-buildspec.ts';
import { formatBuildspecError, formatBuildspecWarning } from './problems.ts';

/** Joins lines so a buildspec reads as YAML in the test source. */
export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

export function parsed(text: string): Buildspec {
  const result = parseBuildspec(text);
  if (!result.ok) throw new Error(result.errors.map(formatBuildspecError).join('\n'));
  return result.buildspec;
}

export function errorsOf(text: string, options?: ParseBuildspecOptions): string[] {
  const result = parseBuildspec(text, options);
  if (result.ok) throw new Error('expected the buildspec to be refused');
  return result.errors.map(formatBuildspecError);
}

export function warningsOf(text: string): string[] {
  return parseBuildspec(text).warnings.map(formatBuildspecWarning);
}
