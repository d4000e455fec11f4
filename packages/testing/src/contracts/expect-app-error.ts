import { isAppError, type AppError, type AppErrorKind } from '@slipway/core';
import { expect } from 'vitest';

/**
 * Asserts that `promise` rejects with an AppError of `kind` (and `resource`, when given), and
 * returns that error.
 */
export async function expectAppError(
  promise: Promise<unknown>,
  kind: AppErrorKind,
  resource?: string,
): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isAppError(error)) {
    throw new Error(`expected an AppError of kind ${kind}, got ${String(error)}`);
  }
  expect(error.kind).toBe(kind);
  if (resource !== undefined) expect(error.resource).toBe(resource);
  return error;
}
