import { AppError, AppErrorKind } from '../errors/app-error.ts';
import { decodePageToken, encodePageToken } from '../builds/paging.ts';
import { pipelinesError, PipelinesSubject } from './pipelines.errors.ts';

/** Opaque page tokens (builds/paging.ts's encoding): the list's kind and where the page ends. */
export function encodeToken(kind: string, position: string | number): string {
  return encodePageToken([kind, position]);
}

export function decodeToken(token: string, kind: string): string | number {
  try {
    const value = decodePageToken(
      token,
      (v): v is [string, string | number] =>
        Array.isArray(v) && v[0] === kind && (typeof v[1] === 'string' || typeof v[1] === 'number'),
    );
    if (value !== undefined) return value[1];
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
  }
  throw pipelinesError(
    AppErrorKind.InvalidInput,
    PipelinesSubject.NextToken,
    'The next token is not valid for this list',
  );
}
