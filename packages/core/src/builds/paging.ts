import type { JsonValue } from '../platform/json.ts';
import { BuildsSubject, invalidBuildsInput } from './builds.errors.ts';

/**
 * `nextToken`s: opaque to clients, base64url of a small JSON cursor (the sort key and the id
 * of the last item of the page), so pages stay stable while items come and go (keyset paging,
 * as ListRepositories pages). A token that does not decode to the expected shape is refused
 * with `subject` (CodeBuild's InvalidInputException, or Logs' InvalidParameterException).
 */
export function encodePageToken(cursor: JsonValue): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(JSON.stringify(cursor))) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function decodePageToken<T>(
  token: string | undefined,
  isValid: (value: unknown) => value is T,
  subject: BuildsSubject = BuildsSubject.NextToken,
): T | undefined {
  if (token === undefined) return undefined;
  const invalid = () =>
    invalidBuildsInput(subject, 'The nextToken is not valid', [
      { path: 'nextToken', message: 'is not a token this service returned' },
    ]);
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw invalid();
  let value: unknown;
  try {
    const binary = atob(token.replaceAll('-', '+').replaceAll('_', '/'));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw invalid();
  }
  if (!isValid(value)) throw invalid();
  return value;
}

/** A keyset cursor: the sort key of the last item returned, and its unique id. */
export interface PageCursor {
  readonly key: string | number;
  readonly id: string;
}

export function isPageCursor(value: unknown): value is PageCursor {
  if (typeof value !== 'object' || value === null) return false;
  const { key, id } = value as Record<string, unknown>;
  return (
    typeof id === 'string' &&
    (typeof key === 'string' || (typeof key === 'number' && Number.isSafeInteger(key)))
  );
}

/** A cursor over a sequence number (builds, reports, test cases, events). */
export interface SeqCursor {
  readonly after: number;
}

export function isSeqCursor(value: unknown): value is SeqCursor {
  if (typeof value !== 'object' || value === null) return false;
  const { after } = value as Record<string, unknown>;
  return typeof after === 'number' && Number.isSafeInteger(after) && after >= 0;
}

/** A page of `limit` from a store asked for `limit + 1`: the items, and whether more follow. */
export function pageOf<T>(items: readonly T[], limit: number): { page: T[]; more: boolean } {
  return { page: items.slice(0, limit), more: items.length > limit };
}

export const SortOrderType = { Ascending: 'ASCENDING', Descending: 'DESCENDING' } as const;
export type SortOrderType = (typeof SortOrderType)[keyof typeof SortOrderType];
