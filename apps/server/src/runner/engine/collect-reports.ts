/**
 * The buildspec's `reports` groups, read in UPLOAD_ARTIFACTS: each group's files are selected
 * like artifact files, parsed in the group's format and merged into one report, truncated as
 * CodeBuild keeps it (500 cases, failures first). A file that cannot be read makes only its
 * report INCOMPLETE, with the reason; the build's status does not change (a report is
 * INCOMPLETE "when the configuration is wrong", aws-compat §4.1). A group whose files match
 * nothing produces no report.
 */
import { join } from 'node:path';
import {
  defaultMaxReportLength,
  parseTestReport,
  selectFiles,
  summarizeTestCases,
  testReportStatus,
  truncateTestCases,
  type ParsedTestCase,
  type ReportGroupSpec,
} from '@slipway/buildspec';
import type { ProducedReport } from './build-model.ts';
import { openInside, readBounded, type ListedEntry } from './workspace-files.ts';

export interface CollectReportsInput {
  readonly groups: readonly ReportGroupSpec[];
  readonly projectName: string;
  readonly listing: readonly ListedEntry[];
  readonly srcDir: string;
  readonly rootReal: string;
  readonly log: (...messages: string[]) => Promise<void>;
}

export async function collectReport(
  group: ReportGroupSpec,
  input: CollectReportsInput,
): Promise<ProducedReport | undefined> {
  const reportGroupName = group.name.startsWith('arn:')
    ? group.name
    : `${input.projectName}-${group.name}`;
  await input.log(`Preparing to copy ${group.fileFormat} report group: ${reportGroupName}`);
  const selection = selectFiles(
    input.listing.map((e) => e.path),
    group,
  );
  const files = selection.ok ? selection.entries.map((e) => e.path) : [];
  const errors: string[] = selection.ok ? [] : [...selection.errors];
  if (selection.ok && files.length === 0) {
    await input.log(`No matching report paths found for report group ${reportGroupName}`);
    return undefined;
  }
  const cases: ParsedTestCase[] = [];
  for (const path of files) {
    const read = await readReportFile(join(input.srcDir, path), path, input.rootReal);
    if (typeof read !== 'string') {
      errors.push(read.error);
      continue;
    }
    const parsed = parseTestReport(group.fileFormat, read, { rawDataPath: path });
    if (parsed.ok) cases.push(...parsed.testCases);
    else errors.push(parsed.error);
  }
  const summary = summarizeTestCases(cases);
  const { testCases, truncated } = truncateTestCases(cases);
  const report: ProducedReport = {
    reportGroup: group.name,
    reportGroupName,
    fileFormat: group.fileFormat,
    status: errors.length > 0 ? 'INCOMPLETE' : testReportStatus(summary),
    statusMessage: errors.length > 0 ? `error processing report: ${errors.join('; ')}` : undefined,
    summary,
    testCases,
    truncated,
    files,
  };
  await input.log(
    `Report ${reportGroupName}: ${summary.total} test case(s), status ${report.status}` +
      (report.statusMessage === undefined ? '' : `: ${report.statusMessage}`),
  );
  return report;
}

async function readReportFile(
  absolute: string,
  path: string,
  rootReal: string,
): Promise<string | { error: string }> {
  let handle;
  try {
    handle = await openInside(absolute, rootReal, `'${path}'`);
  } catch (error) {
    return { error: `${path}: ${(error as Error).message}` };
  }
  try {
    const bytes = await readBounded(handle, defaultMaxReportLength);
    if (bytes.length > defaultMaxReportLength) {
      return { error: `${path}: the file is larger than ${defaultMaxReportLength} bytes` };
    }
    return bytes.toString('utf8');
  } finally {
    await handle.close();
  }
}
