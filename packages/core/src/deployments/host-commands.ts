import { AppErrorKind, isAppError } from '../errors/app-error.ts';
import type { Principal } from '../identity/identity.model.ts';
import type { Job } from '../jobs/job.model.ts';
import type { DeploymentRuns } from './deployment-runs.ts';
import {
  hostCommandQueue,
  inPlaceLifecycleEvents,
  LifecycleErrorCode,
  maxLogTailBytes,
  type HostCommandPayload,
} from './deployment.model.ts';
import type { DeploymentsDeps } from './deployments.deps.ts';
import { deploymentsError, DeploymentsSubject } from './deployments.errors.ts';
import type { DeploymentSpecification } from './host-command-spec.ts';
import type { OnPremisesInstance } from './on-premises-instance.model.ts';
import { tailOf } from './log-tail.ts';

/** A command's lease: agents update at least every few seconds; a lapse fails the instance. */
export const hostCommandLeaseMs = 15_000;
/** A command no agent claims within this fails its instance: the host's agent is not running. */
export const hostCommandPickupTimeoutMs = 60_000;
/** Presigned bundle URLs outlive any hook's timeout (an event is at most an hour). */
const bundleUrlSeconds = 2 * 3600;

export interface PolledHostCommand {
  readonly hostCommandIdentifier: string;
  readonly hostIdentifier: string;
  readonly deploymentExecutionId: string;
  readonly commandName: string;
  readonly nonce: number;
}

/** What the agent should do: go on (InProgress), or stop — the command is over (Failed). */
export type HostCommandAnswer = 'InProgress' | 'Failed';

export interface HostCommandCompletion {
  readonly commandId: unknown;
  readonly status: unknown;
  /** The agent's `{error_code, script_name, message, log}`, parsed by the door. */
  readonly diagnostics?: {
    readonly errorCode?: unknown;
    readonly scriptName?: unknown;
    readonly message?: unknown;
    readonly log?: unknown;
  };
}

/** An instance found by its agent's identity, with the region it is registered in. */
type RegisteredInstance = OnPremisesInstance & { readonly region: string };

interface HeldCommand {
  readonly job: Job;
  readonly leaseId: string;
  readonly payload: HostCommandPayload;
}

/**
 * The agent side of deployments (decision 15): an instance's agent claims its host commands from
 * its own queue, under a lease, with the credentials registered with the instance, and reports
 * each one. Every call after the poll names its lease, so an agent that lost a command can
 * never change the deployment.
 */
export class HostCommands {
  readonly #deps: DeploymentsDeps;
  readonly #runs: DeploymentRuns;

  constructor(deps: DeploymentsDeps, runs: DeploymentRuns) {
    this.#deps = deps;
    this.#runs = runs;
  }

