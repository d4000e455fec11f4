/**
 * CodeBuild's phases and statuses as the build engine reports them (botocore codebuild
 * BuildPhase, StatusType; aws-compat §4.2). The engine reports DOWNLOAD_SOURCE onwards: the
 * phases before it (SUBMITTED, QUEUED, PROVISIONING) belong to whoever queued the build.
 */
import type {
  NameValue,
  ParsedTestCase,
  ReportFileFormat,
  TestReportSummary,
} from '@slipway/buildspec';

export const phaseTypes = [
  'SUBMITTED',
  'QUEUED',
  'PROVISIONING',
  'DOWNLOAD_SOURCE',
  'INSTALL',
  'PRE_BUILD',
  'BUILD',
  'POST_BUILD',
  'UPLOAD_ARTIFACTS',
  'FINALIZING',
  'COMPLETED',
] as const;
export type PhaseType = (typeof phaseTypes)[number];

/** The phases that run buildspec commands, in order. */
export const commandPhaseTypes = ['INSTALL', 'PRE_BUILD', 'BUILD', 'POST_BUILD'] as const;
export type CommandPhaseType = (typeof commandPhaseTypes)[number];

export const phaseStatuses = [
  'SUCCEEDED',
  'FAILED',
  'FAULT',
  'TIMED_OUT',
  'IN_PROGRESS',
  'STOPPED',
] as const;
export type PhaseStatus = (typeof phaseStatuses)[number];

/** A finished build's status: every phase status but IN_PROGRESS. */
export type BuildStatus = Exclude<PhaseStatus, 'IN_PROGRESS'>;

/**
 * CodeBuild's PhaseContext. A phase that succeeded carries one empty context, as CodeBuild's
 * BatchGetBuilds shows it (`{"statusCode": "", "message": ""}`).
 */
export interface PhaseContext {
  readonly statusCode: string;
  readonly message: string;
}

export const emptyContext: PhaseContext = { statusCode: '', message: '' };

/** One entry of a build's `phases`, as BatchGetBuilds returns it. */
export interface PhaseRecord {
  readonly phaseType: PhaseType;
  /** Undefined for COMPLETED, which has no status. */
  readonly phaseStatus: Exclude<PhaseStatus, 'IN_PROGRESS'> | undefined;
  /** Epoch milliseconds. */
  readonly startTime: number;
  readonly endTime: number | undefined;
  /** Whole seconds, rounded down as CodeBuild does; undefined for COMPLETED. */
  readonly durationInSeconds: number | undefined;
  readonly contexts: readonly PhaseContext[];
}

/** An artifact the build produced, where the sink put it. */
export interface ProducedArtifact {
  /** Undefined for the primary artifact; the artifactIdentifier of a secondary one. */
  readonly identifier: string | undefined;
  readonly packaging: ArtifactPackaging;
  /** The artifact's name (the project's, or the buildspec's when overrideArtifactName). */
  readonly name: string;
  /** Where the sink stored it (an S3 ARN, a directory path …). */
  readonly location: string;
  readonly fileCount: number;
  /** Of the zip archive; undefined for packaging NONE. */
  readonly sha256sum: string | undefined;
  readonly md5sum: string | undefined;
}

export const artifactPackagings = ['ZIP', 'NONE'] as const;
export type ArtifactPackaging = (typeof artifactPackagings)[number];

/** SUCCEEDED or FAILED from the cases; INCOMPLETE when a file could not be used. */
export type ReportStatus = 'SUCCEEDED' | 'FAILED' | 'INCOMPLETE';

/** One report of a `reports` group, with its cases already truncated as CodeBuild keeps them. */
export interface ProducedReport {
  /** The group as written in the buildspec: a name or a report group ARN. */
  readonly reportGroup: string;
  /** `<project>-<name>` for a plain name, the ARN otherwise (CodeBuild auto-creates the group). */
  readonly reportGroupName: string;
  readonly fileFormat: ReportFileFormat;
  readonly status: ReportStatus;
  /** Why the report is INCOMPLETE (every file that could not be read, with its reason). */
  readonly statusMessage: string | undefined;
  /** Every case read, truncated ones included. */
  readonly summary: TestReportSummary;
  /** At most 500, FAILED and ERROR first (truncateTestCases). */
  readonly testCases: readonly ParsedTestCase[];
  readonly truncated: boolean;
  /** The report files, workspace-relative. */
  readonly files: readonly string[];
}

export interface BuildOutcome {
  readonly buildStatus: BuildStatus;
  readonly phases: readonly PhaseRecord[];
  readonly startTime: number;
  readonly endTime: number;
  readonly resolvedSourceVersion: string | undefined;
  /** `env.exported-variables` as they stood when POST_BUILD ended. */
  readonly exportedVariables: readonly NameValue[];
  readonly artifacts: readonly ProducedArtifact[];
  readonly reports: readonly ProducedReport[];
}
