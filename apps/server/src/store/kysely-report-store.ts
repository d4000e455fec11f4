import {
  AppError,
  AppErrorKind,
  BuildsSubject,
  type DeleteReportGroupResult,
  type ListedTestCase,
  type ListReportGroupsQuery,
  type ListReportsQuery,
  type ListTestCasesQuery,
  type Report,
  type ReportGroup,
  type ReportListing,
  type ReportStore,
  type TestCase,
} from '@slipway/core';
import type { Database } from './database.ts';
import { contains, inTransaction, listNamedDocuments } from './kysely-builds-support.ts';

/** Report groups, reports and test cases on either dialect (reports come from KyselyBuildStore). */
export class KyselyReportStore implements ReportStore {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  async insertGroup(group: ReportGroup): Promise<void> {
    const row = await this.#db
      .insertInto('report_groups')
      .values({
        arn: group.arn,
        account_id: group.accountId,
        region: group.region,
        name: group.name,
        created_at: group.created,
        last_modified_at: group.lastModified,
        document: JSON.stringify(group),
      })
      .onConflict((oc) => oc.columns(['account_id', 'region', 'name']).doNothing())
      .returning('arn')
      .executeTakeFirst();
    if (row === undefined) {
      throw new AppError(AppErrorKind.AlreadyExists, `Report group ${group.name} already exists`, {
        resource: BuildsSubject.ReportGroup,
      });
    }
  }

  async findGroup(accountId: string, region: string, name: string) {
    const row = await this.#db
      .selectFrom('report_groups')
      .select('document')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('name', '=', name)
      .executeTakeFirst();
    return row === undefined ? undefined : (JSON.parse(row.document) as ReportGroup);
  }

  async listGroups(query: ListReportGroupsQuery): Promise<ReportGroup[]> {
    const documents = await listNamedDocuments(this.#db, 'report_groups', query);
    return documents.map((document) => JSON.parse(document) as ReportGroup);
  }

  deleteGroup(arn: string, deleteReports: boolean): Promise<DeleteReportGroupResult> {
    return inTransaction(this.#database, async (trx) => {
      const group = await trx
        .selectFrom('report_groups')
        .select('arn')
        .where('arn', '=', arn)
        .$if(this.#database.dialect === 'postgres', (qb) => qb.forUpdate())
        .executeTakeFirst();
      if (group === undefined) return 'missing';
      const reports = trx.selectFrom('reports').select('arn').where('report_group_arn', '=', arn);
      if (!deleteReports && (await reports.limit(1).executeTakeFirst()) !== undefined) {
        return 'not-empty';
      }
      await trx.deleteFrom('test_cases').where('report_arn', 'in', reports).execute();
      await trx.deleteFrom('reports').where('report_group_arn', '=', arn).execute();
      await trx.deleteFrom('report_groups').where('arn', '=', arn).execute();
      return 'deleted';
    });
  }

  async findReport(arn: string): Promise<Report | undefined> {
    const row = await this.#db
      .selectFrom('reports')
      .select('document')
      .where('arn', '=', arn)
      .executeTakeFirst();
    return row === undefined ? undefined : (JSON.parse(row.document) as Report);
  }

  async listReports(query: ListReportsQuery): Promise<ReportListing[]> {
    const ascending = query.sortOrder === 'ASCENDING';
    const { after, reportGroupArn, status } = query;
    const rows = await this.#db
      .selectFrom('reports')
      .select(['arn', 'seq'])
      .where('account_id', '=', query.accountId)
      .where('region', '=', query.region)
      .$if(reportGroupArn !== undefined, (qb) =>
        qb.where('report_group_arn', '=', reportGroupArn ?? ''),
      )
      .$if(status !== undefined, (qb) => qb.where('status', '=', status ?? ''))
      .$if(after !== undefined, (qb) => qb.where('seq', ascending ? '>' : '<', after ?? 0))
      .orderBy('seq', ascending ? 'asc' : 'desc')
      .limit(query.limit)
      .execute();
    return rows.map((r) => ({ arn: r.arn, seq: Number(r.seq) }));
  }

  deleteReport(arn: string): Promise<boolean> {
    return inTransaction(this.#database, async (trx) => {
      await trx.deleteFrom('test_cases').where('report_arn', '=', arn).execute();
      const result = await trx.deleteFrom('reports').where('arn', '=', arn).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async listTestCases(query: ListTestCasesQuery): Promise<ListedTestCase[]> {
    const { after, keyword, status } = query;
    const { dialect } = this.#database;
    const rows = await this.#db
      .selectFrom('test_cases')
      .select(['position', 'document'])
      .where('report_arn', '=', query.reportArn)
      .$if(after !== undefined, (qb) => qb.where('position', '>', after ?? 0))
      .$if(status !== undefined, (qb) => qb.where('status', '=', status ?? ''))
      .$if(keyword !== undefined, (qb) =>
        qb.where((eb) =>
          eb.or([
            contains(dialect, 'name', keyword ?? ''),
            contains(dialect, 'prefix', keyword ?? ''),
          ]),
        ),
      )
      .orderBy('position')
      .limit(query.limit)
      .execute();
    return rows.map((r) => ({
      index: Number(r.position),
      testCase: JSON.parse(r.document) as TestCase,
    }));
  }

  get #db() {
    return this.#database.db;
  }
}
