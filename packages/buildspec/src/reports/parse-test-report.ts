/**
 * Reads one test report file in a buildspec `file-format` into CodeBuild test cases. Report
 * files come from the build, so they are untrusted: size is bounded, XML is parsed safely, and
 * a malformed or unexpected file gives `{ ok: false, error }`, never an exception.
 */
import {
  coverageReportFormats,
  type ReportFileFormat,
  type TestReportFormat,
} from '../buildspec.model.ts';
import { parseCucumber } from './cucumber.ts';
import { parseJunit } from './junit.ts';
import { parseNunit } from './nunit.ts';
import { parseNunit3 } from './nunit3.ts';
import type { ParsedTestCase } from './test-case.model.ts';
import { parseTestng } from './testng.ts';
import { parseTrx } from './trx.ts';
import { parseXml, type XmlElement } from './xml.ts';

export interface ParseTestReportOptions {
  /** The file's workspace-relative path, recorded as each case's testRawDataPath. */
  readonly rawDataPath: string;
  /** Largest file accepted, in characters. Default 32 MiB. */
  readonly maxLength?: number;
}

export const defaultMaxReportLength = 32 * 1024 * 1024;

export type ParseTestReportResult =
  | { readonly ok: true; readonly testCases: readonly ParsedTestCase[] }
  | { readonly ok: false; readonly error: string };

type XmlReader = (root: XmlElement, rawDataPath: string) => ParsedTestCase[] | string;

const xmlReaders: Readonly<Record<Exclude<TestReportFormat, 'CUCUMBERJSON'>, XmlReader>> = {
  JUNITXML: parseJunit,
  NUNITXML: parseNunit,
  NUNIT3XML: parseNunit3,
  TESTNGXML: parseTestng,
  VISUALSTUDIOTRX: parseTrx,
};

export function parseTestReport(
  format: ReportFileFormat,
  text: string,
  options: ParseTestReportOptions,
): ParseTestReportResult {
  const fail = (error: string): ParseTestReportResult => ({
    ok: false,
    error: `${options.rawDataPath}: ${error}`,
  });
  const maxLength = options.maxLength ?? defaultMaxReportLength;
  if (text.length > maxLength) return fail(`the file is longer than ${maxLength} characters`);
  if ((coverageReportFormats as readonly string[]).includes(format)) {
    return fail(`code coverage reports (${format}) are not supported yet`);
  }
  try {
    const cases =
      format === 'CUCUMBERJSON'
        ? readCucumber(text, options.rawDataPath)
        : readXml(format, text, options.rawDataPath);
    return typeof cases === 'string' ? fail(cases) : { ok: true, testCases: cases };
  } catch (error) {
    // The readers are written not to throw; this keeps a bug from escaping as a crash.
    return fail(`could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function readCucumber(text: string, rawDataPath: string): ParsedTestCase[] | string {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return `not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
  return parseCucumber(json, rawDataPath);
}

function readXml(
  format: ReportFileFormat,
  text: string,
  rawDataPath: string,
): ParsedTestCase[] | string {
  const reader = Object.hasOwn(xmlReaders, format)
    ? xmlReaders[format as keyof typeof xmlReaders]
    : undefined;
  if (reader === undefined) return `unknown report format ${format}`;
  const parsed = parseXml(text.replace(/^\uFEFF/, ''));
  if (!parsed.ok) return `not well-formed XML: ${parsed.error}`;
  return reader(parsed.root, rawDataPath);
}
