import { describe, expect, it } from 'vitest';
import { formatAppSpecProblem, formatPath, sortProblems } from './problems.ts';

describe('problems', () => {
  it('formats field paths with dots, indexes and quoted odd keys', () => {
    expect(formatPath(['hooks', 'BeforeInstall', 0, 'timeout'])).toBe(
      'hooks.BeforeInstall[0].timeout',
    );
    expect(formatPath(['hooks', 'a b'])).toBe('hooks["a b"]');
    expect(formatPath([])).toBe('');
  });

  it('names the file and the line when there is one', () => {
    expect(formatAppSpecProblem({ line: 3, path: 'os', message: 'use linux' })).toBe(
      'appspec.yml line 3: os: use linux',
    );
    expect(formatAppSpecProblem({ line: undefined, path: '', message: 'too big' })).toBe(
      'appspec.yml: too big',
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
