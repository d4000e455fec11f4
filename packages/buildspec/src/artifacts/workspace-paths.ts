/**
 * Checks on the paths and patterns that name files in a build's workspace. A buildspec is
 * hostile input: a pattern or base directory that is absolute or climbs with `..` would reach
 * outside the workspace, so it is refused before anything is matched.
 */

/** Longest pattern accepted; glob matching time grows with pattern length. */
export const maxPatternLength = 1024;
/** Most `**` segments in one pattern; each one multiplies the matcher's backtracking. */
export const maxGlobstars = 8;

/**
 * The pattern relative to its root, without `./` segments, or a message saying why it cannot
 * be used. A trailing `/` is kept: it marks a directory.
 */
export function normalizePattern(pattern: string): string | { error: string } {
  if (pattern.length > maxPatternLength) {
    return { error: `'${pattern.slice(0, 40)}…' is longer than ${maxPatternLength} characters` };
  }
  if (pattern.includes('\0')) return { error: `'${pattern}' contains a NUL character` };
  if (pattern.startsWith('/') || /^[A-Za-z]:[\\/]/.test(pattern) || pattern.startsWith('\\\\')) {
    return {
      error: `'${pattern}' is an absolute path: paths are relative to the source directory`,
    };
  }
  const trailingSlash = pattern.endsWith('/');
  const segments = pattern.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..'))
    return { error: `'${pattern}' leaves the source directory with '..'` };
  if (segments.length === 0) return { error: `'${pattern}' names no file` };
  if (segments.filter((s) => s === '**').length > maxGlobstars) {
    return { error: `'${pattern}' has more than ${maxGlobstars} '**' segments` };
  }
  return segments.join('/') + (trailingSlash ? '/' : '');
}

/** A listed workspace file must be a plain relative path: no `.`, `..` or empty segments. */
export function isWorkspacePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\0')) return false;
  return path.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/** The proper ancestors of a relative path, nearest last: `a/b/c` → `a`, `a/b`. */
export function ancestorsOf(path: string): string[] {
  const out: string[] = [];
  let at = path.indexOf('/');
  while (at !== -1) {
    out.push(path.slice(0, at));
    at = path.indexOf('/', at + 1);
  }
  return out;
}

export function basenameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
