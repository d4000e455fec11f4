import type { Deployment, DeploymentTarget } from '@slipway/core';
import { describe, expect, it } from 'vitest';
import {
  deploymentInfoShape,
  deploymentTargetShape,
  instanceSummaryShape,
} from './deployment-shapes.ts';

const revision = (key: string) => ({
  revisionType: 'S3' as const,
  s3Location: { bucket: 'bundles', key, bundleType: 'zip' as const, eTag: '"e"' },
});

function aTarget(overrides: Partial<DeploymentTarget> = {}): DeploymentTarget {
  return {
    targetId: 'web-1',
    targetArn: 'arn:aws:codedeploy:us-east-1:123456789012:instance/web-1',
    hostIdentifier: 'arn:aws:iam::123456789012:user/web-1',
    status: 'Failed',
    lastUpdatedAt: 1_700_000_003_500,
    lifecycleEvents: [
      {
        lifecycleEventName: 'BeforeInstall',
        status: 'Failed',
        startTime: 1_700_000_001_000,
        endTime: 1_700_000_003_500,
        diagnostics: {
          errorCode: 'ScriptFailed',
          scriptName: 'scripts/install.sh',
          message:
            'Script at specified location: scripts/install.sh run as user root failed with exit code 1',
          logTail: '[stderr]boom\n',
        },
      },
      { lifecycleEventName: 'Install', status: 'Skipped' },
    ],
    ...overrides,
  };
}

function aDeployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    deploymentId: 'd-ROLLBACK1',
    accountId: '123456789012',
    region: 'us-east-1',
    applicationName: 'shop',
    applicationId: 'app-id',
    deploymentGroupName: 'web',
    deploymentGroupId: 'group-id',
    deploymentConfigName: 'CodeDeployDefault.OneAtATime',
    minimumHealthyHosts: { type: 'MOST_CONCURRENCY', value: 1 },
    revision: revision('shop/2.zip'),
    previousRevision: revision('shop/1.zip'),
    status: 'Failed',
    errorInformation: { code: 'HEALTH_CONSTRAINTS', message: 'too few healthy instances' },
    createTime: 1_700_000_000_000,
    startTime: 1_700_000_000_500,
    completeTime: 1_700_000_004_000,
    creator: 'codeDeployRollback',
    ignoreApplicationStopFailures: true,
    fileExistsBehavior: 'OVERWRITE',
    autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
    rollbackInfo: { rollbackTriggeringDeploymentId: 'd-FAILED001', rollbackMessage: 'rolled back' },
    externalId: 'pipeline-action-1',
    targets: [
      aTarget(),
      aTarget({ targetId: 'web-2', status: 'Succeeded' }),
      aTarget({ targetId: 'web-3', status: 'Pending' }),
      aTarget({ targetId: 'web-4', status: 'Skipped' }),
    ],
    version: 3,
    ...overrides,
  };
}

describe('CodeDeploy deployment shapes', () => {
  it('renders DeploymentInfo with the overview counted from its targets, times in seconds', () => {
    expect(JSON.parse(JSON.stringify(deploymentInfoShape(aDeployment())))).toEqual({
      applicationName: 'shop',
      deploymentGroupName: 'web',
      deploymentConfigName: 'CodeDeployDefault.OneAtATime',
      deploymentId: 'd-ROLLBACK1',
      previousRevision: revision('shop/1.zip'),
      revision: revision('shop/2.zip'),
      status: 'Failed',
      errorInformation: { code: 'HEALTH_CONSTRAINTS', message: 'too few healthy instances' },
      createTime: 1_700_000_000,
      startTime: 1_700_000_000.5,
      completeTime: 1_700_000_004,
      deploymentOverview: {
        Pending: 1,
        InProgress: 0,
        Succeeded: 1,
        Failed: 1,
        Skipped: 1,
        Ready: 0,
      },
      creator: 'codeDeployRollback',
      ignoreApplicationStopFailures: true,
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
      updateOutdatedInstancesOnly: false,
      rollbackInfo: {
        rollbackTriggeringDeploymentId: 'd-FAILED001',
        rollbackMessage: 'rolled back',
      },
      deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
      instanceTerminationWaitTimeStarted: false,
      fileExistsBehavior: 'OVERWRITE',
      deploymentStatusMessages: [],
      computePlatform: 'Server',
      externalId: 'pipeline-action-1',
    });
  });

  it('renders an InstanceTarget with its lifecycle events and their diagnostics', () => {
    expect(JSON.parse(JSON.stringify(deploymentTargetShape('d-ROLLBACK1', aTarget())))).toEqual({
      deploymentTargetType: 'InstanceTarget',
      instanceTarget: {
        deploymentId: 'd-ROLLBACK1',
        targetId: 'web-1',
        targetArn: 'arn:aws:codedeploy:us-east-1:123456789012:instance/web-1',
        status: 'Failed',
        lastUpdatedAt: 1_700_000_003.5,
        lifecycleEvents: [
          {
            lifecycleEventName: 'BeforeInstall',
            diagnostics: {
              errorCode: 'ScriptFailed',
              scriptName: 'scripts/install.sh',
              message:
                'Script at specified location: scripts/install.sh run as user root failed with exit code 1',
              logTail: '[stderr]boom\n',
            },
            startTime: 1_700_000_001,
            endTime: 1_700_000_003.5,
            status: 'Failed',
          },
          { lifecycleEventName: 'Install', status: 'Skipped' },
        ],
      },
    });
  });

  it('renders the deprecated InstanceSummary with the instance ARN as instanceId', () => {
    const summary = instanceSummaryShape('d-ROLLBACK1', aTarget());
    expect(summary).toMatchObject({
      deploymentId: 'd-ROLLBACK1',
      instanceId: 'arn:aws:codedeploy:us-east-1:123456789012:instance/web-1',
      status: 'Failed',
      lastUpdatedAt: 1_700_000_003.5,
    });
    expect(summary).not.toHaveProperty('instanceType');
  });
});
