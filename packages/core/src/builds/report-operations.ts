import { testCaseStatuses } from '@slipway/buildspec';
import type { Scope } from '../source/source.deps.ts';
import { inScope, type BuildsContext } from './builds.context.ts';
import { BuildsSubject, buildsNotFound, invalidBuildsInput } from './builds.errors.ts';
import { ProjectSortBy } from './builds.ports.ts';
import { normalizeTags } from './project-fields.ts';
import {
  decodePageToken,
  encodePageToken,
  isPageCursor,
  isSeqCursor,
  pageOf,
  SortOrderType,
} from './paging.ts';
import { checkBatchSize, checkSortBy, checkSortOrder } from './projects.ts';
import type { Tag } from './project.model.ts';
import {
  reportGroupArn,
  reportGroupNameOf,
  reportGroupNameProblem,
  reportStatuses,
  reportTypes,
  type Report,
  type ReportGroup,
  type TestCase,
} from './report.model.ts';
import { isOneOf, Problems } from './problems.ts';

export interface CreateReportGroupInput {
  readonly name: string;
  /** TEST; CODE_COVERAGE is refused as unsupported. */
  readonly type: string;
  readonly exportConfig: { readonly exportConfigType?: string | undefined };
  readonly tags?: readonly Tag[] | undefined;
}

export interface PageInput {
  readonly nextToken?: string | undefined;
  /** 1 to 100; default 100. */
  readonly maxResults?: number | undefined;
}

export interface ListReportGroupsInput extends PageInput {
  readonly sortBy?: string | undefined;
  readonly sortOrder?: string | undefined;
}

export interface ListReportsInput extends PageInput {
  /** DESCENDING (newest first, the default) or ASCENDING. */
  readonly sortOrder?: string | undefined;
  readonly filter?: { readonly status?: string | undefined } | undefined;
}

export interface DescribeTestCasesInput extends PageInput {
  readonly reportArn: string;
  readonly filter?: { readonly status?: string | undefined; readonly keyword?: string | undefined };
}

export interface ArnPage {
  readonly arns: string[];
  readonly nextToken: string | undefined;
}

const maxResultsLimit = 100;

/** CreateReportGroup, BatchGetReportGroups, ListReportGroups, DeleteReportGroup, reports. */
export class ReportOperations {
  readonly #context: BuildsContext;

  constructor(context: BuildsContext) {
    this.#context = context;
  }

  async createReportGroup(scope: Scope, input: CreateReportGroupInput): Promise<ReportGroup> {
    const problems = new Problems();
    const nameProblem = reportGroupNameProblem(input.name);
    if (nameProblem !== undefined) problems.add('name', nameProblem);
    if (input.type === 'CODE_COVERAGE') {
      problems.unsupported('type', 'CODE_COVERAGE report groups are not supported by Slipway');
    } else if (!isOneOf(reportTypes, input.type)) problems.add('type', 'must be TEST');
    const exportType = input.exportConfig?.exportConfigType ?? 'NO_EXPORT';
    if (exportType === 'S3') {
      problems.unsupported('exportConfig', 'exporting reports to S3 is not supported by Slipway');
    } else if (exportType !== 'NO_EXPORT') {
      problems.add('exportConfig.exportConfigType', 'must be NO_EXPORT');
    }
    const tags = normalizeTags(problems, 'tags', input.tags);
    problems.throwIfAny(BuildsSubject.ReportGroupInput);
    const now = this.#context.deps.clock.now();
    const group: ReportGroup = {
      accountId: scope.accountId,
      region: scope.region,
      arn: reportGroupArn(scope, input.name),
      name: input.name,
      type: 'TEST',
      exportConfig: { exportConfigType: 'NO_EXPORT' },
      created: now,
      lastModified: now,
      tags,
      status: 'ACTIVE',
    };
    await this.#context.deps.reports.insertGroup(group);
    return group;
  }

  async batchGetReportGroups(scope: Scope, arns: readonly string[]) {
    checkBatchSize(arns, 'reportGroupArns');
    const found = await Promise.all(arns.map((arn) => this.#findGroup(scope, arn)));
    return {
      reportGroups: found.filter((g): g is ReportGroup => g !== undefined),
      reportGroupsNotFound: arns.filter((_, i) => found[i] === undefined),
    };
  }

  async listReportGroups(scope: Scope, input: ListReportGroupsInput = {}): Promise<ArnPage> {
    const sortBy = input.sortBy ?? ProjectSortBy.CreatedTime;
    const sortOrder = input.sortOrder ?? SortOrderType.Descending;
    checkSortBy(sortBy);
    checkSortOrder(sortOrder);
    const limit = checkMaxResults(input.maxResults);
    const groups = await this.#context.deps.reports.listGroups({
      ...scope,
      sortBy,
      sortOrder,
      after: decodePageToken(input.nextToken, isPageCursor),
      limit: limit + 1,
    });
    const { page, more } = pageOf(groups, limit);
    const last = page.at(-1);
    const key = (g: ReportGroup) =>
      sortBy === ProjectSortBy.Name
        ? g.name
        : sortBy === ProjectSortBy.CreatedTime
          ? g.created
          : g.lastModified;
    return {
      arns: page.map((g) => g.arn),
      nextToken:
        more && last !== undefined ? encodePageToken({ key: key(last), id: last.name }) : undefined,
    };
  }

