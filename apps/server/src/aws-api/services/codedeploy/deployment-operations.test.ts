import { describe, expect, it } from 'vitest';
import {
  accountId,
  codedeployHarness,
  s3Revision,
  serviceRoleArn,
  start,
} from './codedeploy-harness.ts';
import { createCodeDeployService } from './codedeploy-service.ts';

const startSeconds = start / 1000;
const instanceArn = (name: string) => `arn:aws:codedeploy:us-east-1:${accountId}:instance/${name}`;
const deploy = {
  applicationName: 'shop',
  deploymentGroupName: 'web',
  revision: s3Revision('shop/1.zip'),
};

async function withGroup(instances: string[] = ['web-1', 'web-2']) {
  const cd = codedeployHarness();
  await cd.call('CreateApplication', { applicationName: 'shop' });
  await cd.call('CreateDeploymentGroup', {
    applicationName: 'shop',
    deploymentGroupName: 'web',
    serviceRoleArn,
    deploymentConfigName: 'CodeDeployDefault.AllAtOnce',
    onPremisesInstanceTagFilters: [{ Key: 'role', Value: 'web', Type: 'KEY_AND_VALUE' }],
  });
  for (const instanceName of instances) {
    await cd.call('RegisterOnPremisesInstance', {
      instanceName,
      iamUserArn: `arn:aws:iam::${accountId}:user/${instanceName}`,
    });
  }
  if (instances.length > 0) {
    await cd.call('AddTagsToOnPremisesInstances', {
      instanceNames: instances,
      tags: [{ Key: 'role', Value: 'web' }],
    });
  }
  cd.bundles.put('bundles', 'shop/1.zip');
  return cd;
}

async function deployed(instances?: string[]) {
  const cd = await withGroup(instances);
  const { deploymentId } = await cd.call('CreateDeployment', { ...deploy, description: 'first' });
  return { cd, deploymentId: deploymentId as string };
}

