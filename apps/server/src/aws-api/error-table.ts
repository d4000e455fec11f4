import type { AppError, AppErrorKind } from '@slipway/core';
import { AwsError } from './aws-error.ts';

export interface AwsErrorSpec {
  readonly code: string;
  readonly status: number;
}

/** A kind maps to one AWS error, or to one per resource type with a fallback. */
export type AwsErrorRule =
  | AwsErrorSpec
  | {
      readonly byResource: Readonly<Record<string, AwsErrorSpec>>;
      readonly otherwise: AwsErrorSpec;
    };

/**
 * Every service's table from core error kinds to its AWS errors. Typed over every kind, so a
 * new kind in the core does not compile until each service says how it looks on the wire.
 */
export type AwsErrorTable = { readonly [K in AppErrorKind]: AwsErrorRule };

/** The codes most AWS JSON services share; each service spreads this and overrides. */
export const commonJsonErrors: AwsErrorTable = {
  NotFound: { code: 'ResourceNotFoundException', status: 400 },
  AlreadyExists: { code: 'ResourceAlreadyExistsException', status: 400 },
  InvalidInput: { code: 'ValidationException', status: 400 },
  Conflict: { code: 'ConflictException', status: 409 },
  LimitExceeded: { code: 'LimitExceededException', status: 400 },
  Unauthenticated: { code: 'UnrecognizedClientException', status: 400 },
  AccessDenied: { code: 'AccessDeniedException', status: 400 },
  Throttled: { code: 'ThrottlingException', status: 400 },
  Unavailable: { code: 'ServiceUnavailableException', status: 503 },
  Internal: { code: 'InternalFailure', status: 500 },
};

/** The codes of the query-protocol services (STS, IAM). */
export const commonQueryErrors: AwsErrorTable = {
  NotFound: { code: 'NoSuchEntity', status: 404 },
  AlreadyExists: { code: 'EntityAlreadyExists', status: 409 },
  InvalidInput: { code: 'ValidationError', status: 400 },
  Conflict: { code: 'ConcurrentModification', status: 409 },
  LimitExceeded: { code: 'LimitExceeded', status: 409 },
  Unauthenticated: { code: 'InvalidClientTokenId', status: 403 },
  AccessDenied: { code: 'AccessDenied', status: 403 },
  Throttled: { code: 'Throttling', status: 400 },
  Unavailable: { code: 'ServiceUnavailable', status: 503 },
  Internal: { code: 'InternalFailure', status: 500 },
};

/** The wire code and status a table gives an AppError, and its message with every problem. */
export function resolveError(
  table: AwsErrorTable,
  error: AppError,
): AwsErrorSpec & { message: string } {
  const rule = table[error.kind];
  const spec =
    'byResource' in rule
      ? ((error.resource === undefined ? undefined : rule.byResource[error.resource]) ??
        rule.otherwise)
      : rule;
  const details = error.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  const message =
    error.problems.length > 0 && !error.message.includes(details)
      ? `${error.message}: ${details}`
      : error.message;
  return { code: spec.code, status: spec.status, message };
}

export function toAwsError(table: AwsErrorTable, error: AppError): AwsError {
  const { code, status, message } = resolveError(table, error);
  return new AwsError(code, status, message);
}
