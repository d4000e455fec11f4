/**
 * Cucumber JSON (CUCUMBERJSON): an array of features, each with `elements` (scenarios, and
 * backgrounds, which are not cases of their own) whose steps and before/after hooks carry a
 * `result` with status and a duration in nanoseconds. A scenario is FAILED if anything in it
 * failed, ERROR if a step was ambiguous, UNKNOWN if one was undefined or pending, SKIPPED if
 * steps were skipped with none failing, SUCCEEDED otherwise.
 */
import type { ParsedTestCase, TestCaseStatus } from './test-case.model.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export function parseCucumber(json: unknown, rawDataPath: string): ParsedTestCase[] | string {
  if (!Array.isArray(json) || !json.every(isObject)) {
    return 'not a Cucumber JSON report: expected an array of features';
  }
  const cases: ParsedTestCase[] = [];
  for (const feature of json) {
    const featureName = text(feature.name);
    for (const element of list(feature.elements)) {
      if (!isObject(element) || element.type === 'background') continue;
      cases.push(
        scenario(element, text(feature.uri) ?? featureName ?? '', featureName, rawDataPath),
      );
    }
  }
  return cases;
}

function scenario(
  element: Json,
  prefix: string,
  featureName: string | undefined,
  rawDataPath: string,
): ParsedTestCase {
  const results = [...list(element.before), ...list(element.steps), ...list(element.after)]
    .map((step) => (isObject(step) && isObject(step.result) ? step.result : undefined))
    .filter((r) => r !== undefined);
  const statuses = results.map((r) => text(r.status) ?? '');
  const failed = results.find((r) => r.status === 'failed');
  let duration = 0;
  for (const r of results) {
    if (typeof r.duration === 'number' && Number.isFinite(r.duration) && r.duration > 0) {
      duration += r.duration;
    }
  }
  return {
    testRawDataPath: rawDataPath,
    prefix,
    name: text(element.name) ?? '',
    status: statusOf(statuses),
    durationInNanoSeconds: Math.round(duration),
    message: failed && text(failed.error_message),
    testSuiteName: featureName,
  };
}

function statusOf(statuses: readonly string[]): TestCaseStatus {
  if (statuses.includes('failed')) return 'FAILED';
  if (statuses.includes('ambiguous')) return 'ERROR';
  if (statuses.includes('undefined') || statuses.includes('pending')) return 'UNKNOWN';
  if (statuses.includes('skipped')) return 'SKIPPED';
  return 'SUCCEEDED';
}
