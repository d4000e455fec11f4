/**
 * The two kinds of path an appspec holds. Bundle paths (`files[].source`, `hooks.*.location`)
 * are relative to the bundle root and must stay inside it; host paths (`files[].destination`,
 * `permissions[].object`) are absolute and may not climb with `..`. Both are POSIX: Slipway's
 * agents run on Linux, where a backslash is an ordinary file name character.
 */

export type PathCheck =
  { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

/**
 * A source or hook location, normalized relative to the bundle root: `/` (sources only) and `.`
 * are the whole bundle, which normalizes to the empty string; a leading `/` is the bundle root.
 * `..` may not climb above the root: the bundle is the only place a revision's files are.
 */
export function bundlePath(text: string, options: { readonly rootAllowed: boolean }): PathCheck {
  if (text.includes('\0')) return { ok: false, reason: 'must not contain a NUL byte' };
  if (text === '/') {
    return options.rootAllowed
      ? { ok: true, path: '' }
      : { ok: false, reason: 'must name a file in the bundle, not the bundle itself' };
  }
  // A leading '/' is the bundle root, as CodeDeploy's agent joins these paths onto the
  // unpacked bundle (`/scripts/start.sh` is `<bundle>/scripts/start.sh`).
  const segments: string[] = [];
  for (const segment of text.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return { ok: false, reason: `'${text}' escapes the bundle` };
      segments.pop();
      continue;
    }
    segments.push(segment);
  }
  const path = segments.join('/');
  if (path === '' && !options.rootAllowed) {
    return { ok: false, reason: 'must name a file in the bundle, not the bundle itself' };
  }
  return { ok: true, path };
}

/** A destination or permission object: absolute, no `..` segment, normalized. */
export function hostPath(text: string): PathCheck {
  if (text.includes('\0')) return { ok: false, reason: 'must not contain a NUL byte' };
  if (!text.startsWith('/'))
    return { ok: false, reason: `must be an absolute path, found '${text}'` };
  const segments = text.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..'))
    return { ok: false, reason: `must not contain '..', found '${text}'` };
  return { ok: true, path: `/${segments.join('/')}` };
}
