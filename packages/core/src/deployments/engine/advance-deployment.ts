import type { NewJob } from '../../jobs/job.model.ts';
import {
  assessDeploymentHealth,
  countDeploymentTargets,
  DeploymentTargetStatus,
} from '../deployment-health.ts';
import {
  DeploymentStatus,
  hostCommandQueue,
  inPlaceLifecycleEvents,
  LifecycleErrorCode,
  LifecycleEventStatus,
  maxLogTailBytes,
  terminalDeploymentStatuses,
  type Deployment,
  type DeploymentErrorInformation,
  type DeploymentTarget,
  type HostCommandPayload,
  type LifecycleDiagnostics,
  type LifecycleEvent,
} from '../deployment.model.ts';
import { tailOf } from '../log-tail.ts';

/**
 * The pure deployment engine: given a deployment document and what just happened, the next
 * document and the host commands to hand out. Each instance runs the in-place lifecycle one
 * event (one host command) at a time; the configuration's health rules (deployment-health.ts)
 * decide how many instances are out at once, when the deployment fails early, and its outcome.
 */

export interface EngineContext {
  readonly now: number;
  readonly newJobId: () => string;
}

export type DeploymentEvent =
  /** The agent acknowledged the command: its lifecycle event is InProgress. */
  | { readonly kind: 'command-started'; readonly targetId: string; readonly jobId: string }
  | {
      readonly kind: 'command-finished';
      readonly targetId: string;
      readonly jobId: string;
      readonly succeeded: boolean;
      readonly diagnostics: LifecycleDiagnostics;
    }
  /**
   * The command's lease lapsed (the agent died or lost contact), or no agent claimed it in
   * time (`unclaimed`: the agent is not running).
   */
  | {
      readonly kind: 'command-lost';
      readonly targetId: string;
      readonly jobId: string;
      readonly unclaimed?: boolean;
    }
  /** Output of a running hook since the last report; the event keeps the newest 4 KiB. */
  | {
      readonly kind: 'command-log';
      readonly targetId: string;
      readonly jobId: string;
      readonly output: string;
    }
  | { readonly kind: 'stop' };

export interface Advanced {
  readonly deployment: Deployment;
  readonly jobs: readonly NewJob[];
  readonly cancelJobs: readonly string[];
  /** True when this step ended the deployment. */
  readonly finished: boolean;
  /** Whether anything changed (a stale event changes nothing). */
  readonly changed: boolean;
}

/** A new deployment's targets: every lifecycle event Pending. */
export function newTargets(
  instances: readonly { targetId: string; targetArn: string; hostIdentifier: string }[],
  now: number,
): DeploymentTarget[] {
  return instances.map((instance) => ({
    ...instance,
    status: DeploymentTargetStatus.Pending,
    lastUpdatedAt: now,
    lifecycleEvents: inPlaceLifecycleEvents.map((name) => ({
      lifecycleEventName: name,
      status: LifecycleEventStatus.Pending,
    })),
  }));
}

/** Created → InProgress: the first instances get their first command (or it fails at once). */
export function startDeployment(deployment: Deployment, ctx: EngineContext): Advanced {
  const started: Deployment = {
    ...deployment,
    status: DeploymentStatus.InProgress,
    startTime: ctx.now,
  };
  return settle(started, [], [], ctx);
}

