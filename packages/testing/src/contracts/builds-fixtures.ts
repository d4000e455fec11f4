import {
  applyOverrides,
  assembleReport,
  autoCreatedGroup,
  newBuild,
  newProject,
  type Build,
  type NewReport,
  type Project,
  type ProjectInput,
} from '@slipway/core';
import { aProjectInput } from '../builds-harness.ts';
import { fakeClockStart } from '../fake-clock.ts';

/** Builders and data shared by the builds component's store contracts. */

export const accountId = '123456789012';
export const otherAccountId = '210987654321';
export const region = 'us-east-1';
export const scope = { accountId, region };

export function aProject(overrides: Partial<ProjectInput> = {}, now = fakeClockStart): Project {
  return newProject(scope, aProjectInput(overrides), now);
}

let uuids = 0;
/** A distinct, well-formed uuid per call. */
export function nextUuid(): string {
  uuids += 1;
  return `00000000-0000-4000-8000-${uuids.toString(16).padStart(12, '0')}`;
}

/** A new build of `project`, as StartBuild makes it (the store fills in number and dispatch). */
export function aBuild(project: Project, now = fakeClockStart, initiator = 'alice'): Build {
  return newBuild({
    scope: { accountId: project.accountId, region: project.region },
    project,
    specifics: applyOverrides(project, { projectName: project.name, initiator }),
    uuid: nextUuid(),
    initiator,
    now,
  });
}

/** `build` ended SUCCEEDED at `now`, as a store receives it in `finish`. */
export function ended(
  build: Build,
  now: number,
  status: Build['buildStatus'] = 'SUCCEEDED',
): Build {
  return {
    ...build,
    buildStatus: status,
    buildComplete: true,
    currentPhase: 'COMPLETED',
    endTime: now,
    phases: [...build.phases, { phaseType: 'COMPLETED', startTime: now }],
    run: { ...build.run, dispatch: 'ended', endedBy: 'runner' },
  };
}

/** A report of `build` into group `groupName` with cases named `a`, `b`…, given statuses. */
export function aReport(
  build: Build,
  groupName: string,
  statuses: readonly ('SUCCEEDED' | 'FAILED' | 'ERROR' | 'SKIPPED' | 'UNKNOWN')[],
  now = fakeClockStart,
): NewReport {
  return assembleReport({
    build,
    group: autoCreatedGroup(build, groupName, now),
    input: {
      reportGroup: groupName,
      testCases: statuses.map((status, i) => ({
        testRawDataPath: 'reports/junit.xml',
        prefix: i % 2 === 0 ? 'math.Even' : 'text.Odd',
        name: `case-${String.fromCharCode(97 + (i % 26))}${i}`,
        status,
        durationInNanoSeconds: 1000 * (i + 1),
        message: status === 'FAILED' ? 'expected ünïcödé %_ to be ok' : undefined,
        testSuiteName: 'suite',
      })),
    },
    uuid: nextUuid(),
    now,
  });
}
