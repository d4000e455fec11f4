import {
  BuildsService,
  type Build,
  type BuildsOptions,
  type ClaimedBuild,
  type ProjectInput,
  type Scope,
} from '@slipway/core';
import { FakeClock } from './fake-clock.ts';
import { InMemoryBuildStore } from './in-memory-build-store.ts';
import { InMemoryJobQueue } from './in-memory-job-queue.ts';
import { InMemoryLogStore } from './in-memory-log-store.ts';
import { InMemoryProjectStore } from './in-memory-project-store.ts';
import { InMemoryReportStore } from './in-memory-report-store.ts';
import { SeededRandom } from './seeded-random.ts';

export interface BuildsHarness {
  readonly service: BuildsService;
  readonly projects: InMemoryProjectStore;
  readonly builds: InMemoryBuildStore;
  readonly reports: InMemoryReportStore;
  readonly logs: InMemoryLogStore;
  readonly jobs: InMemoryJobQueue;
  readonly clock: FakeClock;
  readonly scope: Scope;
}

/** A BuildsService on in-memory fakes and a FakeClock. */
export function buildsHarness(options: BuildsOptions = {}): BuildsHarness {
  const clock = new FakeClock();
  const random = new SeededRandom();
  const projects = new InMemoryProjectStore();
  const reports = new InMemoryReportStore();
  const logs = new InMemoryLogStore();
  const jobs = new InMemoryJobQueue({ clock, random: new SeededRandom(7) });
  const builds = new InMemoryBuildStore({ projects, reports, jobs, random: new SeededRandom(9) });
  const service = new BuildsService(
    { projects, builds, reports, logs, jobs, clock, random },
    options,
  );
  return {
    service,
    projects,
    builds,
    reports,
    logs,
    jobs,
    clock,
    scope: { accountId: '123456789012', region: 'us-east-1' },
  };
}

/** CreateProject's input for a small NO_SOURCE project; override what a test is about. */
export function aProjectInput(overrides: Partial<ProjectInput> = {}): ProjectInput {
  return {
    name: 'app',
    source: {
      type: 'NO_SOURCE',
      buildspec: 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo hello\n',
    },
    artifacts: { type: 'NO_ARTIFACTS' },
    environment: {
      type: 'LINUX_CONTAINER',
      image: 'aws/codebuild/standard:7.0',
      computeType: 'BUILD_GENERAL1_SMALL',
    },
    serviceRole: 'arn:aws:iam::123456789012:role/codebuild',
    ...overrides,
  };
}

/** The next claimable build, leased to `workerId`; fails the test when there is none. */
export async function claimNextBuild(
  h: BuildsHarness,
  workerId = 'runner-1',
  leaseMs = 30_000,
): Promise<ClaimedBuild> {
  const claimed = await h.service.claimBuild({ workerId, leaseMs });
  if (claimed === undefined) throw new Error('no build was claimable');
  return claimed;
}

/** Runs a claimed build's phases to the end, all SUCCEEDED, then completes it with `status`. */
export async function runClaimedBuild(
  h: BuildsHarness,
  claimed: ClaimedBuild,
  status = 'SUCCEEDED',
): Promise<Build> {
  const lease = { buildId: claimed.build.id, leaseId: claimed.lease.leaseId };
  for (const phaseType of [
    'PROVISIONING',
    'DOWNLOAD_SOURCE',
    'INSTALL',
    'PRE_BUILD',
    'BUILD',
    'POST_BUILD',
    'UPLOAD_ARTIFACTS',
    'FINALIZING',
  ]) {
    if (phaseType !== 'PROVISIONING') await h.service.recordPhase({ ...lease, phaseType });
    await h.service.recordPhase({ ...lease, phaseType, phaseStatus: 'SUCCEEDED' });
  }
  return h.service.completeBuild({ ...lease, outcome: { buildStatus: status } });
}