describe('CodeDeploy deployments', () => {
  it('creates a deployment and answers GetDeployment in DeploymentInfo', async () => {
    const { cd, deploymentId } = await deployed();
    expect(deploymentId).toMatch(/^d-[A-Z0-9]{9}$/);
    expect(await cd.call('GetDeployment', { deploymentId })).toEqual({
      deploymentInfo: {
        applicationName: 'shop',
        deploymentGroupName: 'web',
        deploymentConfigName: 'CodeDeployDefault.AllAtOnce',
        deploymentId,
        revision: s3Revision('shop/1.zip'),
        status: 'InProgress',
        createTime: startSeconds,
        startTime: startSeconds,
        deploymentOverview: {
          Pending: 0,
          InProgress: 2,
          Succeeded: 0,
          Failed: 0,
          Skipped: 0,
          Ready: 0,
        },
        description: 'first',
        creator: 'user',
        ignoreApplicationStopFailures: false,
        autoRollbackConfiguration: { enabled: false, events: [] },
        updateOutdatedInstancesOnly: false,
        deploymentStyle: {
          deploymentType: 'IN_PLACE',
          deploymentOption: 'WITHOUT_TRAFFIC_CONTROL',
        },
        instanceTerminationWaitTimeStarted: false,
        fileExistsBehavior: 'DISALLOW',
        deploymentStatusMessages: [],
        computePlatform: 'Server',
      },
    });
  });

  it('fails a deployment to a group that matches no instance with NO_INSTANCES', async () => {
    const { cd, deploymentId } = await deployed([]);
    const { deploymentInfo } = await cd.call('GetDeployment', { deploymentId });
    expect(deploymentInfo).toMatchObject({
      status: 'Failed',
      errorInformation: { code: 'NO_INSTANCES' },
      completeTime: startSeconds,
    });
  });

  it('answers the target revision of a group once it deploys', async () => {
    const { cd } = await deployed();
    const got = await cd.call('GetDeploymentGroup', {
      applicationName: 'shop',
      deploymentGroupName: 'web',
    });
    expect(got.deploymentGroupInfo).toMatchObject({ targetRevision: s3Revision('shop/1.zip') });
  });

  it('batch-gets deployments, leaving unknown ids out', async () => {
    const { cd, deploymentId } = await deployed();
    const batch = await cd.call('BatchGetDeployments', {
      deploymentIds: [deploymentId, 'd-AAAAAAAAA'],
    });
    expect(
      (batch.deploymentsInfo as { deploymentId: string }[]).map((d) => d.deploymentId),
    ).toEqual([deploymentId]);
  });

  it('lists deployments by group, status and creation time in epoch seconds', async () => {
    const { cd, deploymentId } = await deployed();
    const list = (input: object) => cd.call('ListDeployments', { ...input });
    expect(await list({ applicationName: 'shop', deploymentGroupName: 'web' })).toEqual({
      deployments: [deploymentId],
    });
    expect(await list({ includeOnlyStatuses: ['Succeeded'] })).toEqual({ deployments: [] });
    expect(
      await list({ createTimeRange: { start: startSeconds - 1, end: startSeconds + 1 } }),
    ).toEqual({ deployments: [deploymentId] });
    expect(await list({ createTimeRange: { start: startSeconds + 0.5 } })).toEqual({
      deployments: [],
    });
  });

  it('stops a deployment, then answers DeploymentAlreadyCompletedException', async () => {
    const { cd, deploymentId } = await deployed();
    expect(await cd.call('StopDeployment', { deploymentId })).toEqual({
      status: 'Succeeded',
      statusMessage: expect.any(String) as unknown,
    });
    const { deploymentInfo } = await cd.call('GetDeployment', { deploymentId });
    expect(deploymentInfo).toMatchObject({ status: 'Stopped' });
    expect((await cd.fail('StopDeployment', { deploymentId })).code).toBe(
      'DeploymentAlreadyCompletedException',
    );
  });

  it.each([
    [{ ...deploy, revision: s3Revision('shop/missing.zip') }, 'RevisionDoesNotExistException'],
    [{ ...deploy, revision: undefined }, 'RevisionRequiredException'],
    [
      { ...deploy, revision: { revisionType: 'String', string: { content: 'x' } } },
      'InvalidRevisionException',
    ],
    [{ ...deploy, applicationName: 'gone' }, 'ApplicationDoesNotExistException'],
    [{ ...deploy, applicationName: undefined }, 'ApplicationNameRequiredException'],
    [{ ...deploy, deploymentGroupName: 'gone' }, 'DeploymentGroupDoesNotExistException'],
    [{ ...deploy, deploymentConfigName: 'Team.None' }, 'DeploymentConfigDoesNotExistException'],
    [{ ...deploy, fileExistsBehavior: 'MERGE' }, 'InvalidFileExistsBehaviorException'],
    [{ ...deploy, description: 'x'.repeat(1001) }, 'DescriptionTooLongException'],
    [
      { ...deploy, targetInstances: { autoScalingGroups: ['asg'] } },
      'InvalidTargetInstancesException',
    ],
  ])('CreateDeployment %j → %s', async (input, code) => {
    const cd = await withGroup();
    expect((await cd.fail('CreateDeployment', input)).code).toBe(code);
  });

  it('refuses a second deployment while one is active with DeploymentLimitExceededException', async () => {
    const { cd } = await deployed();
    expect((await cd.fail('CreateDeployment', deploy)).code).toBe(
      'DeploymentLimitExceededException',
    );
  });

  it.each([
    ['GetDeployment', {}, 'DeploymentIdRequiredException'],
    ['GetDeployment', { deploymentId: 'deploy-1' }, 'InvalidDeploymentIdException'],
    ['GetDeployment', { deploymentId: 'd-AAAAAAAAA' }, 'DeploymentDoesNotExistException'],
    ['BatchGetDeployments', { deploymentIds: [] }, 'DeploymentIdRequiredException'],
    ['ListDeployments', { includeOnlyStatuses: ['Sleeping'] }, 'InvalidDeploymentStatusException'],
    ['ListDeployments', { createTimeRange: { start: 2, end: 1 } }, 'InvalidTimeRangeException'],
    ['ListDeployments', { applicationName: 'gone' }, 'ApplicationDoesNotExistException'],
    ['ListDeployments', { nextToken: 'forged' }, 'InvalidNextTokenException'],
    ['StopDeployment', { deploymentId: 'd-AAAAAAAAA' }, 'DeploymentDoesNotExistException'],
  ])('%s %j → %s', async (operation, input, code) => {
    const cd = codedeployHarness();
    expect((await cd.fail(operation, input)).code).toBe(code);
  });

  it.each([
    ['ListDeployments', { createTimeRange: { start: 'yesterday' } }, "'createTimeRange.start'"],
    ['BatchGetDeployments', { deploymentIds: 'd-AAAAAAAAA' }, "'deploymentIds'"],
    [
      'StopDeployment',
      { deploymentId: 'd-AAAAAAAAA', autoRollbackEnabled: 'true' },
      "'autoRollbackEnabled'",
    ],
    [
      'CreateDeployment',
      { ...deploy, ignoreApplicationStopFailures: 'yes' },
      "'ignoreApplicationStopFailures'",
    ],
    [
      'ListDeploymentTargets',
      { deploymentId: 'd-AAAAAAAAA', targetFilters: { TargetStatus: 'Failed' } },
      "'targetFilters.TargetStatus'",
    ],
  ])(
    '%s with a member of the wrong JSON type is a SerializationException: %j',
    async (operation, input, path) => {
      const cd = codedeployHarness();
      const failure = await cd.fail(operation, input);
      expect(failure.code).toBe('SerializationException');
      expect(failure.message).toContain(path);
    },
  );
});

