/**
 * The one error type the core raises. Its kind is a closed set: each door (AWS JSON, S3, git,
 * job protocol) owns a table from kind (+ resource) to its wire error, and those tables are typed
 * `Record<AppErrorKind, …>` so adding a kind fails to compile until every door maps it.
 */
export const AppErrorKind = {
  NotFound: 'NotFound',
  AlreadyExists: 'AlreadyExists',
  InvalidInput: 'InvalidInput',
  Conflict: 'Conflict',
  LimitExceeded: 'LimitExceeded',
  Unauthenticated: 'Unauthenticated',
  AccessDenied: 'AccessDenied',
  Throttled: 'Throttled',
  Unavailable: 'Unavailable',
  Internal: 'Internal',
} as const;
export type AppErrorKind = (typeof AppErrorKind)[keyof typeof AppErrorKind];

/** Resource types the core talks about; doors may map a kind differently per resource. */
export type ResourceType = 'account' | 'user' | 'access-key' | 'job' | 'event' | (string & {});

/** One problem found by validation, with the path of the offending field. */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

export interface AppErrorOptions {
  readonly resource?: ResourceType;
  /** Whether repeating the same call later can succeed (e.g. Throttled, Unavailable). */
  readonly retryable?: boolean;
  readonly problems?: readonly FieldProblem[];
  readonly cause?: unknown;
}

const retryableByDefault: ReadonlySet<AppErrorKind> = new Set([
  AppErrorKind.Throttled,
  AppErrorKind.Unavailable,
]);

export class AppError extends Error {
  readonly kind: AppErrorKind;
  readonly resource: ResourceType | undefined;
  readonly retryable: boolean;
  readonly problems: readonly FieldProblem[];

  constructor(kind: AppErrorKind, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.kind = kind;
    this.resource = options.resource;
    this.retryable = options.retryable ?? retryableByDefault.has(kind);
    this.problems = options.problems ?? [];
  }

  static notFound(resource: ResourceType, message: string): AppError {
    return new AppError(AppErrorKind.NotFound, message, { resource });
  }

  static invalidInput(message: string, problems: readonly FieldProblem[] = []): AppError {
    return new AppError(AppErrorKind.InvalidInput, message, { problems });
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
