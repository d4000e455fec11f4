/** RFC 3986 encoding as SigV4 wants it: everything but `A-Za-z0-9-_.~` (and `/` when asked). */
export function uriEncode(value: string, keepSlash: boolean): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      (byte >= 0x30 && byte <= 0x39) ||
      ch === '-' ||
      ch === '_' ||
      ch === '.' ||
      ch === '~' ||
      (keepSlash && ch === '/')
    ) {
      out += ch;
    } else {
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/** Percent-decoding that never throws: a malformed escape stays as it was. */
export function safeDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value.replace(/(%[0-9a-fA-F]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/**
 * The canonical URI. Non-S3 services take the path as sent, remove dot segments and encode it
 * once more (so `%2F` becomes `%252F`); S3 takes the path exactly as sent.
 */
export function canonicalUri(rawPath: string, service: string): string {
  if (rawPath === '') return '/';
  if (service === 's3') return rawPath;
  return uriEncode(normalizePath(rawPath), true);
}

function normalizePath(path: string): string {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  const trailing = path.length > 1 && path.endsWith('/') && out.length > 0 ? '/' : '';
  return `/${out.join('/')}${trailing}`;
}

/** Query parameters, decoded, in wire order; a key without `=` has the empty value. */
export function parseQuery(rawQuery: string): [string, string][] {
  if (rawQuery === '') return [];
  return rawQuery
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq === -1 ? pair : pair.slice(0, eq);
      const value = eq === -1 ? '' : pair.slice(eq + 1);
      return [safeDecode(key), safeDecode(value)];
    });
}

/** Sorted by encoded key, then encoded value; `skip` drops the signature of a presigned URL. */
export function canonicalQuery(params: readonly [string, string][], skip?: string): string {
  return params
    .filter(([key]) => key !== skip)
    .map(([key, value]): [string, string] => [uriEncode(key, false), uriEncode(value, false)])
    .sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

/**
 * `name:value` lines for exactly the signed headers, values trimmed with inner runs of spaces
 * collapsed, repeated headers joined with commas. `rawHeaders` is Node's flat [name, value, …].
 */
export function canonicalHeaders(rawHeaders: readonly string[], signed: readonly string[]): string {
  const values = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = (rawHeaders[i + 1] as string).trim().replace(/\s+/g, ' ');
    const list = values.get(name);
    if (list === undefined) values.set(name, [value]);
    else list.push(value);
  }
  return signed.map((name) => `${name}:${(values.get(name) ?? []).join(',')}\n`).join('');
}
