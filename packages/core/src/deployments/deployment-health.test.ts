import { describe, expect, it } from 'vitest';
import {
  allAtOnceConfigName,
  findPredefinedDeploymentConfig,
  halfAtATimeConfigName,
  oneAtATimeConfigName,
  type MinimumHealthyHosts,
} from './deployment-config.model.ts';
import {
  assessDeploymentHealth,
  countDeploymentTargets,
  dispatchableCount,
  minimumHealthyHostCount,
  requiredSuccessCount,
  type DeploymentTargetStatus,
} from './deployment-health.ts';

function mhhOf(name: string): MinimumHealthyHosts {
  const config = findPredefinedDeploymentConfig(name);
  if (!config) throw new Error(`no predefined config ${name}`);
  return config.minimumHealthyHosts;
}
const oneAtATime = mhhOf(oneAtATimeConfigName);
const halfAtATime = mhhOf(halfAtATimeConfigName);
const allAtOnce = mhhOf(allAtOnceConfigName);
const hostCount = (value: number): MinimumHealthyHosts => ({ type: 'HOST_COUNT', value });
const fleetPercent = (value: number): MinimumHealthyHosts => ({ type: 'FLEET_PERCENT', value });

interface Run {
  readonly status: 'Succeeded' | 'Failed';
  readonly errorCode: string | undefined;
  /** Instances the deployment started, in order. */
  readonly attempted: number;
  /** The most instances in flight at once. */
  readonly maxInFlight: number;
  readonly succeeded: number;
}

/**
 * Drives a deployment of `size` instances through `assessDeploymentHealth`: starts what the
 * verdict allows, then finishes the oldest in-flight instance, failing those whose start order
 * (0-based) is in `failing`.
 */
function simulate(mhh: MinimumHealthyHosts, size: number, failing: readonly number[] = []): Run {
  const statuses: DeploymentTargetStatus[] = Array.from({ length: size }, () => 'Pending');
  const inFlight: number[] = [];
  let started = 0;
  let maxInFlight = 0;
  for (let step = 0; step < 10 * size + 10; step++) {
    const verdict = assessDeploymentHealth(mhh, countDeploymentTargets(statuses));
    if (verdict.status !== 'InProgress') {
      return {
        status: verdict.status,
        errorCode: verdict.status === 'Failed' ? verdict.errorCode : undefined,
        attempted: started,
        maxInFlight,
        succeeded: statuses.filter((s) => s === 'Succeeded').length,
      };
    }
    for (let i = 0; i < verdict.dispatch; i++) {
      statuses[started] = 'InProgress';
      inFlight.push(started);
      started += 1;
    }
    maxInFlight = Math.max(maxInFlight, inFlight.length);
    const done = inFlight.shift();
    if (done === undefined) throw new Error('the deployment neither progresses nor ends');
    statuses[done] = failing.includes(done) ? 'Failed' : 'Succeeded';
  }
  throw new Error('the deployment does not end');
}

const sizes = [1, 2, 3, 4, 5, 10] as const;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('minimum healthy host count', () => {
  it.each([
    [1, 0],
    [2, 1],
    [3, 2],
    [4, 3],
    [5, 4],
    [10, 9],
  ])('OneAtATime keeps all but one of %i healthy: %i', (size, minimum) => {
    expect(minimumHealthyHostCount(oneAtATime, size)).toBe(minimum);
  });

  it.each([
    [1, 1],
    [2, 1],
    [3, 2],
    [4, 2],
    [5, 3],
    [9, 5],
    [10, 5],
  ])('HalfAtATime rounds half of %i up: %i', (size, minimum) => {
    expect(minimumHealthyHostCount(halfAtATime, size)).toBe(minimum);
  });

  it.each(sizes)('AllAtOnce needs no healthy host of %i', (size) => {
    expect(minimumHealthyHostCount(allAtOnce, size)).toBe(0);
  });

  it('rounds FLEET_PERCENT up without floating-point error', () => {
    expect(minimumHealthyHostCount(fleetPercent(95), 10)).toBe(10);
    expect(minimumHealthyHostCount(fleetPercent(40), 9)).toBe(4);
    expect(minimumHealthyHostCount(fleetPercent(70), 10)).toBe(7);
    expect(minimumHealthyHostCount(fleetPercent(0), 10)).toBe(0);
  });

  it('requires at least one success even with a minimum of 0', () => {
    expect(requiredSuccessCount(allAtOnce, 5)).toBe(1);
    expect(requiredSuccessCount(oneAtATime, 1)).toBe(1);
    expect(requiredSuccessCount(halfAtATime, 9)).toBe(5);
  });
});

