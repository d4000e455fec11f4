import { describe, expect, it } from 'vitest';
import type { BuildPhase } from './build.model.ts';
import {
  applyPhaseReport,
  claimedPhases,
  completedPhases,
  nextPhaseProblem,
  submittedPhases,
} from './build-phases.ts';

const t0 = 1_000_000;

function ended(
  phaseType: BuildPhase['phaseType'],
  phaseStatus: BuildPhase['phaseStatus'],
): BuildPhase {
  return { phaseType, phaseStatus, startTime: t0, endTime: t0 + 1000, durationInSeconds: 1 };
}

describe('the server’s phases', () => {
  it('submits, claims and completes', () => {
    const submitted = submittedPhases(t0);
    const claimed = claimedPhases(submitted, t0 + 2500);
    expect(claimed).toEqual([
      {
        phaseType: 'SUBMITTED',
        phaseStatus: 'SUCCEEDED',
        startTime: t0,
        endTime: t0,
        durationInSeconds: 0,
      },
      {
        phaseType: 'QUEUED',
        phaseStatus: 'SUCCEEDED',
        startTime: t0,
        endTime: t0 + 2500,
        durationInSeconds: 2,
      },
      { phaseType: 'PROVISIONING', startTime: t0 + 2500 },
    ]);
    const done = completedPhases(claimed, 'STOPPED', t0 + 3000);
    expect(done.slice(2)).toEqual([
      {
        phaseType: 'PROVISIONING',
        phaseStatus: 'STOPPED',
        startTime: t0 + 2500,
        endTime: t0 + 3000,
        durationInSeconds: 0,
      },
      { phaseType: 'COMPLETED', startTime: t0 + 3000 },
    ]);
  });

  it('puts an ending’s contexts on the last phase when none is open', () => {
    const phases = [ended('BUILD', 'SUCCEEDED')];
    const context = { statusCode: 'RUNNER_LOST', message: 'gone' };
    expect(completedPhases(phases, 'FAILED', t0 + 5000, [context])).toEqual([
      { ...ended('BUILD', 'SUCCEEDED'), contexts: [context] },
      { phaseType: 'COMPLETED', startTime: t0 + 5000 },
    ]);
  });
});

describe('nextPhaseProblem', () => {
  it.each([
    ['PROVISIONING', 'SUCCEEDED', 'DOWNLOAD_SOURCE', true],
    ['DOWNLOAD_SOURCE', 'SUCCEEDED', 'BUILD', true],
    ['BUILD', 'SUCCEEDED', 'INSTALL', false],
    ['BUILD', 'SUCCEEDED', 'BUILD', false],
    ['PROVISIONING', 'FAILED', 'DOWNLOAD_SOURCE', false],
    ['PROVISIONING', 'FAILED', 'FINALIZING', true],
    ['DOWNLOAD_SOURCE', 'FAILED', 'INSTALL', false],
    ['INSTALL', 'FAILED', 'PRE_BUILD', true],
    ['INSTALL', 'FAILED', 'FINALIZING', true],
    ['BUILD', 'FAILED', 'POST_BUILD', true],
    ['BUILD', 'FAILED', 'UPLOAD_ARTIFACTS', true],
    ['POST_BUILD', 'FAILED', 'UPLOAD_ARTIFACTS', true],
    ['BUILD', 'STOPPED', 'POST_BUILD', false],
    ['BUILD', 'TIMED_OUT', 'FINALIZING', true],
    ['INSTALL', 'FAULT', 'PRE_BUILD', false],
  ] as const)('%s %s → %s allowed: %s', (previous, status, next, allowed) => {
    expect(nextPhaseProblem(ended(previous, status), next) === undefined).toBe(allowed);
  });
});

describe('applyPhaseReport', () => {
  const running = claimedPhases(submittedPhases(t0), t0);

  it('clamps a runner’s timestamps between the previous phase’s end and now', () => {
    const result = applyPhaseReport(
      running,
      { phaseType: 'PROVISIONING', phaseStatus: 'SUCCEEDED', endTime: t0 + 99_000 },
      t0 + 4000,
    );
    expect(result).toMatchObject({ kind: 'applied' });
    const phases = result.kind === 'applied' ? result.phases : [];
    expect(phases.at(-1)).toMatchObject({ endTime: t0 + 4000 });
    const next = applyPhaseReport(
      phases,
      { phaseType: 'DOWNLOAD_SOURCE', startTime: t0 - 5 },
      t0 + 5000,
    );
    expect(next.kind === 'applied' ? next.phases.at(-1) : undefined).toEqual({
      phaseType: 'DOWNLOAD_SOURCE',
      startTime: t0 + 4000,
    });
  });

  it('says duplicate for a report already applied, refused for one out of order', () => {
    expect(applyPhaseReport(running, { phaseType: 'PROVISIONING' }, t0)).toEqual({
      kind: 'duplicate',
    });
    expect(applyPhaseReport(running, { phaseType: 'INSTALL' }, t0)).toMatchObject({
      kind: 'refused',
      reason: 'PROVISIONING is still in progress',
    });
  });
});
