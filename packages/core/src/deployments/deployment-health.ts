import { MinimumHealthyHostsType, type MinimumHealthyHosts } from './deployment-config.model.ts';

/**
 * CodeDeploy's in-place health rules for the Server compute platform, as pure functions of a
 * configuration's minimum healthy hosts and the statuses of a deployment's instances. Sources:
 * reference/aws-compat.md §5.5 and §5.7, botocore codedeploy 2014-10-06 `MinimumHealthyHosts`,
 * and the user guide's "CodeDeploy instance health"
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/instances-health.html, archived as
 * awsdocs/aws-codedeploy-user-guide doc_source/instances-health.md).
 *
 * The rules, as implemented:
 * 1. Minimum healthy hosts for a fleet of n: HOST_COUNT v → v; FLEET_PERCENT p → ⌈n·p/100⌉
 *    ("rounding up any fractional instances"); MOST_CONCURRENCY v (OneAtATime) → max(0, n − v).
 * 2. An instance is unhealthy while it is being deployed to and after it failed (§5.5); Unknown
 *    counts as failed. Pending, Succeeded, Skipped and Ready instances are healthy.
 * 3. The deployment takes out as many instances as it can while healthy ≥ minimum: the next
 *    batch is min(pending, healthy − minimum). Called after every change, this refills as
 *    instances finish.
 * 4. It fails as soon as instances remain to deploy and none can be taken out: the healthy count
 *    it could still have (everything but failures) is at or below the minimum. At the start (no
 *    instance touched yet) that is HEALTH_CONSTRAINTS_INVALID — "the overall deployment
 *    immediately fails without deploying the revision to any instances" (instances-health, 95 %
 *    of 10 example); later, HEALTH_CONSTRAINTS. It also fails once succeeded + pending + in
 *    flight can no longer reach the required successes (rule 5).
 * 5. When every instance is done it succeeds iff succeeded ≥ max(minimum, 1): "deployment to at
 *    least one instance must succeed" even with minimum 0. This is what makes a failure on the
 *    last instance still succeed (OneAtATime; "minimum healthy instances: 9" of 10; and "if the
 *    last instance is the second to fail" for 8 of 10): no instance remains to take out, so
 *    rule 4 never fires, and the successes still reach the minimum.
 * 6. A deployment with no instances fails with NO_INSTANCES.
 *
 * Not modelled: instances unhealthy before the deployment starts (the user guide's "does not
 * reduce the number of healthy instances any further" exception), zonal configurations,
 * blue/green.
 */

/** botocore `TargetStatus` (the deprecated `InstanceStatus` has the same values). */
export const DeploymentTargetStatus = {
  Pending: 'Pending',
  InProgress: 'InProgress',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  Skipped: 'Skipped',
  Unknown: 'Unknown',
  Ready: 'Ready',
} as const;
export type DeploymentTargetStatus =
  (typeof DeploymentTargetStatus)[keyof typeof DeploymentTargetStatus];

/** How many of a deployment's instances are in each status (cf. `DeploymentOverview`). */
export type DeploymentTargetCounts = Readonly<Record<DeploymentTargetStatus, number>>;

export function countDeploymentTargets(
  statuses: readonly DeploymentTargetStatus[],
): DeploymentTargetCounts {
  const counts: Record<DeploymentTargetStatus, number> = {
    Pending: 0,
    InProgress: 0,
    Succeeded: 0,
    Failed: 0,
    Skipped: 0,
    Unknown: 0,
    Ready: 0,
  };
  for (const status of statuses) counts[status] += 1;
  return counts;
}

function fleetSize(c: DeploymentTargetCounts): number {
  return c.Pending + c.InProgress + c.Succeeded + c.Failed + c.Skipped + c.Unknown + c.Ready;
}

/** Rule 1: the minimum number of healthy instances for a fleet of `size`. */
export function minimumHealthyHostCount(mhh: MinimumHealthyHosts, size: number): number {
  switch (mhh.type) {
    case MinimumHealthyHostsType.HostCount:
      return mhh.value;
    case MinimumHealthyHostsType.FleetPercent:
      // Integer arithmetic: ⌈size·p/100⌉ without floating-point error.
      return Math.floor((size * mhh.value + 99) / 100);
    case MinimumHealthyHostsType.MostConcurrency:
      return Math.max(0, size - mhh.value);
  }
}

/** Rule 5: how many instances must succeed for the deployment to succeed. */
export function requiredSuccessCount(mhh: MinimumHealthyHosts, size: number): number {
  return Math.max(1, minimumHealthyHostCount(mhh, size));
}

/** Rule 3: how many Pending instances may be started now (0 while none can be taken out). */
export function dispatchableCount(
  mhh: MinimumHealthyHosts,
  counts: DeploymentTargetCounts,
): number {
  const minimum = minimumHealthyHostCount(mhh, fleetSize(counts));
  const healthy = counts.Pending + counts.Succeeded + counts.Skipped + counts.Ready;
  return Math.max(0, Math.min(counts.Pending, healthy - minimum));
}

/** `ErrorInformation.code` values a health verdict can carry (botocore `ErrorCode`). */
export const DeploymentHealthErrorCode = {
  NoInstances: 'NO_INSTANCES',
  HealthConstraintsInvalid: 'HEALTH_CONSTRAINTS_INVALID',
  HealthConstraints: 'HEALTH_CONSTRAINTS',
} as const;
export type DeploymentHealthErrorCode =
  (typeof DeploymentHealthErrorCode)[keyof typeof DeploymentHealthErrorCode];

export type DeploymentHealthVerdict =
  | {
      readonly status: 'InProgress';
      /** Pending instances to start now (rule 3); 0 means wait for those in flight. */
      readonly dispatch: number;
    }
  | { readonly status: 'Succeeded' }
  | {
      readonly status: 'Failed';
      readonly errorCode: DeploymentHealthErrorCode;
      readonly message: string;
    };

/** Where a deployment stands under rules 3–6, given its instances' statuses now. */
export function assessDeploymentHealth(
  mhh: MinimumHealthyHosts,
  counts: DeploymentTargetCounts,
): DeploymentHealthVerdict {
  const size = fleetSize(counts);
  if (size === 0) {
    return failed(
      DeploymentHealthErrorCode.NoInstances,
      'The deployment failed because no instances were found for the deployment group',
    );
  }
  const minimum = minimumHealthyHostCount(mhh, size);
  const required = Math.max(1, minimum);
  const broken = counts.Failed + counts.Unknown;
  const inFlight = counts.InProgress + counts.Ready;
  const untouched = counts.Pending === size;
  if (untouched && size - minimum <= 0) {
    return failed(
      DeploymentHealthErrorCode.HealthConstraintsInvalid,
      `The deployment needs ${minimum} healthy instances out of ${size}, ` +
        'which leaves no instance to deploy to',
    );
  }
  const stuck = counts.Pending > 0 && size - broken - minimum <= 0;
  const unreachable = counts.Succeeded + counts.Pending + inFlight < required;
  if (stuck || unreachable) {
    return failed(
      DeploymentHealthErrorCode.HealthConstraints,
      `The deployment failed: ${broken} of ${size} instances failed, ` +
        `and ${required} must succeed with at least ${minimum} healthy throughout`,
    );
  }
  if (counts.Pending > 0 || inFlight > 0) {
    return { status: 'InProgress', dispatch: dispatchableCount(mhh, counts) };
  }
  return { status: 'Succeeded' };
}

function failed(errorCode: DeploymentHealthErrorCode, message: string): DeploymentHealthVerdict {
  return { status: 'Failed', errorCode, message };
}