describe('batch sizes when every instance succeeds', () => {
  it.each(sizes)('OneAtATime deploys 1 of %i at a time', (size) => {
    expect(simulate(oneAtATime, size)).toMatchObject({ status: 'Succeeded', maxInFlight: 1 });
  });

  it.each([
    [2, 1],
    [3, 1],
    [4, 2],
    [5, 2],
    [10, 5],
  ])('HalfAtATime deploys half of %i, rounded down: %i', (size, batch) => {
    expect(simulate(halfAtATime, size)).toMatchObject({ status: 'Succeeded', maxInFlight: batch });
  });

  it.each(sizes)('AllAtOnce deploys all %i at once', (size) => {
    expect(simulate(allAtOnce, size)).toMatchObject({ status: 'Succeeded', maxInFlight: size });
  });
});

describe('OneAtATime', () => {
  it('fails a single-instance group whose instance fails', () => {
    expect(simulate(oneAtATime, 1, [0])).toMatchObject({
      status: 'Failed',
      errorCode: 'HEALTH_CONSTRAINTS',
    });
  });

  it.each([2, 3, 4, 5, 10])('fails %i hosts at once when the first fails', (size) => {
    expect(simulate(oneAtATime, size, [0])).toMatchObject({ status: 'Failed', attempted: 1 });
  });

  it.each([3, 4, 5, 10])('fails %i hosts when the second-to-last fails', (size) => {
    expect(simulate(oneAtATime, size, [size - 2])).toMatchObject({
      status: 'Failed',
      attempted: size - 1,
    });
  });

  it.each([2, 3, 4, 5, 10])('succeeds on %i hosts when only the last fails', (size) => {
    expect(simulate(oneAtATime, size, [size - 1])).toMatchObject({
      status: 'Succeeded',
      succeeded: size - 1,
    });
  });
});

describe('HalfAtATime', () => {
  it('cannot deploy to a single instance: half of 1 rounded down is 0', () => {
    expect(simulate(halfAtATime, 1)).toMatchObject({
      status: 'Failed',
      errorCode: 'HEALTH_CONSTRAINTS_INVALID',
      attempted: 0,
    });
  });

  it.each([2, 3])('fails %i hosts when the first fails', (size) => {
    expect(simulate(halfAtATime, size, [0])).toMatchObject({ status: 'Failed', attempted: 1 });
  });

  it.each([4, 5, 10])('succeeds on %i hosts when only the first fails', (size) => {
    expect(simulate(halfAtATime, size, [0])).toMatchObject({
      status: 'Succeeded',
      succeeded: size - 1,
    });
  });

  it.each([2, 3, 4, 5, 10])('succeeds on %i hosts when only the last fails', (size) => {
    expect(simulate(halfAtATime, size, [size - 1])).toMatchObject({ status: 'Succeeded' });
  });

  it('fails 4 hosts when both of the first batch fail, without starting more', () => {
    expect(simulate(halfAtATime, 4, [0, 1])).toMatchObject({
      status: 'Failed',
      errorCode: 'HEALTH_CONSTRAINTS',
      attempted: 2,
    });
  });

  it('succeeds on 4 hosts whose first and last fail: 2 successes reach the minimum of 2', () => {
    expect(simulate(halfAtATime, 4, [0, 3])).toMatchObject({ status: 'Succeeded', succeeded: 2 });
  });

  it('fails 10 hosts once a sixth instance fails', () => {
    expect(simulate(halfAtATime, 10, [0, 1, 2, 3, 4, 5])).toMatchObject({ status: 'Failed' });
  });

  it('succeeds on 10 hosts with five failures and five successes', () => {
    expect(simulate(halfAtATime, 10, [5, 6, 7, 8, 9])).toMatchObject({
      status: 'Succeeded',
      succeeded: 5,
    });
  });
});

