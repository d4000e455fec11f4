/**
 * The glob dialect of CodePipeline trigger filters (branches, tags, file paths).
 *
 * AWS's "Working with glob patterns in syntax" page
 * (https://docs.aws.amazon.com/codepipeline/latest/userguide/syntax-glob.html) restates, rule for
 * rule, the glob syntax of Java's `FileSystem.getPathMatcher("glob:…")`, so this is a port of
 * that translation (OpenJDK `sun.nio.fs.Globs`), not minimatch. The two disagree where it shows:
 *
 * - `**` is not a path-segment globstar: it matches any run of characters, slashes included,
 *   wherever it stands. `common/**\/*.js` therefore needs at least one directory between
 *   `common/` and the file (`common/a.js` does not match; minimatch would match it), and `a**b`
 *   crosses directories (minimatch treats it as `a*b`).
 * - `*` and `?` never match `/`; a leading dot is an ordinary character (no dotfile rule).
 * - `[!…]` negates; `^` first in brackets is a literal `^`, not a negation. `-` is literal only
 *   first (or first after `!`) or last. `*`, `?` and `\` are literal inside brackets. A bracket
 *   expression never matches `/` and may not contain one.
 * - `{a,b}` groups cannot nest; `,` and `}` are literal outside a group. No extglobs, no `!`
 *   pattern negation, no `+(…)`.
 * - `\` escapes the next character anywhere outside brackets.
 * - Matching is case-sensitive and covers the whole name or path.
 *
 * Syntax errors are those Java raises (PatternSyntaxException): a trailing `\`, a `[` or `{`
 * left open, a nested `{`, a `/` inside brackets, a reversed or dangling range. Empty brackets
 * (`[]`, `[!]`) are refused too (Java builds an unusable regex for them).
 */
export interface Glob {
  readonly pattern: string;
  matches(text: string): boolean;
}

/** Compiles a pattern, or says what is wrong with it. */
export function compileGlob(pattern: string): Glob | { readonly problem: string } {
  try {
    const regex = new RegExp(`^${translate(pattern)}$`, 'su');
    return { pattern, matches: (text) => regex.test(text) };
  } catch (error) {
    if (error instanceof GlobSyntaxError) return { problem: error.message };
    throw error;
  }
}

/** The syntax problem of a pattern, for create-time validation; undefined when it is valid. */
export function findGlobProblem(pattern: string): string | undefined {
  const compiled = compileGlob(pattern);
  return 'problem' in compiled ? compiled.problem : undefined;
}

class GlobSyntaxError extends Error {}

function fail(message: string, index: number): never {
  throw new GlobSyntaxError(`${message} at index ${index}`);
}

/** Every literal as a code-point escape: valid in and out of classes under the `u` flag. */
function literal(char: string): string {
  return `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`;
}

function translate(glob: string): string {
  // Code points, so a surrogate pair is one character as in a `[…]` or `?`.
  const chars = Array.from(glob);
  let regex = '';
  let inGroup = false;
  let i = 0;
  while (i < chars.length) {
    const c = chars[i] as string;
    i += 1;
    switch (c) {
      case '\\':
        if (i === chars.length) fail('No character to escape', i - 1);
        regex += literal(chars[i] as string);
        i += 1;
        break;
      case '[': {
        const [cls, next] = translateBracket(chars, i);
        regex += cls;
        i = next;
        break;
      }
      case '{':
        if (inGroup) fail('Cannot nest groups', i - 1);
        regex += '(?:(?:';
        inGroup = true;
        break;
      case '}':
        regex += inGroup ? '))' : literal(c);
        inGroup = false;
        break;
      case ',':
        regex += inGroup ? ')|(?:' : literal(c);
        break;
      case '*':
        if (chars[i] === '*') {
          regex += '.*';
          i += 1;
        } else {
          regex += '[^/]*';
        }
        break;
      case '?':
        regex += '[^/]';
        break;
      default:
        regex += literal(c);
    }
  }
  if (inGroup) fail("Missing '}'", i - 1);
  return regex;
}

/** From just after `[` to just after its `]`: the JS class and the index after it. */
function translateBracket(chars: readonly string[], start: number): [string, number] {
  let i = start;
  let negated = false;
  const items: string[] = [];
  // As in Java: `^` first is literal (and then no `!` or leading `-` rule applies).
  if (chars[i] === '^') {
    items.push(literal('^'));
    i += 1;
  } else {
    if (chars[i] === '!') {
      negated = true;
      i += 1;
    }
    if (chars[i] === '-') {
      items.push(literal('-'));
      i += 1;
    }
  }
  let rangeStart: string | undefined;
  let closed = false;
  while (i < chars.length) {
    const c = chars[i] as string;
    i += 1;
    if (c === ']') {
      closed = true;
      break;
    }
    if (c === '/') fail("Explicit 'name separator' in class", i - 1);
    if (c !== '-') {
      items.push(literal(c));
      rangeStart = c;
      continue;
    }
    if (rangeStart === undefined) fail('Invalid range', i - 1);
    const end = chars[i];
    i += 1;
    if (end === undefined) break;
    if (end === ']') {
      // A trailing `-` is literal: `[a-]`.
      items.push(literal('-'));
      closed = true;
      break;
    }
    if ((end.codePointAt(0) ?? 0) < (rangeStart.codePointAt(0) ?? 0)) fail('Invalid range', i - 3);
    items.push(`-${literal(end)}`);
    rangeStart = undefined;
  }
  if (!closed) fail("Missing ']'", i - 1);
  if (items.length === 0) fail('Empty bracket expression', start - 1);
  // A class never matches the name separator, negated or not.
  return [`(?!/)[${negated ? '^' : ''}${items.join('')}]`, i];
}
