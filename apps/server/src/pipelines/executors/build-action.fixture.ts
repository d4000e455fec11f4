import type { BuildOutcome, ClaimedBuild } from '@slipway/core';
import {
  aProjectInput,
  bodyOf,
  buildsHarness,
  objectsHarness,
  type BuildsHarness,
  type ObjectsHarness,
} from '@slipway/testing';
import { testScope } from '../action-task.fixture.ts';
import { PipelineArtifacts } from '../pipeline-artifacts.ts';
import type { BuildActionDeps } from './build-action.ts';

export interface BuildActionHarness {
  readonly builds: BuildsHarness;
  readonly objects: ObjectsHarness;
  readonly deps: BuildActionDeps;
}

/** In-memory builds and objects services, with the artifact bucket in place. */
export async function buildActionHarness(): Promise<BuildActionHarness> {
  const builds = buildsHarness();
  const objects = objectsHarness();
  await objects.service.createBucket(testScope, 'artifacts');
  return {
    builds,
    objects,
    deps: {
      builds: builds.service,
      artifacts: new PipelineArtifacts({ objects: objects.service }),
      buildUrl: (build) => `http://console.test/builds/${build.id}`,
    },
  };
}

/** A project as a pipeline's build project is made: CODEPIPELINE source and artifacts. */
export function aPipelineProject(name = 'app') {
  return aProjectInput({
    name,
    source: { type: 'CODEPIPELINE', buildspec: 'version: 0.2\nphases: {}\n' },
    artifacts: { type: 'CODEPIPELINE' },
  });
}

export async function putObject(
  h: BuildActionHarness,
  location: { bucket: string; key: string },
  content: string,
  metadata: Record<string, string> = {},
): Promise<void> {
  const body = bodyOf(content);
  await h.objects.service.putObject({
    scope: testScope,
    ...location,
    body: body.body,
    describe: body.describe,
    metadata,
  });
}

/** What the runner does: every phase, then completion with `outcome`. */
export async function finishBuild(
  h: BuildActionHarness,
  claimed: ClaimedBuild,
  outcome: BuildOutcome,
): Promise<void> {
  const lease = { buildId: claimed.build.id, leaseId: claimed.lease.leaseId };
  const service = h.builds.service;
  const phases = ['PROVISIONING', 'DOWNLOAD_SOURCE', 'INSTALL', 'PRE_BUILD', 'BUILD', 'POST_BUILD'];
  for (const phaseType of phases) {
    // The claim started PROVISIONING.
    if (phaseType !== 'PROVISIONING') await service.recordPhase({ ...lease, phaseType });
    await service.recordPhase({ ...lease, phaseType, phaseStatus: outcome.buildStatus });
    if (outcome.buildStatus !== 'SUCCEEDED') break;
  }
  await service.completeBuild({ ...lease, outcome });
}

export async function buildCount(h: BuildActionHarness): Promise<number> {
  return (await h.builds.service.listBuilds(testScope)).ids.length;
}
