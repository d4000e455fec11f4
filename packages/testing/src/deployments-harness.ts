import {
  DeploymentsService,
  type CreateDeploymentGroupInput,
  type CreateDeploymentInput,
  type Deployment,
  type DeploymentScope,
  type Principal,
  type RevisionBundles,
  type RevisionLocation,
  type S3RevisionLocation,
} from '@slipway/core';
import { FakeClock } from './fake-clock.ts';
import { InMemoryDeploymentStore } from './in-memory-deployment-store.ts';
import { InMemoryJobQueue } from './in-memory-job-queue.ts';
import { SeededRandom } from './seeded-random.ts';

/**
 * A DeploymentsService on in-memory fakes and a FakeClock, with helpers that register hosts,
 * create a group and play the hosts' agents through the host-command API, for the deployments
 * component's unit tests (as pipelinesHarness is for the pipelines').
 */
export interface DeploymentsHarness {
  readonly service: DeploymentsService;
  readonly store: InMemoryDeploymentStore;
  readonly jobs: InMemoryJobQueue;
  readonly clock: FakeClock;
  readonly bundles: FakeRevisionBundles;
  readonly scope: DeploymentScope;
}

export const accountId = '111122223333';
export const applicationName = 'app';
export const groupName = 'dg';
const roleArn = `arn:aws:iam::${accountId}:role/CodeDeployRole`;

export function deploymentsHarness(): DeploymentsHarness {
  const clock = new FakeClock();
  const jobs = new InMemoryJobQueue({ clock, random: new SeededRandom(7) });
  const store = new InMemoryDeploymentStore({ jobs, clock, random: new SeededRandom(9) });
  const bundles = new FakeRevisionBundles();
  const service = new DeploymentsService({
    store,
    jobs,
    bundles,
    clock,
    random: new SeededRandom(11),
  });
  return { service, store, jobs, clock, bundles, scope: { accountId, region: 'us-east-1' } };
}

/** Bundles that exist when their key was added (`v1.zip` and `v2.zip` from the start). */
export class FakeRevisionBundles implements RevisionBundles {
  readonly keys = new Set(['v1.zip', 'v2.zip', 'v3.zip']);
  /** Keys in a versioned bucket: their latest version id. */
  readonly versions = new Map<string, string>();

  find(_scope: DeploymentScope, location: S3RevisionLocation) {
    return Promise.resolve(
      this.keys.has(location.key)
        ? { eTag: `etag-${location.key}`, versionId: this.versions.get(location.key) }
        : undefined,
    );
  }

  presignGet(_scope: DeploymentScope, location: S3RevisionLocation, expiresSeconds: number) {
    const version = location.version === undefined ? '' : `&versionId=${location.version}`;
    return `https://s3.test/${location.bucket}/${location.key}?expires=${expiresSeconds}${version}`;
  }
}

export function aRevision(key = 'v1.zip'): RevisionLocation {
  return { revisionType: 'S3', s3Location: { bucket: 'bundles', key, bundleType: 'zip' } };
}

export function hostArn(name: string): string {
  return `arn:aws:iam::${accountId}:user/${name}`;
}

/** The IAM user an instance's agent authenticates as. */
export function hostPrincipal(name: string): Principal {
  return {
    accountId,
    userId: `AIDA${name.toUpperCase()}`,
    userName: name,
    arn: hostArn(name),
    accessKeyId: `AKIA${name.toUpperCase()}`,
  };
}

/** Registers `names` as on-premises instances tagged `env=prod` (what aGroup targets). */
export async function registerHosts(h: DeploymentsHarness, names: readonly string[]) {
  for (const name of names) {
    await h.service.registerOnPremisesInstance(h.scope, {
      instanceName: name,
      iamUserArn: hostArn(name),
    });
  }
  await h.service.addTagsToOnPremisesInstances(h.scope, {
    instanceNames: names,
    tags: [{ Key: 'env', Value: 'prod' }],
  });
}

/** `hosts(4)` → ['h1', 'h2', 'h3', 'h4']: deployed to in this (name) order. */
export function hosts(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `h${i + 1}`);
}

