import type { AwsOperation } from '../../service-definition.ts';
import { invalidInputCode, scopeOf, type CodeBuildDeps } from './codebuild-context.ts';
import { reportGroupShape, reportShape, testCaseShape } from './codebuild-shapes.ts';
import { readTags } from './project-input.ts';
import { ShapeReader } from './shape-reader.ts';

/**
 * Report groups, reports and test cases: CreateReportGroup, BatchGetReportGroups,
 * ListReportGroups, DeleteReportGroup, ListReports, ListReportsForReportGroup, BatchGetReports,
 * DeleteReport, DescribeTestCases.
 */
export function reportOperations({ builds }: CodeBuildDeps): Record<string, AwsOperation> {
  /** maxResults and nextToken, which every list here pages with. */
  const page = (input: ShapeReader) => ({
    nextToken: input.string('nextToken'),
    maxResults: input.integer('maxResults'),
  });
  const reportFilter = (input: ShapeReader) => {
    const filter = input.structure('filter');
    return filter && { status: filter.string('status') };
  };

  return {
    CreateReportGroup: async (raw, context) => {
      const input = ShapeReader.of(raw, invalidInputCode);
      const name = input.requiredString('name');
      const type = input.requiredString('type');
      const exportConfig = input.requiredStructure('exportConfig');
      const exportConfigType = exportConfig?.string('exportConfigType');
      exportConfig?.structure('s3Destination');
      const tags = readTags(input, 'tags');
      input.problems.throwIfAny();
      const group = await builds.createReportGroup(scopeOf(context), {
        name,
        type,
        exportConfig: { exportConfigType },
        tags,
      });
      return { reportGroup: reportGroupShape(group) };
    },

    BatchGetReportGroups: async (raw, context) => {
      const input = ShapeReader.of(raw, invalidInputCode);
      const arns = input.requiredStringList('reportGroupArns');
      input.problems.throwIfAny();
      const found = await builds.batchGetReportGroups(scopeOf(context), arns);
      return {
        reportGroups: found.reportGroups.map(reportGroupShape),
        reportGroupsNotFound: found.reportGroupsNotFound,
      };
    },

    ListReportGroups: async (raw, context) => {
      const input = ShapeReader.of(raw, invalidInputCode);
      const listed = await builds.listReportGroups(scopeOf(context), {
        sortBy: input.string('sortBy'),
        sortOrder: input.string('sortOrder'),
        ...page(input),
      });
      return { reportGroups: listed.arns, nextToken: listed.nextToken };
    },

    /** Not an error when the group does not exist; with reports, only if deleteReports. */
    DeleteReportGroup: async (raw, context) => {
      const input = ShapeReader.of(raw, invalidInputCode);
      const arn = input.requiredString('arn');
      const deleteReports = input.boolean('deleteReports');
      input.problems.throwIfAny();
      await builds.deleteReportGroup(scopeOf(context), arn, deleteReports);
      return {};
    },

    ListReports: async (raw, context) => {
      const input = ShapeReader.of(raw, invalidInputCode);
      const listed = await builds.listReports(scopeOf(context), {
        sortOrder: input.string('sortOrder'),
        filter: reportFilter(input),
        ...page(input),
      });
      return { reports: listed.arns, nextToken: listed.nextToken };
    },

    ListReportsForReportGroup: async (raw, context) => {
      const input = ShapeReader.of(raw, invalidInputCode);
      const groupArn = input.requiredString('reportGroupArn');
      const options = {
        sortOrder: input.string('sortOrder'),
        filter: reportFilter(input),
        ...page(input),
      };
      input.problems.throwIfAny();
      const listed = await builds.listReportsForReportGroup(scopeOf(context), groupArn, options);
      return { reports: listed.arns, nextToken: listed.nextToken };
    },

    BatchGetReports: async (raw, context) => {
      const input = ShapeReader.of(raw, invalidInputCode);
      const arns = input.requiredStringList('reportArns');
      input.problems.throwIfAny();
      const found = await builds.batchGetReports(scopeOf(context), arns);
      return { reports: found.reports.map(reportShape), reportsNotFound: found.reportsNotFound };
    },

    /** Not an error when the report does not exist. */
    DeleteReport: async (raw, context) => {
      const input = ShapeReader.of(raw, invalidInputCode);
      const arn = input.requiredString('arn');
      input.problems.throwIfAny();
      await builds.deleteReport(scopeOf(context), arn);
      return {};
    },

    DescribeTestCases: async (raw, context) => {
      const input = ShapeReader.of(raw, invalidInputCode);
      const reportArn = input.requiredString('reportArn');
      const filter = input.structure('filter');
      const options = {
        reportArn,
        filter: filter && { status: filter.string('status'), keyword: filter.string('keyword') },
        ...page(input),
      };
      input.problems.throwIfAny();
      const found = await builds.describeTestCases(scopeOf(context), options);
      return { testCases: found.testCases.map(testCaseShape), nextToken: found.nextToken };
    },
  };
}
