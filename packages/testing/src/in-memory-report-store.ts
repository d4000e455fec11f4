import {
  AppError,
  AppErrorKind,
  BuildsSubject,
  ProjectSortBy,
  type DeleteReportGroupResult,
  type ListedTestCase,
  type ListReportGroupsQuery,
  type ListReportsQuery,
  type ListTestCasesQuery,
  type NewReport,
  type Report,
  type ReportGroup,
  type ReportListing,
  type ReportStore,
} from '@slipway/core';
import { compareKeys, copyOf } from './in-memory-builds-support.ts';
import { settle } from './settle.ts';

/**
 * Report groups, reports and test cases in Maps, with the semantics of `KyselyReportStore`.
 * Reports arrive through the build store's `finish`, which calls `record` synchronously.
 */
export class InMemoryReportStore implements ReportStore {
  readonly #groups = new Map<string, ReportGroup>();
  readonly #reports = new Map<string, { report: Report; seq: number }>();
  readonly #cases = new Map<string, ListedTestCase[]>();
  #lastSeq = 0;

  insertGroup(group: ReportGroup): Promise<void> {
    return settle(() => {
      if (this.#groups.has(group.arn)) {
        throw new AppError(
          AppErrorKind.AlreadyExists,
          `Report group ${group.name} already exists`,
          {
            resource: BuildsSubject.ReportGroup,
          },
        );
      }
      this.#groups.set(group.arn, copyOf(group));
    });
  }

  findGroup(accountId: string, region: string, name: string): Promise<ReportGroup | undefined> {
    return settle(() => {
      for (const group of this.#groups.values()) {
        if (group.accountId === accountId && group.region === region && group.name === name) {
          return copyOf(group);
        }
      }
      return undefined;
    });
  }

  listGroups(query: ListReportGroupsQuery): Promise<ReportGroup[]> {
    return settle(() => {
      const keyOf = (g: ReportGroup): string | number =>
        query.sortBy === ProjectSortBy.Name
          ? g.name
          : query.sortBy === ProjectSortBy.CreatedTime
            ? g.created
            : g.lastModified;
      const sign = query.sortOrder === 'ASCENDING' ? 1 : -1;
      const order = (a: { key: string | number; id: string }, b: typeof a) =>
        sign * (compareKeys(a.key, b.key) || compareKeys(a.id, b.id));
      const { after } = query;
      return [...this.#groups.values()]
        .filter((g) => g.accountId === query.accountId && g.region === query.region)
        .map((g) => ({ g, entry: { key: keyOf(g), id: g.name } }))
        .filter(({ entry }) => after === undefined || order(entry, after) > 0)
        .sort((a, b) => order(a.entry, b.entry))
        .slice(0, Math.max(0, query.limit))
        .map(({ g }) => copyOf(g));
    });
  }

  deleteGroup(arn: string, deleteReports: boolean): Promise<DeleteReportGroupResult> {
    return settle(() => {
      if (!this.#groups.has(arn)) return 'missing';
      const reports = [...this.#reports.values()].filter((r) => r.report.reportGroupArn === arn);
      if (reports.length > 0 && !deleteReports) return 'not-empty';
      for (const { report } of reports) this.#deleteReport(report.arn);
      this.#groups.delete(arn);
      return 'deleted';
    });
  }

  findReport(arn: string): Promise<Report | undefined> {
    return settle(() => {
      const stored = this.#reports.get(arn);
      return stored === undefined ? undefined : copyOf(stored.report);
    });
  }

  listReports(query: ListReportsQuery): Promise<ReportListing[]> {
    return settle(() => {
      const sign = query.sortOrder === 'ASCENDING' ? 1 : -1;
      const { after } = query;
      return [...this.#reports.values()]
        .filter(
          ({ report }) =>
            report.accountId === query.accountId &&
            report.region === query.region &&
            (query.reportGroupArn === undefined ||
              report.reportGroupArn === query.reportGroupArn) &&
            (query.status === undefined || report.status === query.status),
        )
        .filter(({ seq }) => after === undefined || sign * (seq - after) > 0)
        .sort((a, b) => sign * (a.seq - b.seq))
        .slice(0, Math.max(0, query.limit))
        .map(({ report, seq }) => ({ arn: report.arn, seq }));
    });
  }

  deleteReport(arn: string): Promise<boolean> {
    return settle(() => this.#deleteReport(arn));
  }

  listTestCases(query: ListTestCasesQuery): Promise<ListedTestCase[]> {
    return settle(() => {
      const { keyword, status, after } = query;
      return (this.#cases.get(query.reportArn) ?? [])
        .filter(({ index }) => after === undefined || index > after)
        .filter(({ testCase }) => status === undefined || testCase.status === status)
        .filter(
          ({ testCase }) =>
            keyword === undefined ||
            testCase.name.includes(keyword) ||
            testCase.prefix.includes(keyword),
        )
        .slice(0, Math.max(0, query.limit))
        .map(copyOf);
    });
  }

  /** Records a finished build's reports, creating missing groups: all at once, synchronously. */
  record(reports: readonly NewReport[]): void {
    for (const { group, report, testCases } of reports) {
      if (!this.#groups.has(group.arn)) this.#groups.set(group.arn, copyOf(group));
      this.#reports.set(report.arn, { report: copyOf(report), seq: ++this.#lastSeq });
      this.#cases.set(
        report.arn,
        testCases.map((testCase, index) => ({ index, testCase: copyOf(testCase) })),
      );
    }
  }

  #deleteReport(arn: string): boolean {
    this.#cases.delete(arn);
    return this.#reports.delete(arn);
  }
}
