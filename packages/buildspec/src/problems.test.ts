import { describe, expect, it } from 'vitest';
import {
  formatBuildspecError,
  formatBuildspecWarning,
  formatPath,
  sortProblems,
} from './problems.ts';

describe('problems', () => {
  it('formats field paths with dots, indexes and quoted odd keys', () => {
    expect(formatPath(['phases', 'build', 'commands', 2])).toBe('phases.build.commands[2]');
    expect(formatPath(['reports', 'arn:aws:codebuild:r:1:report-group/x', 'files'])).toBe(
      'reports.arn:aws:codebuild:r:1:report-group/x.files',
    );
    expect(formatPath(['env', 'variables', 'a.b c'])).toBe('env.variables["a.b c"]');
    expect(formatPath([])).toBe('');
  });

  it('renders errors as CodeBuild phase contexts and warnings without the code', () => {
    const problem = { line: 7, path: 'phases.build.commands[2]', message: 'expected a string' };
    expect(formatBuildspecError(problem)).toBe(
      'YAML_FILE_ERROR: line 7: phases.build.commands[2]: expected a string',
    );
    expect(formatBuildspecWarning(problem)).toBe(
      'line 7: phases.build.commands[2]: expected a string',
    );
    expect(formatBuildspecError({ line: undefined, path: '', message: 'too big' })).toBe(
      'YAML_FILE_ERROR: too big',
    );
  });

  it('sorts by line, keeping the order found within a line', () => {
    const p = (line: number | undefined, message: string) => ({ line, path: '', message });
    expect(sortProblems([p(3, 'a'), p(1, 'b'), p(undefined, 'c'), p(3, 'd')])).toEqual([
      p(undefined, 'c'),
      p(1, 'b'),
      p(3, 'a'),
      p(3, 'd'),
    ]);
  });
});
