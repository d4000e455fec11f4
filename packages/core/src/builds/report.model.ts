import type { TestCase, TestReportSummary } from '@slipway/buildspec';
import { controlCharacters } from './problems.ts';
import type { Tag } from './project.model.ts';

/** TEST only: CODE_COVERAGE report groups are refused as unsupported. */
export const reportTypes = ['TEST', 'CODE_COVERAGE'] as const;
export type ReportType = (typeof reportTypes)[number];

/** NO_EXPORT only: exporting raw reports to S3 is refused as unsupported. */
export const reportExportConfigTypes = ['NO_EXPORT', 'S3'] as const;
export type ReportExportConfigType = (typeof reportExportConfigTypes)[number];

export interface ReportExportConfig {
  readonly exportConfigType: ReportExportConfigType;
}

/** CodeBuild's ReportGroup. */
export interface ReportGroup {
  readonly accountId: string;
  readonly region: string;
  /** `arn:aws:codebuild:<region>:<account>:report-group/<name>`. */
  readonly arn: string;
  readonly name: string;
  readonly type: ReportType;
  readonly exportConfig: ReportExportConfig;
  readonly created: number;
  readonly lastModified: number;
  readonly tags: readonly Tag[];
  readonly status: 'ACTIVE';
}

export const reportStatuses = [
  'GENERATING',
  'SUCCEEDED',
  'FAILED',
  'INCOMPLETE',
  'DELETING',
] as const;
export type ReportStatus = (typeof reportStatuses)[number];

/** CodeBuild's Report: one build's results for one report group. */
export interface Report {
  readonly accountId: string;
  readonly region: string;
  /** `arn:aws:codebuild:<region>:<account>:report/<group>:<uuid>`. */
  readonly arn: string;
  readonly type: ReportType;
  /** The report group's name, as CodeBuild reports it. */
  readonly name: string;
  readonly reportGroupArn: string;
  /** The ARN of the build that produced it. */
  readonly executionId: string;
  readonly status: ReportStatus;
  readonly created: number;
  /** 30 days after `created`. */
  readonly expired: number;
  readonly exportConfig: ReportExportConfig;
  /** Cases were dropped to keep the report within its limit (failures are kept first). */
  readonly truncated: boolean;
  readonly testSummary: TestReportSummary;
}

/** Reports and their test cases expire 30 days after they are created. */
export const reportLifetimeMs = 30 * 24 * 60 * 60 * 1000;

export function reportGroupArn(scope: { accountId: string; region: string }, name: string) {
  return `arn:aws:codebuild:${scope.region}:${scope.accountId}:report-group/${name}`;
}

export function reportArn(
  scope: { accountId: string; region: string },
  groupName: string,
  uuid: string,
) {
  return `arn:aws:codebuild:${scope.region}:${scope.accountId}:report/${groupName}:${uuid}`;
}

/** The name in a report group ARN of the caller's account; undefined for anything else. */
export function reportGroupNameOf(
  scope: { accountId: string; region: string },
  arn: string,
): string | undefined {
  const prefix = `arn:aws:codebuild:${scope.region}:${scope.accountId}:report-group/`;
  return arn.startsWith(prefix) && arn.length > prefix.length
    ? arn.slice(prefix.length)
    : undefined;
}

/**
 * botocore allows 2 to 128 characters. `:` and `/` are refused too: a report's ARN is
 * `report/<group>:<uuid>`, which they would make ambiguous.
 */
export function reportGroupNameProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name.length < 2 || name.length > 128) {
    return 'must be 2 to 128 characters';
  }
  if (/[:/]/.test(name) || controlCharacters.test(name)) {
    return 'must not contain :, / or control characters';
  }
  return undefined;
}

export type { TestCase, TestReportSummary };
