import {
  AppError,
  AppErrorKind,
  type AppErrorKind as Kind,
  type FieldProblem,
} from '../errors/app-error.ts';

/**
 * The builds component's errors. As in the source and objects components, the resource names
 * the subject precisely enough for each door to pick its wire error. Two AWS doors serve this
 * component: CodeBuild (projects, builds, reports) and CloudWatch Logs (log groups, streams and
 * events); the job protocol serves the runner. The intended mapping (kind × subject → code):
 *
 * | kind          | subject               | door       | code                              |
 * | ------------- | --------------------- | ---------- | --------------------------------- |
 * | InvalidInput  | project-input         | CodeBuild  | InvalidInputException             |
 * | InvalidInput  | unsupported           | CodeBuild  | InvalidInputException             |
 * | NotFound      | project               | CodeBuild  | ResourceNotFoundException         |
 * | AlreadyExists | project               | CodeBuild  | ResourceAlreadyExistsException    |
 * | InvalidInput  | build-input           | CodeBuild  | InvalidInputException             |
 * | InvalidInput  | idempotency-token     | CodeBuild  | InvalidInputException             |
 * | NotFound      | build                 | CodeBuild  | ResourceNotFoundException         |
 * | LimitExceeded | build-queue           | CodeBuild  | AccountLimitExceededException     |
 * | InvalidInput  | report-group-input    | CodeBuild  | InvalidInputException             |
 * | NotFound      | report-group          | CodeBuild  | ResourceNotFoundException         |
 * | AlreadyExists | report-group          | CodeBuild  | ResourceAlreadyExistsException    |
 * | InvalidInput  | report-group-not-empty| CodeBuild  | InvalidInputException             |
 * | NotFound      | report                | CodeBuild  | ResourceNotFoundException         |
 * | InvalidInput  | next-token            | CodeBuild  | InvalidInputException             |
 * | InvalidInput  | log-parameter         | Logs       | InvalidParameterException         |
 * | NotFound      | log-group             | Logs       | ResourceNotFoundException         |
 * | NotFound      | log-stream            | Logs       | ResourceNotFoundException         |
 * | Conflict      | build-lease           | job proto. | 409: the lease is no longer held  |
 * | Conflict      | phase-order           | job proto. | 409: out-of-order phase report    |
 * | Conflict      | log-sequence          | job proto. | 409: a gap in log chunk sequence  |
 * | InvalidInput  | runner-input          | job proto. | 400                               |
 *
 * CodeBuild's model lists InvalidInputException for most operations where a resource is
 * missing, but names ResourceNotFoundException for StartBuild, StopBuild, RetryBuild,
 * UpdateProject and ListBuildsForProject; the door maps NotFound per operation where it must.
 */
export const BuildsSubject = {
  Project: 'project',
  ProjectInput: 'project-input',
  Unsupported: 'unsupported',
  Build: 'build',
  BuildInput: 'build-input',
  IdempotencyToken: 'idempotency-token',
  BuildQueue: 'build-queue',
  ReportGroup: 'report-group',
  ReportGroupInput: 'report-group-input',
  ReportGroupNotEmpty: 'report-group-not-empty',
  Report: 'report',
  NextToken: 'next-token',
  LogParameter: 'log-parameter',
  LogGroup: 'log-group',
  LogStream: 'log-stream',
  BuildLease: 'build-lease',
  PhaseOrder: 'phase-order',
  LogSequence: 'log-sequence',
  RunnerInput: 'runner-input',
} as const;
export type BuildsSubject = (typeof BuildsSubject)[keyof typeof BuildsSubject];

export function buildsError(
  kind: Kind,
  subject: BuildsSubject,
  message: string,
  problems: readonly FieldProblem[] = [],
): AppError {
  return new AppError(kind, message, { resource: subject, problems });
}

export const invalidBuildsInput = (
  subject: BuildsSubject,
  message: string,
  problems: readonly FieldProblem[] = [],
) => buildsError(AppErrorKind.InvalidInput, subject, message, problems);
export const buildsNotFound = (subject: BuildsSubject, message: string) =>
  buildsError(AppErrorKind.NotFound, subject, message);
export const buildsConflict = (subject: BuildsSubject, message: string) =>
  buildsError(AppErrorKind.Conflict, subject, message);

/** Refuses a CodeBuild feature Slipway does not implement, rather than ignoring it. */
export const unsupportedFeature = (path: string, message: string) =>
  invalidBuildsInput(BuildsSubject.Unsupported, message, [{ path, message }]);