describe('AllAtOnce', () => {
  it.each(sizes)('fails %i hosts only when every instance fails', (size) => {
    expect(simulate(allAtOnce, size, range(size))).toMatchObject({
      status: 'Failed',
      errorCode: 'HEALTH_CONSTRAINTS',
      attempted: size,
    });
  });

  it.each([2, 3, 4, 5, 10])('succeeds on %i hosts when all but one fail', (size) => {
    expect(simulate(allAtOnce, size, range(size - 1))).toMatchObject({
      status: 'Succeeded',
      succeeded: 1,
    });
  });

  it.each([2, 3, 4, 5, 10])('succeeds on %i hosts when the first fails', (size) => {
    expect(simulate(allAtOnce, size, [0])).toMatchObject({ status: 'Succeeded' });
  });
});

// https://docs.aws.amazon.com/codedeploy/latest/userguide/instances-health.html
// ("Minimum healthy instances and deployments", examples with a deployment group of 10 instances)
describe('the user guide’s instance-health examples (10 instances)', () => {
  it('95%: rounds up to 10, so the deployment fails without deploying to any instance', () => {
    expect(simulate(fleetPercent(95), 10)).toMatchObject({
      status: 'Failed',
      errorCode: 'HEALTH_CONSTRAINTS_INVALID',
      attempted: 0,
    });
  });

  it('9: deploys one instance at a time', () => {
    expect(simulate(hostCount(9), 10)).toMatchObject({ status: 'Succeeded', maxInFlight: 1 });
  });

  it('9: if deployment to any instance fails, the overall deployment fails at once', () => {
    expect(simulate(hostCount(9), 10, [4])).toMatchObject({ status: 'Failed', attempted: 5 });
  });

  it('9: if the last instance fails, the deployment still succeeds', () => {
    expect(simulate(hostCount(9), 10, [9])).toMatchObject({ status: 'Succeeded' });
  });

  it('8: deploys two instances at a time', () => {
    expect(simulate(hostCount(8), 10)).toMatchObject({ status: 'Succeeded', maxInFlight: 2 });
  });

  it('8: if two of these deployments fail, the overall deployment fails at once', () => {
    expect(simulate(hostCount(8), 10, [0, 1])).toMatchObject({ status: 'Failed', attempted: 2 });
  });

  it('8: if the last instance is the second to fail, the deployment still succeeds', () => {
    expect(simulate(hostCount(8), 10, [3, 9])).toMatchObject({ status: 'Succeeded' });
  });

  it('0: deploys to the entire deployment group at once', () => {
    expect(simulate(hostCount(0), 10)).toMatchObject({ status: 'Succeeded', maxInFlight: 10 });
  });

  it('0: fails if no instance is healthy at the end', () => {
    expect(simulate(hostCount(0), 10, range(10))).toMatchObject({ status: 'Failed' });
  });

  it('85%: fails if deployment to a single instance fails (one that is not the last)', () => {
    expect(simulate(fleetPercent(85), 10, [0])).toMatchObject({ status: 'Failed' });
  });
});

// botocore codedeploy 2014-10-06, MinimumHealthyHosts.type documentation;
// https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_MinimumHealthyHosts.html
describe('the API reference’s examples (9 instances)', () => {
  it('HOST_COUNT 6 deploys up to three at a time', () => {
    expect(simulate(hostCount(6), 9)).toMatchObject({ status: 'Succeeded', maxInFlight: 3 });
  });

  it('HOST_COUNT 6 succeeds with six successes and fails with five', () => {
    expect(simulate(hostCount(6), 9, [6, 7, 8])).toMatchObject({ status: 'Succeeded' });
    expect(simulate(hostCount(6), 9, [0, 1, 2, 3])).toMatchObject({ status: 'Failed' });
  });

  it('FLEET_PERCENT 40 deploys up to five at a time and needs four successes', () => {
    expect(simulate(fleetPercent(40), 9)).toMatchObject({ status: 'Succeeded', maxInFlight: 5 });
    expect(simulate(fleetPercent(40), 9, [4, 5, 6, 7, 8])).toMatchObject({
      status: 'Succeeded',
      succeeded: 4,
    });
    expect(simulate(fleetPercent(40), 9, [0, 1, 2, 3, 4, 5])).toMatchObject({
      status: 'Failed',
    });
  });
});

