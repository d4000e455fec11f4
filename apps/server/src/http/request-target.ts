import { parseQuery } from '../aws-api/sigv4/canonical.ts';

/** The request line's target, split once and shared by the router and the doors. */
export interface RequestTarget {
  /** As sent, still percent-encoded. */
  readonly rawPath: string;
  readonly rawQuery: string;
  /** Decoded, in wire order. */
  readonly query: [string, string][];
}

export function parseRequestTarget(url: string): RequestTarget {
  const q = url.indexOf('?');
  const rawQuery = q === -1 ? '' : url.slice(q + 1);
  return { rawPath: q === -1 ? url : url.slice(0, q), rawQuery, query: parseQuery(rawQuery) };
}