export function applyDeploymentEvent(
  deployment: Deployment,
  event: DeploymentEvent,
  ctx: EngineContext,
): Advanced {
  const unchanged: Advanced = {
    deployment,
    jobs: [],
    cancelJobs: [],
    finished: false,
    changed: false,
  };
  if (terminalDeploymentStatuses.has(deployment.status)) return unchanged;
  if (event.kind === 'stop') {
    return finish(
      deployment,
      DeploymentStatus.Stopped,
      { code: 'MANUAL_STOP', message: 'The deployment was stopped by a StopDeployment request' },
      'The deployment was stopped',
      ctx,
    );
  }
  const index = deployment.targets.findIndex(
    (t) => t.targetId === event.targetId && t.commandJobId === event.jobId,
  );
  const target = deployment.targets[index];
  if (target === undefined) return unchanged;
  const current = target.lifecycleEvents.findIndex(
    (e) =>
      e.status === LifecycleEventStatus.Pending || e.status === LifecycleEventStatus.InProgress,
  );
  const lifecycleEvent = target.lifecycleEvents[current];
  if (lifecycleEvent === undefined) return unchanged;
  let updated: DeploymentTarget;
  switch (event.kind) {
    case 'command-started':
      if (lifecycleEvent.status === LifecycleEventStatus.InProgress) return unchanged;
      updated = withEvent(target, current, {
        ...lifecycleEvent,
        status: LifecycleEventStatus.InProgress,
        startTime: ctx.now,
      });
      break;
    case 'command-log':
      updated = withEvent(target, current, {
        ...lifecycleEvent,
        diagnostics: {
          errorCode: LifecycleErrorCode.Success,
          scriptName: lifecycleEvent.diagnostics?.scriptName ?? '',
          message: 'The lifecycle event is running',
          logTail: tailOf(
            (lifecycleEvent.diagnostics?.logTail ?? '') + event.output,
            maxLogTailBytes,
          ),
        },
      });
      break;
    case 'command-finished':
      updated = finishEvent(
        target,
        current,
        event.succeeded ? LifecycleEventStatus.Succeeded : LifecycleEventStatus.Failed,
        // A completion without output keeps what the updates streamed.
        event.diagnostics.logTail === ''
          ? { ...event.diagnostics, logTail: lifecycleEvent.diagnostics?.logTail ?? '' }
          : event.diagnostics,
        ctx.now,
      );
      break;
    case 'command-lost':
      updated = finishEvent(
        target,
        current,
        LifecycleEventStatus.Failed,
        {
          errorCode: LifecycleErrorCode.UnknownError,
          scriptName: '',
          message:
            event.unclaimed === true
              ? 'No agent picked up the host command in time: is the instance’s agent running ' +
                'and registered with this instance’s credentials?'
              : 'The agent stopped reporting: the host command lease expired (the agent died, ' +
                'was stopped, or lost contact with the server)',
          logTail: lifecycleEvent.diagnostics?.logTail ?? '',
        },
        ctx.now,
      );
      break;
  }
  const targets = deployment.targets.map((t, i) => (i === index ? updated : t));
  const next = { ...deployment, targets };
  if (event.kind === 'command-started' || event.kind === 'command-log') {
    return { deployment: next, jobs: [], cancelJobs: [], finished: false, changed: true };
  }
  // The instance's next event, if it goes on.
  const jobs: NewJob[] = [];
  const advancedTargets = next.targets.map((t, i) => {
    if (i !== index || t.status !== DeploymentTargetStatus.InProgress) return t;
    const dispatched = dispatchNextEvent(next, t, ctx);
    jobs.push(...dispatched.jobs);
    return dispatched.target;
  });
  return settle({ ...next, targets: advancedTargets }, jobs, [], ctx);
}

/** Applies the health rules: dispatch more instances, or finish the deployment. */
function settle(
  deployment: Deployment,
  jobs: NewJob[],
  cancelJobs: string[],
  ctx: EngineContext,
): Advanced {
  const verdict = assessDeploymentHealth(
    deployment.minimumHealthyHosts,
    countDeploymentTargets(deployment.targets.map((t) => t.status)),
  );
  if (verdict.status === 'Succeeded') {
    return {
      deployment: { ...deployment, status: DeploymentStatus.Succeeded, completeTime: ctx.now },
      jobs,
      cancelJobs,
      finished: true,
      changed: true,
    };
  }
  if (verdict.status === 'Failed') {
    const failed = finish(
      deployment,
      DeploymentStatus.Failed,
      { code: verdict.errorCode, message: verdict.message },
      'The deployment failed on other instances',
      ctx,
    );
    return {
      ...failed,
      jobs: [...jobs, ...failed.jobs],
      cancelJobs: [...cancelJobs, ...failed.cancelJobs],
    };
  }
  let toStart = verdict.dispatch;
  const targets = deployment.targets.map((target) => {
    if (toStart === 0 || target.status !== DeploymentTargetStatus.Pending) return target;
    toStart -= 1;
    const started = {
      ...target,
      status: DeploymentTargetStatus.InProgress,
      lastUpdatedAt: ctx.now,
    };
    const dispatched = dispatchNextEvent(deployment, started, ctx);
    jobs.push(...dispatched.jobs);
    return dispatched.target;
  });
  return {
    deployment: { ...deployment, targets },
    jobs,
    cancelJobs,
    finished: false,
    changed: true,
  };
}

