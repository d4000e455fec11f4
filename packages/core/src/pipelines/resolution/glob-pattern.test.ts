import { describe, expect, it } from 'vitest';
import { compileGlob, findGlobProblem } from './glob-pattern.ts';

function matches(pattern: string, text: string): boolean {
  const glob = compileGlob(pattern);
  if ('problem' in glob) throw new Error(`${pattern}: ${glob.problem}`);
  return glob.matches(text);
}

describe('glob patterns: AWS’s documented examples (syntax-glob)', () => {
  it.each([
    ['*.java', 'Main.java', true],
    ['*.java', 'Main.class', false],
    ['*.*', 'a.b', true],
    ['*.*', 'README', false],
    ['*.{java,class}', 'Main.java', true],
    ['*.{java,class}', 'Main.class', true],
    ['*.{java,class}', 'Main.kt', false],
    ['foo.?', 'foo.c', true],
    ['foo.?', 'foo.cc', false],
    ['my-file.jar', 'my-file.jar', true],
    ['my-file.jar', 'lib/my-file.jar', false],
    ['directory/my-file.jar', 'directory/my-file.jar', true],
    ['directory/subdirectory/my-file.jar', 'directory/subdirectory/my-file.jar', true],
    ['**', 'any/depth/of/file.txt', true],
    ['**', 'file.txt', true],
    ['directory/**', 'directory/a', true],
    ['directory/**', 'directory/a/b/c', true],
    ['directory/**', 'other/a', false],
    ['directory/*', 'directory/a', true],
    ['directory/*', 'directory/a/b', false],
  ])('%j on %j → %s', (pattern, text, expected) => {
    expect(matches(pattern, text)).toBe(expected);
  });

  it('matches `*.java` only at the root: `*` stays within directory boundaries', () => {
    expect(matches('*.java', 'src/Main.java')).toBe(false);
  });
});

describe('glob patterns: `*`, `**` and `?`', () => {
  it('crosses directories with `**` wherever it stands, not only as a whole segment', () => {
    expect(matches('a**b', 'a/x/y/b')).toBe(true);
    expect(matches('feature/**', 'feature/a/b')).toBe(true);
    expect(matches('**/README.md', 'docs/deep/README.md')).toBe(true);
  });

  it('needs a directory under `common/` for `common/**/*.js` (Java semantics, unlike minimatch)', () => {
    expect(matches('common/**/*.js', 'common/lib/a.js')).toBe(true);
    expect(matches('common/**/*.js', 'common/lib/deep/a.js')).toBe(true);
    expect(matches('common/**/*.js', 'common/a.js')).toBe(false);
  });

  it('does not match a root file with `**/README.md` (the `/` is literal)', () => {
    expect(matches('**/README.md', 'README.md')).toBe(false);
  });

  it('never matches `/` with `*` or `?`', () => {
    expect(matches('feature/*', 'feature/a/b')).toBe(false);
    expect(matches('a?b', 'a/b')).toBe(false);
  });

  it('treats a leading dot as an ordinary character', () => {
    expect(matches('*', '.gitignore')).toBe(true);
    expect(matches('**', '.github/workflows/ci.yml')).toBe(true);
  });

  it('is case-sensitive and anchored at both ends', () => {
    expect(matches('main', 'Main')).toBe(false);
    expect(matches('main', 'main2')).toBe(false);
    expect(matches('main', 'xmain')).toBe(false);
  });

  it('treats regex metacharacters as literals', () => {
    expect(matches('v1.0+build(3)|$^', 'v1.0+build(3)|$^')).toBe(true);
    expect(matches('v1.0', 'v1x0')).toBe(false);
  });
});

describe('glob patterns: brackets, groups, escapes', () => {
  it('matches one character of a set or range', () => {
    expect(matches('release-v[0-2]', 'release-v1')).toBe(true);
    expect(matches('release-v[0-2]', 'release-v3')).toBe(false);
    expect(matches('[abce-g]', 'f')).toBe(true);
  });

  it('negates with `!` but treats a leading `^` as a literal', () => {
    expect(matches('[!a-c]x', 'dx')).toBe(true);
    expect(matches('[!a-c]x', 'bx')).toBe(false);
    expect(matches('[^a]', '^')).toBe(true);
    expect(matches('[^a]', 'b')).toBe(false);
  });

  it('takes `-` literally first, first after `!`, or last', () => {
    expect(matches('[-a]', '-')).toBe(true);
    expect(matches('[!-a]', '-')).toBe(false);
    expect(matches('[!-a]', 'b')).toBe(true);
    expect(matches('[a-]', '-')).toBe(true);
  });

  it('takes `*`, `?` and `\\` literally inside brackets', () => {
    expect(matches('[*?\\]', '*')).toBe(true);
    expect(matches('[*?\\]', '\\')).toBe(true);
    expect(matches('[*?\\]', 'a')).toBe(false);
  });

  it('never matches `/` with a negated class', () => {
    expect(matches('a[!x]b', 'a/b')).toBe(false);
  });

  it('matches any alternative of a group, alternatives holding wildcards and slashes', () => {
    expect(matches('{src/**,docs/*.md}', 'src/a/b.ts')).toBe(true);
    expect(matches('{src/**,docs/*.md}', 'docs/x.md')).toBe(true);
    expect(matches('{src/**,docs/*.md}', 'docs/a/x.md')).toBe(false);
    expect(matches('x{}y', 'xy')).toBe(true);
  });

  it('takes `,` and `}` literally outside a group', () => {
    expect(matches('a,b}', 'a,b}')).toBe(true);
  });

  it('escapes special characters with a backslash', () => {
    expect(matches('\\*.txt', '*.txt')).toBe(true);
    expect(matches('\\*.txt', 'a.txt')).toBe(false);
    expect(matches('\\{a,b\\}', '{a,b}')).toBe(true);
    expect(matches('a\\\\b', 'a\\b')).toBe(true);
  });

  it('counts a character outside the BMP as one character', () => {
    expect(matches('?', '😀')).toBe(true);
  });
});

describe('glob patterns: syntax errors', () => {
  it.each([
    ['abc\\', 'No character to escape'],
    ['[abc', "Missing ']'"],
    ['[a-', "Missing ']'"],
    ['{a,b', "Missing '}'"],
    ['{a,{b,c}}', 'Cannot nest groups'],
    ['[a/b]', "Explicit 'name separator' in class"],
    ['[z-a]', 'Invalid range'],
    ['[a-c-e]', 'Invalid range'],
    ['[]', 'Empty bracket expression'],
    ['[!]', 'Empty bracket expression'],
  ])('refuses %j (%s)', (pattern, problem) => {
    expect(findGlobProblem(pattern)).toContain(problem);
  });

  it('accepts valid patterns', () => {
    expect(findGlobProblem('feature/**')).toBeUndefined();
  });
});