/** Creates the application (once) and a group targeting `env=prod` instances. */
export async function aGroup(
  h: DeploymentsHarness,
  overrides: Partial<CreateDeploymentGroupInput> = {},
): Promise<void> {
  if ((await h.store.findApplication(h.scope, applicationName)) === undefined) {
    await h.service.createApplication(h.scope, { applicationName });
  }
  await h.service.createDeploymentGroup(h.scope, {
    applicationName,
    deploymentGroupName: groupName,
    serviceRoleArn: roleArn,
    onPremisesInstanceTagFilters: [{ Key: 'env', Value: 'prod', Type: 'KEY_AND_VALUE' }],
    ...overrides,
  });
}

export function deploy(
  h: DeploymentsHarness,
  overrides: Partial<CreateDeploymentInput> = {},
): Promise<string> {
  return h.service.createDeployment(h.scope, {
    applicationName,
    deploymentGroupName: groupName,
    revision: aRevision(),
    ...overrides,
  });
}

export async function deploymentOf(h: DeploymentsHarness, id: string): Promise<Deployment> {
  const deployment = await h.store.findDeployment(id);
  if (deployment === undefined) throw new Error(`no deployment ${id}`);
  return deployment;
}

export interface HostCommandRun {
  readonly host: string;
  readonly deploymentId: string;
  readonly event: string;
  readonly succeeded: boolean;
}

export interface PlayOptions {
  /** Whether the agent reports this host's event Failed (ScriptFailed); Succeeded otherwise. */
  readonly fails?: (host: string, event: string, deploymentId: string) => boolean;
  /** Stops after this many rounds (each host runs at most one command per round). */
  readonly maxRounds?: number;
}

export interface PlayReport {
  readonly runs: readonly HostCommandRun[];
  /** The most instances InProgress at once in any deployment, seen after each round's ACKs. */
  readonly maxInProgress: number;
  /** The most commands held (polled and not completed) at once. */
  readonly maxHeld: number;
}

/** The diagnostics a failing agent sends (ScriptError 4: ScriptFailed). */
export function failureDiagnostics(host: string, event: string) {
  return {
    errorCode: 4,
    scriptName: `scripts/${event}.sh`,
    message: `Script at specified location: scripts/${event}.sh run as user root failed with exit code 1`,
    log: `[stderr] ${event} failed on ${host}`,
  };
}

/**
 * Plays one agent per host in lock-step rounds: every host polls (waitMs 0) and acknowledges what
 * it got, then every held command is completed — Succeeded, or Failed where `fails` says so —
 * until a round where no host has anything to do.
 */
export async function playAgents(
  h: DeploymentsHarness,
  names: readonly string[],
  options: PlayOptions = {},
): Promise<PlayReport> {
  const runs: HostCommandRun[] = [];
  let maxInProgress = 0;
  let maxHeld = 0;
  for (let round = 0; round < (options.maxRounds ?? 1000); round++) {
    const held: { host: string; id: string; deploymentId: string; event: string }[] = [];
    for (const host of names) {
      const principal = hostPrincipal(host);
      const command = await h.service.pollHostCommand(principal, hostArn(host), 0, undefined);
      if (command === undefined) continue;
      const [deploymentId = ''] = command.deploymentExecutionId.split(':');
      await h.service.getDeploymentSpecification(
        principal,
        command.deploymentExecutionId,
        hostArn(host),
      );
      const answer = await h.service.acknowledgeHostCommand(
        principal,
        command.hostCommandIdentifier,
      );
      if (answer === 'Failed') continue;
      held.push({
        host,
        id: command.hostCommandIdentifier,
        deploymentId,
        event: command.commandName,
      });
    }
    if (held.length === 0) break;
    maxHeld = Math.max(maxHeld, held.length);
    for (const deploymentId of new Set(held.map((c) => c.deploymentId))) {
      const deployment = await deploymentOf(h, deploymentId);
      const inProgress = deployment.targets.filter((t) => t.status === 'InProgress').length;
      maxInProgress = Math.max(maxInProgress, inProgress);
    }
    h.clock.advance(1000);
    for (const command of held) {
      const fails = options.fails?.(command.host, command.event, command.deploymentId) === true;
      await h.service.completeHostCommand(hostPrincipal(command.host), {
        commandId: command.id,
        status: fails ? 'Failed' : 'Succeeded',
        ...(fails ? { diagnostics: failureDiagnostics(command.host, command.event) } : {}),
      });
      runs.push({ ...command, succeeded: !fails });
    }
    h.clock.advance(1000);
  }
  return { runs, maxInProgress, maxHeld };
}
