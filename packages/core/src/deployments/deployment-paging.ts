import { AppError } from '../errors/app-error.ts';
import { decodePageToken, encodePageToken } from '../builds/paging.ts';
import type { Page } from './deployment-requests.ts';
import { DeploymentsSubject, invalidDeploymentsInput } from './deployments.errors.ts';

/** Opaque page tokens (builds/paging.ts's encoding): the list's kind and where the page ends. */
export function encodeListToken(kind: string, position: string): string {
  return encodePageToken([kind, position]);
}

/** The position a token names; undefined for no token; InvalidNextTokenException otherwise. */
export function decodeListToken(token: unknown, kind: string): string | undefined {
  if (token === undefined || token === null) return undefined;
  try {
    const value = decodePageToken(
      typeof token === 'string' ? token : '!',
      (v): v is [string, string] => Array.isArray(v) && v[0] === kind && typeof v[1] === 'string',
    );
    if (value !== undefined) return value[1];
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
  }
  throw invalidDeploymentsInput(DeploymentsSubject.NextToken, 'The next token is not valid', [
    { path: 'nextToken', message: 'is not a token this list returned' },
  ]);
}

/** A page of `size` from `items` fetched with one extra, with a token after the last when more. */
export function pageOf<T>(items: readonly T[], size: number, token: (last: T) => string): Page<T> {
  if (items.length <= size) return { items };
  const page = items.slice(0, size);
  return { items: page, nextToken: token(page[page.length - 1] as T) };
}
