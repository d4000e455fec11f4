import { describe, expect, it } from 'vitest';
import { codedeployHarness, serviceRoleArn, start } from './codedeploy-harness.ts';

const startSeconds = start / 1000;

describe('CodeDeploy deployment configurations', () => {
  it('creates a custom configuration and answers GetDeploymentConfig in DeploymentConfigInfo', async () => {
    const cd = codedeployHarness();
    const created = await cd.call('CreateDeploymentConfig', {
      deploymentConfigName: 'Team.ThreeQuarters',
      minimumHealthyHosts: { type: 'FLEET_PERCENT', value: 75 },
    });
    expect(
      await cd.call('GetDeploymentConfig', { deploymentConfigName: 'Team.ThreeQuarters' }),
    ).toEqual({
      deploymentConfigInfo: {
        deploymentConfigId: created.deploymentConfigId,
        deploymentConfigName: 'Team.ThreeQuarters',
        minimumHealthyHosts: { type: 'FLEET_PERCENT', value: 75 },
        createTime: startSeconds,
        computePlatform: 'Server',
      },
    });
  });

  it('answers the predefined configurations, OneAtATime as MOST_CONCURRENCY 1', async () => {
    const cd = codedeployHarness();
    const got = await cd.call('GetDeploymentConfig', {
      deploymentConfigName: 'CodeDeployDefault.OneAtATime',
    });
    expect(got.deploymentConfigInfo).toMatchObject({
      deploymentConfigName: 'CodeDeployDefault.OneAtATime',
      minimumHealthyHosts: { type: 'MOST_CONCURRENCY', value: 1 },
      computePlatform: 'Server',
    });
  });

  it('lists the predefined configurations before the custom ones, and deletes a custom one', async () => {
    const cd = codedeployHarness();
    await cd.call('CreateDeploymentConfig', {
      deploymentConfigName: 'Team.Two',
      minimumHealthyHosts: { type: 'HOST_COUNT', value: 2 },
    });
    expect(await cd.call('ListDeploymentConfigs')).toEqual({
      deploymentConfigsList: [
        'CodeDeployDefault.AllAtOnce',
        'CodeDeployDefault.HalfAtATime',
        'CodeDeployDefault.OneAtATime',
        'Team.Two',
      ],
    });
    expect(await cd.call('DeleteDeploymentConfig', { deploymentConfigName: 'Team.Two' })).toEqual(
      {},
    );
    expect((await cd.call('ListDeploymentConfigs')).deploymentConfigsList).not.toContain(
      'Team.Two',
    );
  });

  it('answers DeploymentConfigInUseException for a configuration a group uses', async () => {
    const cd = codedeployHarness();
    await cd.call('CreateApplication', { applicationName: 'shop' });
    await cd.call('CreateDeploymentConfig', {
      deploymentConfigName: 'Team.Two',
      minimumHealthyHosts: { type: 'HOST_COUNT', value: 2 },
    });
    await cd.call('CreateDeploymentGroup', {
      applicationName: 'shop',
      deploymentGroupName: 'web',
      serviceRoleArn,
      deploymentConfigName: 'Team.Two',
    });
    expect(
      (await cd.fail('DeleteDeploymentConfig', { deploymentConfigName: 'Team.Two' })).code,
    ).toBe('DeploymentConfigInUseException');
  });

  it.each([
    [
      'CreateDeploymentConfig',
      { minimumHealthyHosts: { type: 'HOST_COUNT', value: 1 } },
      'DeploymentConfigNameRequiredException',
    ],
    [
      'CreateDeploymentConfig',
      {
        deploymentConfigName: 'x'.repeat(101),
        minimumHealthyHosts: { type: 'HOST_COUNT', value: 1 },
      },
      'InvalidDeploymentConfigNameException',
    ],
    [
      'CreateDeploymentConfig',
      { deploymentConfigName: 'Bad', minimumHealthyHosts: { type: 'FLEET_PERCENT', value: 101 } },
      'InvalidMinimumHealthyHostValueException',
    ],
    [
      'CreateDeploymentConfig',
      {
        deploymentConfigName: 'Bad',
        minimumHealthyHosts: { type: 'HOST_COUNT', value: 1 },
        computePlatform: 'Lambda',
      },
      'InvalidComputePlatformException',
    ],
    [
      'CreateDeploymentConfig',
      {
        deploymentConfigName: 'Bad',
        minimumHealthyHosts: { type: 'HOST_COUNT', value: 1 },
        trafficRoutingConfig: { type: 'AllAtOnce' },
      },
      'InvalidTrafficRoutingConfigurationException',
    ],
    [
      'CreateDeploymentConfig',
      {
        deploymentConfigName: 'Bad',
        minimumHealthyHosts: { type: 'HOST_COUNT', value: 1 },
        zonalConfig: { monitorDurationInSeconds: 60 },
      },
      'InvalidZonalDeploymentConfigurationException',
    ],
    [
      'CreateDeploymentConfig',
      {
        deploymentConfigName: 'CodeDeployDefault.AllAtOnce',
        minimumHealthyHosts: { type: 'HOST_COUNT', value: 1 },
      },
      'DeploymentConfigAlreadyExistsException',
    ],
    [
      'GetDeploymentConfig',
      { deploymentConfigName: 'Team.None' },
      'DeploymentConfigDoesNotExistException',
    ],
    [
      'DeleteDeploymentConfig',
      { deploymentConfigName: 'CodeDeployDefault.AllAtOnce' },
      'InvalidOperationException',
    ],
  ])('%s %j → %s', async (operation, input, code) => {
    const cd = codedeployHarness();
    expect((await cd.fail(operation, input)).code).toBe(code);
  });

  it.each([
    [
      { deploymentConfigName: 'Bad', minimumHealthyHosts: { type: 'HOST_COUNT', value: '2' } },
      "'minimumHealthyHosts.value'",
    ],
    [
      { deploymentConfigName: 'Bad', minimumHealthyHosts: { type: 'HOST_COUNT', value: 1.5 } },
      "'minimumHealthyHosts.value'",
    ],
    [{ deploymentConfigName: ['Bad'] }, "'deploymentConfigName'"],
  ])('a member of the wrong JSON type is a SerializationException: %j', async (input, path) => {
    const cd = codedeployHarness();
    const failure = await cd.fail('CreateDeploymentConfig', input);
    expect(failure.code).toBe('SerializationException');
    expect(failure.message).toContain(path);
  });
});