// https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html
// (predefined deployment configurations for an EC2/on-premises compute platform, nine instances)
describe('the user guide’s predefined-configuration examples (9 instances)', () => {
  it('AllAtOnce deploys to all nine at once and succeeds if a single one succeeds', () => {
    expect(simulate(allAtOnce, 9)).toMatchObject({ maxInFlight: 9 });
    expect(simulate(allAtOnce, 9, range(8))).toMatchObject({ status: 'Succeeded' });
    expect(simulate(allAtOnce, 9, range(9))).toMatchObject({ status: 'Failed' });
  });

  it('HalfAtATime deploys up to four at a time and succeeds with five or more', () => {
    expect(simulate(halfAtATime, 9)).toMatchObject({ maxInFlight: 4 });
    expect(simulate(halfAtATime, 9, [5, 6, 7, 8])).toMatchObject({ status: 'Succeeded' });
    expect(simulate(halfAtATime, 9, [0, 1, 2, 3, 4])).toMatchObject({ status: 'Failed' });
  });

  it('OneAtATime with a single instance succeeds only if that instance succeeds', () => {
    expect(simulate(oneAtATime, 1)).toMatchObject({ status: 'Succeeded' });
    expect(simulate(oneAtATime, 1, [0])).toMatchObject({ status: 'Failed' });
  });
});

describe('assessDeploymentHealth', () => {
  const counts = (overrides: Partial<Record<DeploymentTargetStatus, number>>) => ({
    ...countDeploymentTargets([]),
    ...overrides,
  });

  it('fails a deployment with no instances with NO_INSTANCES', () => {
    expect(assessDeploymentHealth(oneAtATime, counts({}))).toMatchObject({
      status: 'Failed',
      errorCode: 'NO_INSTANCES',
    });
  });

  it('waits, starting nothing, while in-flight instances hold the fleet at its minimum', () => {
    expect(assessDeploymentHealth(hostCount(8), counts({ Pending: 8, InProgress: 2 }))).toEqual({
      status: 'InProgress',
      dispatch: 0,
    });
  });

  it('counts Skipped instances as healthy but not as successes', () => {
    expect(dispatchableCount(hostCount(2), counts({ Pending: 2, Skipped: 2 }))).toBe(2);
    expect(assessDeploymentHealth(allAtOnce, counts({ Skipped: 3 }))).toMatchObject({
      status: 'Failed',
    });
    expect(assessDeploymentHealth(allAtOnce, counts({ Skipped: 2, Succeeded: 1 }))).toEqual({
      status: 'Succeeded',
    });
  });

  it('counts Unknown instances as failed', () => {
    expect(assessDeploymentHealth(oneAtATime, counts({ Pending: 3, Unknown: 1 }))).toMatchObject({
      status: 'Failed',
      errorCode: 'HEALTH_CONSTRAINTS',
    });
  });

  it('fails early once the required successes are out of reach', () => {
    expect(
      assessDeploymentHealth(hostCount(3), counts({ Succeeded: 1, InProgress: 1, Failed: 2 })),
    ).toMatchObject({ status: 'Failed', errorCode: 'HEALTH_CONSTRAINTS' });
  });

  it('fails at the start when the minimum is more than the fleet', () => {
    expect(assessDeploymentHealth(hostCount(5), counts({ Pending: 3 }))).toMatchObject({
      status: 'Failed',
      errorCode: 'HEALTH_CONSTRAINTS_INVALID',
    });
  });
});
