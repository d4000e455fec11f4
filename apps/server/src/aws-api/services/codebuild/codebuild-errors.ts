import { BuildsSubject as S } from '@slipway/core';
import { commonJsonErrors, type AwsErrorSpec, type AwsErrorTable } from '../../error-table.ts';

const e = (code: string): AwsErrorSpec => ({ code, status: 400 });
const invalidInput = e('InvalidInputException');
const notFound = e('ResourceNotFoundException');

/**
 * CodeBuild has few exceptions (botocore lists six): InvalidInputException for nearly every
 * refusal, ResourceNotFoundException, ResourceAlreadyExistsException and
 * AccountLimitExceededException. The subjects of builds.errors.ts pick among them; every
 * subject of a kind maps to the same name today, and is listed so the table says so.
 */
export const codebuildErrors: AwsErrorTable = {
  ...commonJsonErrors,
  NotFound: {
    byResource: {
      [S.Project]: notFound,
      [S.Build]: notFound,
      [S.ReportGroup]: notFound,
      [S.Report]: notFound,
    },
    otherwise: notFound,
  },
  AlreadyExists: {
    byResource: {
      [S.Project]: e('ResourceAlreadyExistsException'),
      [S.ReportGroup]: e('ResourceAlreadyExistsException'),
    },
    otherwise: e('ResourceAlreadyExistsException'),
  },
  InvalidInput: {
    byResource: {
      [S.ProjectInput]: invalidInput,
      [S.Unsupported]: invalidInput,
      [S.BuildInput]: invalidInput,
      [S.IdempotencyToken]: invalidInput,
      [S.ReportGroupInput]: invalidInput,
      [S.ReportGroupNotEmpty]: invalidInput,
      [S.NextToken]: invalidInput,
    },
    otherwise: invalidInput,
  },
  // CodeBuild names no conflict exception; the job protocol's conflicts never reach this door.
  Conflict: invalidInput,
  LimitExceeded: {
    byResource: { [S.BuildQueue]: e('AccountLimitExceededException') },
    otherwise: e('AccountLimitExceededException'),
  },
};