describe('CodeDeploy deployment targets and instances', () => {
  it('lists targets, filtered by status', async () => {
    const { cd, deploymentId } = await deployed();
    expect(await cd.call('ListDeploymentTargets', { deploymentId })).toEqual({
      targetIds: ['web-1', 'web-2'],
    });
    expect(
      await cd.call('ListDeploymentTargets', {
        deploymentId,
        targetFilters: { TargetStatus: ['Succeeded'] },
      }),
    ).toEqual({ targetIds: [] });
  });

  it('answers BatchGetDeploymentTargets and GetDeploymentTarget as InstanceTargets', async () => {
    const { cd, deploymentId } = await deployed();
    const batch = await cd.call('BatchGetDeploymentTargets', {
      deploymentId,
      targetIds: ['web-2'],
    });
    const target = {
      deploymentTargetType: 'InstanceTarget',
      instanceTarget: {
        deploymentId,
        targetId: 'web-2',
        targetArn: instanceArn('web-2'),
        status: 'InProgress',
        lastUpdatedAt: startSeconds,
        lifecycleEvents: expect.arrayContaining([
          { lifecycleEventName: 'BeforeInstall', status: 'Pending' },
        ]) as unknown,
      },
    };
    expect(batch).toEqual({ deploymentTargets: [target] });
    expect(await cd.call('GetDeploymentTarget', { deploymentId, targetId: 'web-2' })).toEqual({
      deploymentTarget: target,
    });
  });

  it('answers the deprecated instance calls with the instance ARN as instanceId', async () => {
    const { cd, deploymentId } = await deployed();
    expect(await cd.call('ListDeploymentInstances', { deploymentId })).toEqual({
      instancesList: ['web-1', 'web-2'],
    });
    const summary = {
      deploymentId,
      instanceId: instanceArn('web-1'),
      status: 'InProgress',
      lastUpdatedAt: startSeconds,
      lifecycleEvents: expect.any(Array) as unknown,
    };
    expect(await cd.call('GetDeploymentInstance', { deploymentId, instanceId: 'web-1' })).toEqual({
      instanceSummary: summary,
    });
    expect(
      await cd.call('BatchGetDeploymentInstances', {
        deploymentId,
        instanceIds: [instanceArn('web-1')],
      }),
    ).toEqual({ instancesSummary: [summary] });
    // Unknown ids are named in errorMessage, as AWS answers a batch, not refused.
    expect(
      await cd.call('BatchGetDeploymentInstances', {
        deploymentId,
        instanceIds: ['web-1', 'web-9'],
      }),
    ).toEqual({
      instancesSummary: [summary],
      errorMessage: `Instances not in deployment ${deploymentId}: web-9`,
    });
  });

  it.each([
    ['GetDeploymentTarget', { targetId: 'web-9' }, 'DeploymentTargetDoesNotExistException'],
    ['GetDeploymentTarget', {}, 'DeploymentTargetIdRequiredException'],
    ['BatchGetDeploymentTargets', { targetIds: [] }, 'DeploymentTargetIdRequiredException'],
    ['GetDeploymentInstance', { instanceId: 'web-9' }, 'InstanceDoesNotExistException'],
    ['GetDeploymentInstance', {}, 'InstanceIdRequiredException'],
    [
      'ListDeploymentTargets',
      { targetFilters: { Colour: ['Blue'] } },
      'InvalidTargetFilterNameException',
    ],
    [
      'ListDeploymentInstances',
      { instanceStatusFilter: ['Sleeping'] },
      'InvalidInstanceStatusException',
    ],
  ])('%s %j → %s', async (operation, input, code) => {
    const { cd, deploymentId } = await deployed();
    expect((await cd.fail(operation, { deploymentId, ...input })).code).toBe(code);
  });
});

describe('CodeDeploy calls for what Slipway does not deploy', () => {
  it.each([
    'ContinueDeployment',
    'SkipWaitTimeForInstanceTermination',
    'PutLifecycleEventHookExecutionStatus',
  ])(
    '%s answers UnsupportedActionForDeploymentTypeException for an in-place deployment',
    async (operation) => {
      const { cd, deploymentId } = await deployed();
      expect((await cd.fail(operation, { deploymentId })).code).toBe(
        'UnsupportedActionForDeploymentTypeException',
      );
      expect((await cd.fail(operation, { deploymentId: 'd-AAAAAAAAA' })).code).toBe(
        'DeploymentDoesNotExistException',
      );
    },
  );

  it('has no GitHub account tokens', async () => {
    const cd = codedeployHarness();
    expect(await cd.call('ListGitHubAccountTokenNames')).toEqual({ tokenNameList: [] });
    expect((await cd.fail('DeleteGitHubAccountToken', { tokenName: 'gh' })).code).toBe(
      'GitHubAccountTokenDoesNotExistException',
    );
    expect((await cd.fail('DeleteGitHubAccountToken', {})).code).toBe(
      'GitHubAccountTokenNameRequiredException',
    );
  });

  it('serves the tagging calls and leaves DeleteResourcesByExternalId out', () => {
    const { deployments } = codedeployHarness();
    const { operations } = createCodeDeployService({ deployments });
    for (const name of ['TagResource', 'UntagResource', 'ListTagsForResource']) {
      expect(Object.hasOwn(operations, name), name).toBe(true);
    }
    expect(Object.hasOwn(operations, 'DeleteResourcesByExternalId')).toBe(false);
  });
});
