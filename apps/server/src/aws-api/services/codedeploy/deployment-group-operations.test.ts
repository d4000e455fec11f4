import { describe, expect, it } from 'vitest';
import { codedeployHarness, serviceRoleArn } from './codedeploy-harness.ts';

const webFilter = { Key: 'role', Value: 'web', Type: 'KEY_AND_VALUE' };

async function withApplication() {
  const cd = codedeployHarness();
  await cd.call('CreateApplication', { applicationName: 'shop' });
  return cd;
}

const group = (overrides: Record<string, unknown> = {}) => ({
  applicationName: 'shop',
  deploymentGroupName: 'web',
  serviceRoleArn,
  onPremisesInstanceTagFilters: [webFilter],
  ...overrides,
});

describe('CodeDeploy deployment groups', () => {
  it('creates a group and answers GetDeploymentGroup in DeploymentGroupInfo', async () => {
    const cd = await withApplication();
    const created = await cd.call('CreateDeploymentGroup', group());
    expect(created).toEqual({ deploymentGroupId: expect.any(String) as unknown });
    expect(
      await cd.call('GetDeploymentGroup', { applicationName: 'shop', deploymentGroupName: 'web' }),
    ).toEqual({
      deploymentGroupInfo: {
        applicationName: 'shop',
        deploymentGroupId: created.deploymentGroupId,
        deploymentGroupName: 'web',
        deploymentConfigName: 'CodeDeployDefault.OneAtATime',
        ec2TagFilters: [],
        onPremisesInstanceTagFilters: [webFilter],
        autoScalingGroups: [],
        serviceRoleArn,
        triggerConfigurations: [],
        alarmConfiguration: { enabled: false, ignorePollAlarmFailure: false, alarms: [] },
        autoRollbackConfiguration: { enabled: false, events: [] },
        deploymentStyle: {
          deploymentType: 'IN_PLACE',
          deploymentOption: 'WITHOUT_TRAFFIC_CONTROL',
        },
        outdatedInstancesStrategy: 'UPDATE',
        ec2TagSet: { ec2TagSetList: [] },
        onPremisesTagSet: { onPremisesTagSetList: [] },
        computePlatform: 'Server',
        terminationHookEnabled: false,
      },
    });
  });

  it('batch-gets groups, naming the missing ones in errorMessage', async () => {
    const cd = await withApplication();
    await cd.call('CreateDeploymentGroup', group());
    const batch = await cd.call('BatchGetDeploymentGroups', {
      applicationName: 'shop',
      deploymentGroupNames: ['web', 'api'],
    });
    expect((batch.deploymentGroupsInfo as { deploymentGroupName: string }[]).length).toBe(1);
    expect(batch.errorMessage).toContain('api');
  });

  it('lists, renames and deletes groups', async () => {
    const cd = await withApplication();
    await cd.call('CreateDeploymentGroup', group());
    await cd.call('CreateDeploymentGroup', group({ deploymentGroupName: 'api' }));
    expect(await cd.call('ListDeploymentGroups', { applicationName: 'shop' })).toEqual({
      applicationName: 'shop',
      deploymentGroups: ['api', 'web'],
    });
    expect(
      await cd.call('UpdateDeploymentGroup', {
        applicationName: 'shop',
        currentDeploymentGroupName: 'web',
        newDeploymentGroupName: 'www',
        deploymentConfigName: 'CodeDeployDefault.AllAtOnce',
      }),
    ).toEqual({ hooksNotCleanedUp: [] });
    const renamed = await cd.call('GetDeploymentGroup', {
      applicationName: 'shop',
      deploymentGroupName: 'www',
    });
    expect(renamed.deploymentGroupInfo).toMatchObject({
      deploymentConfigName: 'CodeDeployDefault.AllAtOnce',
      onPremisesInstanceTagFilters: [webFilter],
    });
    expect(
      await cd.call('DeleteDeploymentGroup', {
        applicationName: 'shop',
        deploymentGroupName: 'api',
      }),
    ).toEqual({ hooksNotCleanedUp: [] });
    expect(await cd.call('ListDeploymentGroups', { applicationName: 'shop' })).toEqual({
      applicationName: 'shop',
      deploymentGroups: ['www'],
    });
  });

  it.each([
    [
      'CreateDeploymentGroup',
      group({ applicationName: 'gone' }),
      'ApplicationDoesNotExistException',
    ],
    [
      'CreateDeploymentGroup',
      group({ deploymentGroupName: undefined }),
      'DeploymentGroupNameRequiredException',
    ],
    ['CreateDeploymentGroup', group({ serviceRoleArn: undefined }), 'RoleRequiredException'],
    [
      'CreateDeploymentGroup',
      group({ deploymentConfigName: 'Custom.None' }),
      'DeploymentConfigDoesNotExistException',
    ],
    ['CreateDeploymentGroup', group({ ec2TagFilters: [webFilter] }), 'InvalidEC2TagException'],
    [
      'CreateDeploymentGroup',
      group({ onPremisesInstanceTagFilters: [{ Key: 'k', Type: 'SOME' }] }),
      'InvalidTagException',
    ],
    [
      'CreateDeploymentGroup',
      group({ deploymentStyle: { deploymentType: 'BLUE_GREEN' } }),
      'InvalidDeploymentStyleException',
    ],
    [
      'GetDeploymentGroup',
      { applicationName: 'shop', deploymentGroupName: 'none' },
      'DeploymentGroupDoesNotExistException',
    ],
    [
      'UpdateDeploymentGroup',
      { applicationName: 'shop', currentDeploymentGroupName: 'none' },
      'DeploymentGroupDoesNotExistException',
    ],
    ['ListDeploymentGroups', { applicationName: 'gone' }, 'ApplicationDoesNotExistException'],
  ])('%s %j → %s', async (operation, input, code) => {
    const cd = await withApplication();
    expect((await cd.fail(operation, input)).code).toBe(code);
  });

  it('answers DeploymentGroupAlreadyExistsException for a taken name', async () => {
    const cd = await withApplication();
    await cd.call('CreateDeploymentGroup', group());
    expect((await cd.fail('CreateDeploymentGroup', group())).code).toBe(
      'DeploymentGroupAlreadyExistsException',
    );
  });

  it.each([
    [{ onPremisesInstanceTagFilters: webFilter }, "'onPremisesInstanceTagFilters'"],
    [{ alarmConfiguration: { enabled: 'yes' } }, "'alarmConfiguration.enabled'"],
    [
      { onPremisesTagSet: { onPremisesTagSetList: [webFilter] } },
      "'onPremisesTagSet.onPremisesTagSetList[0]'",
    ],
    [{ terminationHookEnabled: 1 }, "'terminationHookEnabled'"],
  ])('a member of the wrong JSON type is a SerializationException: %j', async (overrides, path) => {
    const cd = await withApplication();
    const failure = await cd.fail('CreateDeploymentGroup', group(overrides));
    expect(failure.code).toBe('SerializationException');
    expect(failure.message).toContain(path);
  });
});
