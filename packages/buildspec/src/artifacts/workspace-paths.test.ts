import { describe, expect, it } from 'vitest';
import { ancestorsOf, basenameOf, isWorkspacePath, normalizePattern } from './workspace-paths.ts';

describe('normalizePattern', () => {
  it.each([
    ['./a/./b', 'a/b'],
    ['a//b/', 'a/b/'],
    ['**/*', '**/*'],
    ['..a/b..', '..a/b..'],
  ])('%s → %s', (raw, normalized) => {
    expect(normalizePattern(raw)).toBe(normalized);
  });

  it.each(['/x', '..', 'a/..', 'C:/x', '\\\\server\\share', '.', 'a\0b'])('refuses %j', (raw) => {
    expect(normalizePattern(raw)).toHaveProperty('error');
  });
});

describe('paths', () => {
  it('accepts only plain relative workspace paths', () => {
    expect(['a', 'a/b.c', '.git/HEAD'].map(isWorkspacePath)).toEqual([true, true, true]);
    expect(['', '/a', './a', 'a/', 'a/../b'].map(isWorkspacePath)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('lists ancestors and basenames', () => {
    expect(ancestorsOf('a/b/c.txt')).toEqual(['a', 'a/b']);
    expect(ancestorsOf('c.txt')).toEqual([]);
    expect(basenameOf('a/b/c.txt')).toBe('c.txt');
    expect(basenameOf('c.txt')).toBe('c.txt');
  });
});
