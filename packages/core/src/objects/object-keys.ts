/**
 * Object keys as stores keep them. A key is any UTF-8 string, NUL included, which PostgreSQL
 * `text` cannot hold, and S3 lists keys in UTF-8 byte order, which is not JavaScript's UTF-16
 * code-unit order (U+FF21 sorts before U+1F600 in UTF-8, after it in UTF-16). So stores keep the
 * lowercase hex of the key's UTF-8 bytes: two hex digits per byte compare as the bytes do (under
 * a byte-wise collation: `collate "C"` on PostgreSQL, SQLite's default), a byte prefix is a hex
 * prefix, and hex has no LIKE wildcards. Keys that begin with `prefix` are exactly those whose
 * hex is `>= hex(prefix)` and `< hex(prefix) + 'g'` (`g` sorts after every hex digit).
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The lowercase hex of the key's UTF-8 bytes. */
export function objectKeyHex(key: string): string {
  let hex = '';
  for (const byte of encoder.encode(key)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** The key whose `objectKeyHex` this is. Throws on text that is not hex of UTF-8. */
export function objectKeyFromHex(hex: string): string {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) {
    throw new Error(`not a hex object key: ${hex.slice(0, 40)}`);
  }
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return decoder.decode(bytes);
}

/**
 * A hex bound above every key that begins with the key of `hex` (and below every greater key
 * that does not): the end of a prefix range, or where to resume after a common prefix.
 */
export function hexPrefixEnd(hex: string): string {
  return `${hex}g`;
}

/** UTF-8 byte order, as S3 lists keys. */
export function compareObjectKeys(a: string, b: string): number {
  const x = objectKeyHex(a);
  const y = objectKeyHex(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether the string is valid UTF-16 (no lone surrogate), so that it has a UTF-8 form at all. */
export function isWellFormedKey(key: string): boolean {
  return !/[\uD800-\uDFFF]/u.test(key);
}