/** Enqueues the instance's first Pending event, or marks it Succeeded when none is left. */
function dispatchNextEvent(
  deployment: Deployment,
  target: DeploymentTarget,
  ctx: EngineContext,
): { target: DeploymentTarget; jobs: NewJob[] } {
  const next = target.lifecycleEvents.find((e) => e.status === LifecycleEventStatus.Pending);
  if (next === undefined) {
    return {
      target: {
        ...withoutCommand(target),
        status: DeploymentTargetStatus.Succeeded,
        lastUpdatedAt: ctx.now,
      },
      jobs: [],
    };
  }
  const jobId = ctx.newJobId();
  const payload: HostCommandPayload = {
    deploymentId: deployment.deploymentId,
    targetId: target.targetId,
    commandName: next.lifecycleEventName as HostCommandPayload['commandName'],
  };
  return {
    target: { ...target, commandJobId: jobId, lastUpdatedAt: ctx.now },
    jobs: [
      {
        id: jobId,
        queue: hostCommandQueue(deployment.accountId, deployment.region, target.targetId),
        payload: { ...payload },
        // A lapsed lease fails the instance: a half-run hook is never run twice.
        maxAttempts: 1,
      },
    ],
  };
}

function withEvent(
  target: DeploymentTarget,
  index: number,
  event: LifecycleEvent,
): DeploymentTarget {
  return {
    ...target,
    lifecycleEvents: target.lifecycleEvents.map((e, i) => (i === index ? event : e)),
  };
}

/** Ends the instance's current event; a failure fails the instance and skips what is left. */
function finishEvent(
  target: DeploymentTarget,
  index: number,
  status: typeof LifecycleEventStatus.Succeeded | typeof LifecycleEventStatus.Failed,
  diagnostics: LifecycleDiagnostics,
  now: number,
): DeploymentTarget {
  const failed = status === LifecycleEventStatus.Failed;
  const lifecycleEvents = target.lifecycleEvents.map((e, i): LifecycleEvent => {
    if (i === index)
      return { ...e, status, startTime: e.startTime ?? now, endTime: now, diagnostics };
    if (failed && i > index) return { ...e, status: LifecycleEventStatus.Skipped };
    return e;
  });
  if (!failed) return { ...target, lifecycleEvents, lastUpdatedAt: now };
  return {
    ...withoutCommand(target),
    lifecycleEvents,
    status: DeploymentTargetStatus.Failed,
    lastUpdatedAt: now,
  };
}

/**
 * Ends the deployment: instances not started are Skipped; instances in flight are stopped (their
 * command cancelled, the agent kills the hook) and Failed.
 */
function finish(
  deployment: Deployment,
  status: typeof DeploymentStatus.Failed | typeof DeploymentStatus.Stopped,
  errorInformation: DeploymentErrorInformation,
  inFlightMessage: string,
  ctx: EngineContext,
): Advanced {
  const cancelJobs: string[] = [];
  const targets = deployment.targets.map((target): DeploymentTarget => {
    if (target.status === DeploymentTargetStatus.Pending) {
      return {
        ...target,
        status: DeploymentTargetStatus.Skipped,
        lastUpdatedAt: ctx.now,
        lifecycleEvents: target.lifecycleEvents.map((e) => ({
          ...e,
          status: LifecycleEventStatus.Skipped,
        })),
      };
    }
    if (target.status !== DeploymentTargetStatus.InProgress) return target;
    if (target.commandJobId !== undefined) cancelJobs.push(target.commandJobId);
    const current = target.lifecycleEvents.findIndex(
      (e) =>
        e.status === LifecycleEventStatus.Pending || e.status === LifecycleEventStatus.InProgress,
    );
    return finishEvent(
      target,
      Math.max(0, current),
      LifecycleEventStatus.Failed,
      {
        errorCode: LifecycleErrorCode.UnknownError,
        scriptName: '',
        message: inFlightMessage,
        logTail: target.lifecycleEvents[current]?.diagnostics?.logTail ?? '',
      },
      ctx.now,
    );
  });
  return {
    deployment: { ...deployment, status, errorInformation, completeTime: ctx.now, targets },
    jobs: [],
    cancelJobs,
    finished: true,
    changed: true,
  };
}

/** The target with no command running. */
function withoutCommand(target: DeploymentTarget): DeploymentTarget {
  const copy: { -readonly [K in keyof DeploymentTarget]: DeploymentTarget[K] } = { ...target };
  delete copy.commandJobId;
  return copy;
}
