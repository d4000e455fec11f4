import { BuildsSubject, invalidBuildsInput } from './builds.errors.ts';

/**
 * GetLogEvents' tokens, shaped like CloudWatch's (`f/` or `b/` and 56 digits). They hold a
 * position in the stream's event order: `f/N` reads the events after event N, `b/N` the ones
 * before event N. Reading past either end returns the token that was passed in, which is how
 * CloudWatch tells a client it has reached the end.
 */
export type LogPosition =
  | { readonly direction: 'forward'; readonly after: number }
  | { readonly direction: 'backward'; readonly before: number };

const digits = 56;

export function forwardToken(after: number): string {
  return `f/${String(after).padStart(digits, '0')}`;
}

export function backwardToken(before: number): string {
  return `b/${String(before).padStart(digits, '0')}`;
}

export function decodeLogToken(token: string): LogPosition {
  const match = /^([fb])\/(\d{1,56})$/.exec(token);
  const position = match === null ? NaN : Number(match[2]);
  if (match === null || !Number.isSafeInteger(position)) {
    throw invalidBuildsInput(BuildsSubject.LogParameter, 'The specified nextToken is invalid.', [
      { path: 'nextToken', message: 'is not a token GetLogEvents returned' },
    ]);
  }
  return match[1] === 'f'
    ? { direction: 'forward', after: position }
    : { direction: 'backward', before: position };
}
