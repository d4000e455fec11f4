import { AppErrorKind, autoCreatedGroup, type NewReport, type ReportStore } from '@slipway/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeClockStart } from '../fake-clock.ts';
import type { ContractFactory, ContractHarness } from './contract-harness.ts';
import {
  aBuild,
  accountId,
  aProject,
  aReport,
  otherAccountId,
  region,
  scope,
} from './builds-fixtures.ts';
import { expectAppError } from './expect-app-error.ts';

/**
 * A report store under test, and the way its implementation receives reports (the build
 * store's `finish`, in one transaction with the build).
 */
export interface ReportStoreSubject {
  readonly reports: ReportStore;
  record(reports: readonly NewReport[]): Promise<void>;
  addAccount(accountId: string): Promise<void>;
}

const project = aProject();

/** The behaviour every `ReportStore` shares; each test opens a store of its own. */
export function reportStoreContract(
  name: string,
  factory: ContractFactory<ReportStoreSubject>,
): void {
  describe(`ReportStore contract: ${name}`, () => {
    let harness: ContractHarness<ReportStoreSubject> | undefined;

    beforeEach(async () => {
      harness = await factory();
      for (const id of [accountId, otherAccountId]) await harness.subject.addAccount(id);
    });
    afterEach(async () => {
      await harness?.close();
      harness = undefined;
    });

    const subject = (): ReportStoreSubject => {
      if (harness === undefined) throw new Error('the store under test did not open');
      return harness.subject;
    };
    const reports = () => subject().reports;

    it('inserts and finds report groups, refusing a taken name', async () => {
      const group = {
        ...autoCreatedGroup(scope, 'unit', fakeClockStart),
        tags: [{ key: 'k', value: 'v' }],
      };
      await reports().insertGroup(group);
      expect(await reports().findGroup(accountId, region, 'unit')).toEqual(group);
      expect(await reports().findGroup(otherAccountId, region, 'unit')).toBeUndefined();
      const error = await expectAppError(reports().insertGroup(group), AppErrorKind.AlreadyExists);
      expect(error.resource).toBe('report-group');
    });

    it('lists groups by name, creation or modification, with keyset cursors', async () => {
      const groups = [
        { ...autoCreatedGroup(scope, 'b', 300), lastModified: 100 },
        { ...autoCreatedGroup(scope, 'a', 200), lastModified: 300 },
        { ...autoCreatedGroup(scope, 'c', 100), lastModified: 200 },
      ];
      for (const g of groups) await reports().insertGroup(g);
      await reports().insertGroup(autoCreatedGroup({ accountId: otherAccountId, region }, 'z', 1));
      const names = async (
        sortBy: 'NAME' | 'CREATED_TIME' | 'LAST_MODIFIED_TIME',
        sortOrder: 'ASCENDING' | 'DESCENDING',
      ) => {
        const out: string[] = [];
        let after: { key: string | number; id: string } | undefined;
        for (;;) {
          const page = await reports().listGroups({
            accountId,
            region,
            sortBy,
            sortOrder,
            after,
            limit: 2,
          });
          if (page.length === 0) return out;
          out.push(...page.map((g) => g.name));
          const last = page.at(-1)!;
          after = {
            key:
              sortBy === 'NAME'
                ? last.name
                : sortBy === 'CREATED_TIME'
                  ? last.created
                  : last.lastModified,
            id: last.name,
          };
        }
      };
      expect(await names('NAME', 'ASCENDING')).toEqual(['a', 'b', 'c']);
      expect(await names('CREATED_TIME', 'ASCENDING')).toEqual(['c', 'a', 'b']);
      expect(await names('LAST_MODIFIED_TIME', 'DESCENDING')).toEqual(['a', 'c', 'b']);
    });

    it('keeps reports and their cases, and lists them by group and status, either way', async () => {
      const build = aBuild(project);
      const passed = aReport(build, 'app-unit', ['SUCCEEDED', 'SKIPPED']);
      const failed = aReport(build, 'app-unit', ['SUCCEEDED', 'FAILED', 'ERROR']);
      const other = aReport(build, 'app-e2e', ['SUCCEEDED']);
      await subject().record([passed, failed]);
      await subject().record([other]);
      expect(await reports().findReport(failed.report.arn)).toEqual(failed.report);
      expect(await reports().findGroup(accountId, region, 'app-e2e')).toEqual(other.group);
      const list = (more: {
        reportGroupArn?: string;
        status?: 'FAILED';
        sortOrder?: 'ASCENDING';
        after?: number;
      }) =>
        reports().listReports({
          accountId,
          region,
          reportGroupArn: undefined,
          status: undefined,
          sortOrder: 'DESCENDING',
          after: undefined,
          limit: 10,
          ...more,
        });
      const all = await list({});
      expect(all.map((r) => r.arn)).toEqual([
        other.report.arn,
        failed.report.arn,
        passed.report.arn,
      ]);
      expect(
        (await list({ reportGroupArn: passed.group.arn, sortOrder: 'ASCENDING' })).map(
          (r) => r.arn,
        ),
      ).toEqual([passed.report.arn, failed.report.arn]);
      expect((await list({ status: 'FAILED' })).map((r) => r.arn)).toEqual([failed.report.arn]);
      expect((await list({ after: all[0]?.seq })).map((r) => r.arn)).toEqual([
        failed.report.arn,
        passed.report.arn,
      ]);
    });

    it('lists test cases in order, by status and keyword, a page at a time', async () => {
      const report = aReport(aBuild(project), 'app-unit', [
        'SUCCEEDED',
        'FAILED',
        'SUCCEEDED',
        'ERROR',
        'SUCCEEDED',
      ]);
      await subject().record([report]);
      const cases = (more: { status?: string; keyword?: string; after?: number; limit?: number }) =>
        reports().listTestCases({
          reportArn: report.report.arn,
          status: undefined,
          keyword: undefined,
          after: undefined,
          limit: 10,
          ...more,
        });
      expect((await cases({})).map((c) => c.testCase)).toEqual(report.testCases);
      expect((await cases({ status: 'SUCCEEDED' })).map((c) => c.index)).toEqual([0, 2, 4]);
      expect((await cases({ keyword: 'Odd' })).map((c) => c.index)).toEqual([1, 3]);
      expect((await cases({ keyword: 'odd' })).map((c) => c.index)).toEqual([]);
      expect((await cases({ keyword: 'case-c' })).map((c) => c.index)).toEqual([2]);
      expect((await cases({ after: 1, limit: 2 })).map((c) => c.index)).toEqual([2, 3]);
    });

    it('deletes a group only when empty, unless told to delete its reports too', async () => {
      const report = aReport(aBuild(project), 'app-unit', ['SUCCEEDED']);
      await subject().record([report]);
      expect(await reports().deleteGroup(report.group.arn, false)).toBe('not-empty');
      expect(await reports().deleteGroup(report.group.arn, true)).toBe('deleted');
      expect(await reports().findReport(report.report.arn)).toBeUndefined();
      expect(
        await reports().listTestCases({
          reportArn: report.report.arn,
          status: undefined,
          keyword: undefined,
          after: undefined,
          limit: 10,
        }),
      ).toEqual([]);
      expect(await reports().deleteGroup(report.group.arn, true)).toBe('missing');
    });

    it('deletes one report with its cases', async () => {
      const report = aReport(aBuild(project), 'app-unit', ['FAILED']);
      await subject().record([report]);
      expect(await reports().deleteReport(report.report.arn)).toBe(true);
      expect(await reports().deleteReport(report.report.arn)).toBe(false);
      expect(await reports().deleteGroup(report.group.arn, false)).toBe('deleted');
    });
  });
}
