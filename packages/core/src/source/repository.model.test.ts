import { describe, expect, it } from 'vitest';
import {
  normalizeRepositoryPath,
  refNameProblem,
  repositoryNameProblem,
} from './repository.model.ts';

describe('repositoryNameProblem', () => {
  it.each(['demo', 'My_Repo-1.2', 'a', 'x'.repeat(100)])('accepts %s', (name) => {
    expect(repositoryNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['', 'empty'],
    ['x'.repeat(101), 'too long'],
    ['has space', 'a space'],
    ['slash/name', 'a slash'],
    ['repo.git', 'a .git suffix'],
    ['repo.GIT', 'a .GIT suffix'],
    ['..', 'dot-dot'],
    ['ünïcode', 'non-ASCII letters'],
  ])('rejects %j (%s)', (name) => {
    expect(repositoryNameProblem(name)).toBeDefined();
  });
});

describe('refNameProblem', () => {
  it.each(['main', 'feature/x', 'release-1.2', 'a.b', 'user@host'])('accepts %s', (name) => {
    expect(refNameProblem(name)).toBeUndefined();
  });

  it.each([
    '',
    '-delete',
    'a..b',
    'a//b',
    '/a',
    'a/',
    'a.',
    'x.lock',
    'x.lock/y',
    '.hidden',
    'a/.b',
    'a b',
    'a~1',
    'a^',
    'a:b',
    'a?',
    'a*',
    'a[b',
    'a\\b',
    'a@{1}',
    '@',
    'HEAD',
    'tab\tname',
    'nul\0name',
    'del\x7f',
  ])('rejects %j', (name) => {
    expect(refNameProblem(name)).toBeDefined();
  });
});

describe('normalizeRepositoryPath', () => {
  it.each([
    ['README.md', 'README.md'],
    ['/solutions/app.py', 'solutions/app.py'],
    ['a//b/./c', 'a/b/c'],
    ['/', ''],
    ['', ''],
  ])('normalizes %j to %j', (input, output) => {
    expect(normalizeRepositoryPath(input)).toEqual({ path: output });
  });

  it.each(['../x', 'a/../../etc/passwd', 'a/..', 'nul\0byte', '.git/config', 'a/.GIT/hooks'])(
    'rejects %j',
    (input) => {
      expect(normalizeRepositoryPath(input)).toHaveProperty('problem');
    },
  );
});
