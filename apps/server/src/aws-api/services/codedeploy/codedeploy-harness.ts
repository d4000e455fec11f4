import {
  DeploymentsService,
  type DeploymentScope,
  type RevisionBundles,
  type S3RevisionLocation,
} from '@slipway/core';
import {
  FakeClock,
  InMemoryDeploymentStore,
  InMemoryJobQueue,
  SeededRandom,
} from '@slipway/testing';
import {
  operationHarness,
  testPrincipal,
  type OperationHarness,
} from '../codebuild/operation-harness.ts';
import { createCodeDeployService } from './codedeploy-service.ts';

/** Where the harness's resources live: the test principal's account, us-east-1. */
export const scope: DeploymentScope = { accountId: testPrincipal.accountId, region: 'us-east-1' };
export const accountId = testPrincipal.accountId;
export const serviceRoleArn = `arn:aws:iam::${accountId}:role/CodeDeployService`;
/** 2026-11-22T12:00:00.250Z: a fraction of a second, to see epoch seconds keep it. */
export const start = Date.UTC(2026, 10, 22, 12, 0, 0, 250);

/** Bundles in S3 as the service sees them: present with an ETag, or missing. */
export class FakeRevisionBundles implements RevisionBundles {
  readonly #objects = new Map<string, string>();

  put(bucket: string, key: string, eTag = '"etag-1"'): void {
    this.#objects.set(`${bucket}/${key}`, eTag);
  }

  find(_scope: DeploymentScope, location: S3RevisionLocation) {
    const eTag = this.#objects.get(`${location.bucket}/${location.key}`);
    return Promise.resolve(eTag === undefined ? undefined : { eTag, versionId: undefined });
  }

  presignGet(_scope: DeploymentScope, location: S3RevisionLocation): string {
    return `http://s3.test/${location.bucket}/${location.key}?signed`;
  }
}

export interface CodeDeployHarness extends OperationHarness {
  readonly deployments: DeploymentsService;
  readonly clock: FakeClock;
  readonly bundles: FakeRevisionBundles;
  readonly jobs: InMemoryJobQueue;
}

/**
 * For the door's tests: the CodeDeploy operations over the real DeploymentsService and
 * in-memory fakes, called as the AWS door calls them (no HTTP, no signing). `call` answers the
 * output as it goes on the wire; `fail` the code and message a client would see.
 */
export function codedeployHarness(): CodeDeployHarness {
  const clock = new FakeClock(start);
  const random = new SeededRandom(11);
  const jobs = new InMemoryJobQueue({ clock, random });
  const bundles = new FakeRevisionBundles();
  const deployments = new DeploymentsService({
    store: new InMemoryDeploymentStore({ jobs, clock, random }),
    jobs,
    bundles,
    clock,
    random,
  });
  const harness = operationHarness(createCodeDeployService({ deployments }));
  return { ...harness, deployments, clock, bundles, jobs };
}

/** The wire's S3 revision of `key` in bucket `bundles`. */
export const s3Revision = (key: string, bundleType = 'zip') => ({
  revisionType: 'S3',
  s3Location: { bucket: 'bundles', key, bundleType },
});
