import { describe, expect, it } from 'vitest';
import { AppErrorKind, isAppError, type AppError } from '../errors/app-error.ts';
import {
  defaultDeploymentConfigName,
  findPredefinedDeploymentConfig,
  predefinedDeploymentConfigs,
} from './deployment-config.model.ts';
import {
  checkDeletableDeploymentConfig,
  checkDeploymentConfigName,
  newDeploymentConfig,
  type DeploymentConfigInput,
} from './deployment-configs.ts';

const created = { id: 'dc-1', now: 1_700_000_000_000 };

function aConfigInput(overrides: Partial<DeploymentConfigInput> = {}): DeploymentConfigInput {
  return {
    deploymentConfigName: 'ThreeQuartersHealthy',
    minimumHealthyHosts: { type: 'FLEET_PERCENT', value: 75 },
    ...overrides,
  };
}

function thrown(action: () => unknown): AppError {
  try {
    action();
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('predefined deployment configurations', () => {
  // reference/aws-compat.md §5.5; botocore MinimumHealthyHosts.type documentation.
  it('has exactly the three Server configurations with AWS’s values', () => {
    expect(
      predefinedDeploymentConfigs.map((c) => [c.name, c.minimumHealthyHosts, c.computePlatform]),
    ).toEqual([
      ['CodeDeployDefault.OneAtATime', { type: 'MOST_CONCURRENCY', value: 1 }, 'Server'],
      ['CodeDeployDefault.HalfAtATime', { type: 'FLEET_PERCENT', value: 50 }, 'Server'],
      ['CodeDeployDefault.AllAtOnce', { type: 'HOST_COUNT', value: 0 }, 'Server'],
    ]);
  });

  it('defaults to OneAtATime', () => {
    expect(findPredefinedDeploymentConfig(defaultDeploymentConfigName)?.name).toBe(
      'CodeDeployDefault.OneAtATime',
    );
  });

  it('finds nothing for a custom name', () => {
    expect(findPredefinedDeploymentConfig('ThreeQuartersHealthy')).toBeUndefined();
  });
});

describe('CreateDeploymentConfig input', () => {
  it('creates a Server configuration', () => {
    expect(newDeploymentConfig(aConfigInput(), created)).toEqual({
      name: 'ThreeQuartersHealthy',
      id: 'dc-1',
      minimumHealthyHosts: { type: 'FLEET_PERCENT', value: 75 },
      computePlatform: 'Server',
      createTime: created.now,
      predefined: false,
    });
  });

  it.each([
    ['HOST_COUNT', 0],
    ['HOST_COUNT', 100],
    ['FLEET_PERCENT', 0],
    ['FLEET_PERCENT', 100],
  ])('accepts %s %i', (type, value) => {
    const config = newDeploymentConfig(
      aConfigInput({ minimumHealthyHosts: { type, value } }),
      created,
    );
    expect(config.minimumHealthyHosts).toEqual({ type, value });
  });

  it('accepts an explicit Server compute platform', () => {
    expect(newDeploymentConfig(aConfigInput({ computePlatform: 'Server' }), created)).toMatchObject(
      {
        computePlatform: 'Server',
      },
    );
  });

  it.each([undefined, ''])('refuses the name %j with the name-required subject', (name) => {
    const error = thrown(() =>
      newDeploymentConfig(aConfigInput({ deploymentConfigName: name }), created),
    );
    expect(error.kind).toBe(AppErrorKind.InvalidInput);
    expect(error.resource).toBe('deployment-config-name-required');
    expect(error.problems).toMatchObject([{ path: 'deploymentConfigName' }]);
  });

  it('refuses a name over 100 characters', () => {
    const error = thrown(() =>
      newDeploymentConfig(aConfigInput({ deploymentConfigName: 'x'.repeat(101) }), created),
    );
    expect(error.resource).toBe('deployment-config-name');
  });

  it('accepts a name of 100 characters', () => {
    const name = 'x'.repeat(100);
    expect(newDeploymentConfig(aConfigInput({ deploymentConfigName: name }), created).name).toBe(
      name,
    );
  });

  it.each([
    ['missing', undefined, 'minimumHealthyHosts'],
    ['an unknown type', { type: 'PERCENT', value: 5 }, 'minimumHealthyHosts.type'],
    ['MOST_CONCURRENCY', { type: 'MOST_CONCURRENCY', value: 1 }, 'minimumHealthyHosts.type'],
    ['no type', { value: 5 }, 'minimumHealthyHosts.type'],
    ['no value', { type: 'HOST_COUNT' }, 'minimumHealthyHosts.value'],
    ['a negative count', { type: 'HOST_COUNT', value: -1 }, 'minimumHealthyHosts.value'],
    ['a fraction', { type: 'HOST_COUNT', value: 1.5 }, 'minimumHealthyHosts.value'],
    ['over 100 %', { type: 'FLEET_PERCENT', value: 101 }, 'minimumHealthyHosts.value'],
  ])('refuses minimumHealthyHosts %s', (_what, minimumHealthyHosts, path) => {
    const error = thrown(() => newDeploymentConfig(aConfigInput({ minimumHealthyHosts }), created));
    expect(error.kind).toBe(AppErrorKind.InvalidInput);
    expect(error.resource).toBe('minimum-healthy-hosts');
    expect(error.problems.map((p) => p.path)).toEqual([path]);
  });

  it.each(['Lambda', 'ECS', 'Windows'])('refuses computePlatform %s', (computePlatform) => {
    const error = thrown(() => newDeploymentConfig(aConfigInput({ computePlatform }), created));
    expect(error.resource).toBe('compute-platform');
    expect(error.problems).toMatchObject([{ path: 'computePlatform' }]);
  });

  it('refuses a traffic routing configuration for Server', () => {
    const error = thrown(() =>
      newDeploymentConfig(aConfigInput({ trafficRoutingConfig: { type: 'AllAtOnce' } }), created),
    );
    expect(error.resource).toBe('traffic-routing-config');
  });

  it('refuses a zonal configuration, which Slipway does not implement', () => {
    const error = thrown(() =>
      newDeploymentConfig(aConfigInput({ zonalConfig: { monitorDurationInSeconds: 60 } }), created),
    );
    expect(error.resource).toBe('zonal-config');
  });

  it('reports every problem at once, the name first', () => {
    const error = thrown(() =>
      newDeploymentConfig(
        {
          deploymentConfigName: '',
          minimumHealthyHosts: { type: 'NOPE', value: -3 },
          zonalConfig: {},
        },
        created,
      ),
    );
    expect(error.resource).toBe('deployment-config-name-required');
    expect(error.problems.map((p) => p.path)).toEqual([
      'deploymentConfigName',
      'minimumHealthyHosts.type',
      'minimumHealthyHosts.value',
      'zonalConfig',
    ]);
  });

  it.each(['CodeDeployDefault.OneAtATime', 'CodeDeployDefault.LambdaAllAtOnce'])(
    'refuses the predefined name %s with AlreadyExists',
    (name) => {
      const error = thrown(() =>
        newDeploymentConfig(aConfigInput({ deploymentConfigName: name }), created),
      );
      expect(error.kind).toBe(AppErrorKind.AlreadyExists);
      expect(error.resource).toBe('deployment-config');
    },
  );
});

describe('deployment configuration names in Get and Delete', () => {
  it('accepts a custom name', () => {
    expect(() => checkDeploymentConfigName('ThreeQuartersHealthy')).not.toThrow();
    expect(() => checkDeletableDeploymentConfig('ThreeQuartersHealthy')).not.toThrow();
  });

  it('refuses a missing name', () => {
    expect(thrown(() => checkDeploymentConfigName(undefined)).resource).toBe(
      'deployment-config-name-required',
    );
  });

  it.each(['CodeDeployDefault.OneAtATime', 'CodeDeployDefault.ECSAllAtOnce'])(
    'refuses to delete the predefined %s (InvalidOperationException)',
    (name) => {
      const error = thrown(() => checkDeletableDeploymentConfig(name));
      expect(error.kind).toBe(AppErrorKind.InvalidInput);
      expect(error.resource).toBe('predefined-deployment-config');
    },
  );
});
