import { invalidObjectInput, ObjectSubject } from './objects.errors.ts';

/** Where a listing resumes: after `key` (and its entry `marker`), or after every key under it. */
export interface ListPosition {
  readonly key: string;
  /** A version id or upload id: resume after that entry of `key` rather than after the key. */
  readonly marker?: string | undefined;
  /** Resume after every key that begins with `key` (it was returned as a common prefix). */
  readonly skipPrefixed: boolean;
}

export interface RollupOptions<T> {
  readonly prefix: string;
  readonly delimiter: string | undefined;
  readonly maxKeys: number;
  readonly start: ListPosition | undefined;
  /** Entries after `start`, in order, under `prefix`; fewer than `limit` means no more. */
  readonly fetch: (start: ListPosition | undefined, limit: number) => Promise<readonly T[]>;
  readonly keyOf: (item: T) => string;
  readonly markerOf: (item: T) => string | undefined;
}

export interface RollupPage<T> {
  readonly items: T[];
  readonly commonPrefixes: string[];
  readonly isTruncated: boolean;
  /** After the last entry (item or common prefix) returned: where the next page starts. */
  readonly next: ListPosition | undefined;
}

export const defaultMaxKeys = 1000;
const maxBatch = 1000;

/**
 * S3's delimiter rollup over an ordered listing: a key with the delimiter after the prefix
 * counts once, as the common prefix up to and including the delimiter, and the keys under that
 * prefix are then skipped (the next fetch starts after all of them). Items and common prefixes
 * together count toward `maxKeys`; the page is truncated when another entry follows.
 */
export async function rollup<T>(options: RollupOptions<T>): Promise<RollupPage<T>> {
  const items: T[] = [];
  const commonPrefixes: string[] = [];
  let position = options.start;
  let skipUnder = position?.skipPrefixed === true ? position.key : undefined;
  if (options.maxKeys === 0) return { items, commonPrefixes, isTruncated: false, next: undefined };
  for (;;) {
    const count = items.length + commonPrefixes.length;
    const limit = Math.max(1, Math.min(options.maxKeys - count + 1, maxBatch));
    const batch = await options.fetch(position, limit);
    for (const item of batch) {
      const key = options.keyOf(item);
      if (skipUnder !== undefined && key.startsWith(skipUnder)) continue;
      if (items.length + commonPrefixes.length === options.maxKeys) {
        return { items, commonPrefixes, isTruncated: true, next: position };
      }
      const common = commonPrefixOf(key, options.prefix, options.delimiter);
      if (common === undefined) {
        items.push(item);
        position = { key, marker: options.markerOf(item), skipPrefixed: false };
      } else {
        commonPrefixes.push(common);
        skipUnder = common;
        position = { key: common, skipPrefixed: true };
      }
    }
    if (batch.length < limit) return { items, commonPrefixes, isTruncated: false, next: undefined };
  }
}

/** The common prefix a key rolls up into, if any. */
export function commonPrefixOf(
  key: string,
  prefix: string,
  delimiter: string | undefined,
): string | undefined {
  if (delimiter === undefined || delimiter === '' || !key.startsWith(prefix)) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

/**
 * Where a listing starts given a marker (`marker`, `key-marker`, `start-after`). A marker that is
 * itself a common prefix (what the previous page ended with) also skips the keys under it.
 */
export function startAfter(
  key: string | undefined,
  marker: string | undefined,
  prefix: string,
  delimiter: string | undefined,
): ListPosition | undefined {
  if (key === undefined || key === '') return undefined;
  const isCommonPrefix = marker === undefined && commonPrefixOf(key, prefix, delimiter) === key;
  return { key, marker, skipPrefixed: isCommonPrefix };
}

/** `max-keys` and the like: 0 to 1,000 (more is 1,000), 1,000 when absent. */
export function checkMaxKeys(value: number | undefined, name = 'max-keys'): number {
  if (value === undefined) return defaultMaxKeys;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw invalidObjectInput(
      ObjectSubject.MaxKeys,
      `Provided ${name} not an integer or within integer range`,
    );
  }
  return Math.min(value, defaultMaxKeys);
}

/** Opaque to clients: base64url of a kind letter (`k` key, `p` common prefix) and the key. */
export function encodeContinuationToken(position: ListPosition): string {
  const text = `${position.skipPrefixed ? 'p' : 'k'}${position.key}`;
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** InvalidInput `continuation-token` (S3's InvalidArgument) for anything it did not encode. */
export function decodeContinuationToken(token: string): ListPosition {
  const invalid = () =>
    invalidObjectInput(
      ObjectSubject.ContinuationToken,
      'The continuation token provided is incorrect',
    );
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw invalid();
  let text: string;
  try {
    const binary = atob(token.replaceAll('-', '+').replaceAll('_', '/'));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid();
  }
  const kind = text.charAt(0);
  const key = text.slice(1);
  if ((kind !== 'k' && kind !== 'p') || key === '') throw invalid();
  return { key, skipPrefixed: kind === 'p' };
}