  async poll(
    principal: Principal,
    hostIdentifier: unknown,
    waitMs: number,
    signal: AbortSignal | undefined,
  ): Promise<PolledHostCommand | undefined> {
    const instance = await this.#instanceOf(principal, hostIdentifier);
    const queue = hostCommandQueue(principal.accountId, instance.region, instance.instanceName);
    const deadline = this.#deps.clock.now() + waitMs;
    for (;;) {
      // Subscribed before claiming, so a command queued in between still wakes this poll.
      let wake: () => void = () => undefined;
      const woken = new Promise<void>((resolve) => (wake = resolve));
      const unwatch = this.#deps.jobs.watch((changed) => {
        if (changed === queue) wake();
      });
      try {
        const claimed = await this.#deps.jobs.claim({
          queue,
          workerId: instance.instanceName,
          leaseMs: hostCommandLeaseMs,
        });
        if (claimed !== undefined) {
          const payload = claimed.job.payload as unknown as HostCommandPayload;
          // Handed to the agent: its event is InProgress from now (the acknowledgement that
          // follows only confirms the command is still wanted; one transaction fewer per event).
          await this.#runs.apply(payload.deploymentId, {
            kind: 'command-started',
            targetId: payload.targetId,
            jobId: claimed.job.id,
          });
          return {
            hostCommandIdentifier: `${claimed.job.id}:${claimed.lease.leaseId}`,
            hostIdentifier: hostIdentifier as string,
            deploymentExecutionId: `${payload.deploymentId}:${payload.targetId}`,
            commandName: payload.commandName,
            nonce: claimed.job.attempts,
          };
        }
        const left = deadline - this.#deps.clock.now();
        if (left <= 0 || signal?.aborted === true) return undefined;
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
          };
          const timer = setTimeout(done, left);
          void woken.then(done);
          signal?.addEventListener('abort', done, { once: true });
        });
      } finally {
        unwatch();
      }
    }
  }

  async specification(
    principal: Principal,
    executionId: unknown,
    hostIdentifier: unknown,
  ): Promise<DeploymentSpecification> {
    const instance = await this.#instanceOf(principal, hostIdentifier);
    const [deploymentId, targetId] = typeof executionId === 'string' ? executionId.split(':') : [];
    const deployment =
      deploymentId === undefined ? undefined : await this.#deps.store.findDeployment(deploymentId);
    if (
      deployment === undefined ||
      targetId !== instance.instanceName ||
      deployment.accountId !== principal.accountId ||
      deployment.region !== instance.region ||
      !deployment.targets.some((t) => t.targetId === targetId)
    ) {
      throw notHeld(`No deployment execution ${String(executionId)} for this host`);
    }
    return {
      deploymentId: deployment.deploymentId,
      deploymentGroupId: deployment.deploymentGroupId,
      deploymentGroupName: deployment.deploymentGroupName,
      applicationName: deployment.applicationName,
      deploymentCreator: deployment.creator,
      appSpecFilename: 'appspec.yml',
      lifecycleEvents: inPlaceLifecycleEvents,
      fileExistsBehavior: deployment.fileExistsBehavior,
      ignoreApplicationStopFailures: deployment.ignoreApplicationStopFailures,
      revision: deployment.revision.s3Location,
      bundleUrl: this.#deps.bundles.presignGet(
        { accountId: deployment.accountId, region: deployment.region },
        {
          ...deployment.revision.s3Location,
          ...(deployment.bundleVersionId === undefined
            ? {}
            : { version: deployment.bundleVersionId }),
        },
        bundleUrlSeconds,
      ),
    };
  }

  async acknowledge(principal: Principal, commandId: unknown): Promise<HostCommandAnswer> {
    const held = await this.#held(principal, commandId);
    // Just claimed: its lease is fresh, so a read (not a heartbeat's write) tells it is live.
    if (held === undefined || !this.#live(held)) return 'Failed';
    return (await this.#isCurrent(held)) ? 'InProgress' : 'Failed';
  }

  async update(
    principal: Principal,
    commandId: unknown,
    log: string | undefined,
  ): Promise<HostCommandAnswer> {
    const held = await this.#held(principal, commandId);
    if (held === undefined || !(await this.#extend(held))) return 'Failed';
    if (log !== undefined && log !== '') {
      await this.#runs.apply(held.payload.deploymentId, {
        kind: 'command-log',
        targetId: held.payload.targetId,
        jobId: held.job.id,
        output: log,
      });
    }
    return (await this.#isCurrent(held)) ? 'InProgress' : 'Failed';
  }

  async complete(principal: Principal, completion: HostCommandCompletion): Promise<void> {
    if (completion.status !== 'Succeeded' && completion.status !== 'Failed') {
      throw deploymentsError(
        AppErrorKind.InvalidInput,
        DeploymentsSubject.Input,
        'CommandStatus must be Succeeded or Failed',
      );
    }
    const held = await this.#held(principal, completion.commandId);
    // A completion after the lease was lost changes nothing: the instance already failed.
    if (held === undefined || !this.#live(held)) return;
    const succeeded = completion.status === 'Succeeded';
    const d = completion.diagnostics ?? {};
    await this.#runs.apply(held.payload.deploymentId, {
      kind: 'command-finished',
      targetId: held.payload.targetId,
      jobId: held.job.id,
      succeeded,
      diagnostics: {
        errorCode: succeeded ? LifecycleErrorCode.Success : errorCodeOf(d.errorCode),
        scriptName: typeof d.scriptName === 'string' ? d.scriptName : '',
        message:
          typeof d.message === 'string' && d.message !== ''
            ? d.message
            : succeeded
              ? 'Succeeded'
              : 'Failed',
        logTail: typeof d.log === 'string' ? tailOf(d.log, maxLogTailBytes) : '',
      },
    });
    await this.#deps.jobs
      .complete({
        jobId: held.job.id,
        leaseId: held.leaseId,
        outcome: succeeded ? 'succeeded' : 'failed',
      })
      .catch((error: unknown) => {
        if (!isAppError(error) || error.kind !== AppErrorKind.Conflict) throw error;
      });
  }

  /** The registered instance whose agent this is: the caller must be the instance's IAM user. */
  async #instanceOf(principal: Principal, hostIdentifier: unknown): Promise<RegisteredInstance> {
    if (typeof hostIdentifier !== 'string' || hostIdentifier === '') {
      throw deploymentsError(
        AppErrorKind.InvalidInput,
        DeploymentsSubject.Input,
        'HostIdentifier is required',
      );
    }
    if (hostIdentifier !== principal.arn) {
      throw deploymentsError(
        AppErrorKind.AccessDenied,
        DeploymentsSubject.HostIdentity,
        `${principal.arn} may not act as host ${hostIdentifier}`,
      );
    }
    const instance = await this.#deps.store.findOnPremisesInstanceByArn(
      principal.accountId,
      hostIdentifier,
    );
    if (instance === undefined) throw notRegistered(hostIdentifier);
    return instance;
  }

  /** The command a HostCommandIdentifier names, if it is this caller's instance's. */
  async #held(principal: Principal, commandId: unknown): Promise<HeldCommand | undefined> {
    const [jobId, leaseId] = typeof commandId === 'string' ? commandId.split(':') : [];
    if (jobId === undefined || leaseId === undefined || jobId === '' || leaseId === '') {
      throw notHeld('HostCommandIdentifier is not one this service handed out');
    }
    const instance = await this.#deps.store.findOnPremisesInstanceByArn(
      principal.accountId,
      principal.arn,
    );
    // As for polls: credentials of no (or a deregistered) instance may not act as a host.
    if (instance === undefined) throw notRegistered(principal.arn);
    const job = await this.#deps.jobs.findJob(jobId);
    if (
      job === undefined ||
      job.queue !== hostCommandQueue(principal.accountId, instance.region, instance.instanceName)
    ) {
      throw notHeld(`No host command ${jobId} for this host`);
    }
    return { job, leaseId, payload: job.payload as unknown as HostCommandPayload };
  }

  /** Whether the command's lease (as read) is this caller's and unexpired, and not cancelled. */
  #live(held: HeldCommand): boolean {
    const { job } = held;
    return (
      job.status === 'leased' &&
      job.leaseId === held.leaseId &&
      (job.leaseExpiresAt ?? 0) > this.#deps.clock.now() &&
      !job.cancelRequested
    );
  }

  /** Extends the lease; false when it is gone or the command was cancelled. */
  async #extend(held: HeldCommand): Promise<boolean> {
    try {
      const beat = await this.#deps.jobs.heartbeat({
        jobId: held.job.id,
        leaseId: held.leaseId,
        leaseMs: hostCommandLeaseMs,
      });
      return !beat.cancelRequested;
    } catch (error) {
      if (isAppError(error) && error.kind === AppErrorKind.Conflict) return false;
      throw error;
    }
  }

  async #isCurrent(held: HeldCommand): Promise<boolean> {
    const deployment = await this.#deps.store.findDeployment(held.payload.deploymentId);
    return (
      deployment?.targets.some(
        (t) => t.targetId === held.payload.targetId && t.commandJobId === held.job.id,
      ) === true
    );
  }
}

function notRegistered(arn: string) {
  return deploymentsError(
    AppErrorKind.AccessDenied,
    DeploymentsSubject.HostIdentity,
    `No registered on-premises instance has the identity ${arn}`,
  );
}

function notHeld(message: string) {
  return deploymentsError(AppErrorKind.NotFound, DeploymentsSubject.HostCommand, message);
}

const errorCodes = [
  LifecycleErrorCode.Success,
  LifecycleErrorCode.ScriptMissing,
  LifecycleErrorCode.ScriptNotExecutable,
  LifecycleErrorCode.ScriptTimedOut,
  LifecycleErrorCode.ScriptFailed,
] as const;

/** The agent's numeric ScriptError code (§5.7) as the API's LifecycleErrorCode. */
function errorCodeOf(code: unknown): LifecycleErrorCode {
  const known = typeof code === 'number' ? errorCodes[code] : undefined;
  return known === undefined || known === LifecycleErrorCode.Success
    ? LifecycleErrorCode.UnknownError
    : known;
}
