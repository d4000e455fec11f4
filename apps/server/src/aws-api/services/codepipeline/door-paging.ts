import { AppErrorKind, pipelinesError, PipelinesSubject } from '@slipway/core';

/**
 * Pages of a list the service answers whole (a resource's tags): the token is the offset of
 * the next item, opaque to clients; one this door did not hand out is InvalidNextTokenException.
 */
export function pageOf<T>(
  items: readonly T[],
  request: { readonly maxResults?: number | undefined; readonly nextToken?: string | undefined },
  pageSize: number,
): { page: T[]; nextToken: string | undefined } {
  const start = request.nextToken === undefined ? 0 : offsetOf(request.nextToken);
  const end = start + (request.maxResults ?? pageSize);
  return {
    page: items.slice(start, end),
    nextToken: end < items.length ? tokenOf(end) : undefined,
  };
}

/** For lists that always fit in one page: no token can be valid. */
export function refuseNextToken(nextToken: string | undefined): void {
  if (nextToken !== undefined) throw invalidToken();
}

const prefix = 'page:';

function tokenOf(offset: number): string {
  return Buffer.from(`${prefix}${offset}`).toString('base64url');
}

/** A token past the end (the list shrank in between) gives an empty page. */
function offsetOf(token: string): number {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const offset = text.startsWith(prefix) ? Number(text.slice(prefix.length)) : Number.NaN;
  if (!Number.isSafeInteger(offset) || offset <= 0) throw invalidToken();
  return offset;
}

function invalidToken() {
  return pipelinesError(
    AppErrorKind.InvalidInput,
    PipelinesSubject.NextToken,
    'The next token is not valid: pass the nextToken of the previous page unchanged',
  );
}