  /**
   * Deletes the group; with `deleteReports` its reports too, else it must have none. A group
   * that does not exist is not an error (CodeBuild names no NotFound for this operation).
   */
  async deleteReportGroup(scope: Scope, arn: string, deleteReports = false): Promise<void> {
    const group = await this.#findGroup(scope, arn);
    if (group === undefined) {
      if (reportGroupNameOf(scope, arn) === undefined) throw notAReportGroupArn(arn);
      return;
    }
    const result = await this.#context.deps.reports.deleteGroup(group.arn, deleteReports);
    if (result === 'not-empty') {
      throw invalidBuildsInput(
        BuildsSubject.ReportGroupNotEmpty,
        `Report group ${group.arn} has reports: delete them first, or set deleteReports`,
      );
    }
  }

  async listReports(scope: Scope, input: ListReportsInput = {}): Promise<ArnPage> {
    return this.#listReports(scope, undefined, input);
  }

  async listReportsForReportGroup(
    scope: Scope,
    reportGroupArn: string,
    input: ListReportsInput = {},
  ): Promise<ArnPage> {
    const group = await this.#findGroup(scope, reportGroupArn);
    if (group === undefined) {
      throw buildsNotFound(
        BuildsSubject.ReportGroup,
        `Report group ${reportGroupArn} does not exist`,
      );
    }
    return this.#listReports(scope, group.arn, input);
  }

  async batchGetReports(scope: Scope, arns: readonly string[]) {
    checkBatchSize(arns, 'reportArns');
    const found = await Promise.all(arns.map((arn) => this.#findReport(scope, arn)));
    return {
      reports: found.filter((r): r is Report => r !== undefined),
      reportsNotFound: arns.filter((_, i) => found[i] === undefined),
    };
  }

  /** Not an error when the report does not exist (CodeBuild names no NotFound here). */
  async deleteReport(scope: Scope, arn: string): Promise<void> {
    const report = await this.#findReport(scope, arn);
    if (report !== undefined) await this.#context.deps.reports.deleteReport(report.arn);
  }

  async describeTestCases(
    scope: Scope,
    input: DescribeTestCasesInput,
  ): Promise<{ testCases: TestCase[]; nextToken: string | undefined }> {
    const report = await this.#findReport(scope, input.reportArn);
    if (report === undefined) {
      throw buildsNotFound(BuildsSubject.Report, `Report ${input.reportArn} does not exist`);
    }
    const status = input.filter?.status;
    if (status !== undefined && !isOneOf(testCaseStatuses, status)) {
      throw invalidBuildsInput(
        BuildsSubject.ReportGroupInput,
        `filter.status must be one of ${testCaseStatuses.join(', ')}`,
      );
    }
    const limit = checkMaxResults(input.maxResults);
    const cases = await this.#context.deps.reports.listTestCases({
      reportArn: report.arn,
      status,
      keyword: input.filter?.keyword || undefined,
      after: decodePageToken(input.nextToken, isSeqCursor)?.after,
      limit: limit + 1,
    });
    const { page, more } = pageOf(cases, limit);
    const last = page.at(-1);
    return {
      testCases: page.map((c) => c.testCase),
      nextToken: more && last !== undefined ? encodePageToken({ after: last.index }) : undefined,
    };
  }

  async #listReports(scope: Scope, groupArn: string | undefined, input: ListReportsInput) {
    const sortOrder = input.sortOrder ?? SortOrderType.Descending;
    checkSortOrder(sortOrder);
    const status = input.filter?.status;
    if (status !== undefined && !isOneOf(reportStatuses, status)) {
      throw invalidBuildsInput(
        BuildsSubject.ReportGroupInput,
        `filter.status must be one of ${reportStatuses.join(', ')}`,
      );
    }
    const limit = checkMaxResults(input.maxResults);
    const reports = await this.#context.deps.reports.listReports({
      ...scope,
      reportGroupArn: groupArn,
      status,
      sortOrder,
      after: decodePageToken(input.nextToken, isSeqCursor)?.after,
      limit: limit + 1,
    });
    const { page, more } = pageOf(reports, limit);
    const last = page.at(-1);
    return {
      arns: page.map((r) => r.arn),
      nextToken: more && last !== undefined ? encodePageToken({ after: last.seq }) : undefined,
    };
  }

  async #findGroup(scope: Scope, arn: string): Promise<ReportGroup | undefined> {
    const name = reportGroupNameOf(scope, arn);
    if (name === undefined) return undefined;
    return this.#context.deps.reports.findGroup(scope.accountId, scope.region, name);
  }

  async #findReport(scope: Scope, arn: string): Promise<Report | undefined> {
    const report = await this.#context.deps.reports.findReport(arn);
    return report !== undefined && inScope(report, scope) ? report : undefined;
  }
}

function checkMaxResults(maxResults: number | undefined): number {
  if (maxResults === undefined) return maxResultsLimit;
  if (!Number.isSafeInteger(maxResults) || maxResults < 1 || maxResults > maxResultsLimit) {
    throw invalidBuildsInput(
      BuildsSubject.ReportGroupInput,
      `maxResults must be from 1 to ${maxResultsLimit}`,
    );
  }
  return maxResults;
}

function notAReportGroupArn(arn: string) {
  return invalidBuildsInput(
    BuildsSubject.ReportGroupInput,
    `${arn} is not a report group ARN of this account`,
  );
}
