import { describe, expect, it } from 'vitest';
import { AppErrorKind, isAppError, type AppError, type FieldProblem } from '../errors/app-error.ts';
import {
  applyDeploymentGroupUpdate,
  checkDeploymentGroupKey,
  newDeploymentGroup,
  parseDeploymentGroupUpdate,
  type CreateDeploymentGroupInput,
} from './deployment-groups.ts';
import { deploymentGroupAlreadyExists, deploymentGroupNotFound } from './deployments.errors.ts';

const created = { id: 'dg-1' };
const role = 'arn:aws:iam::123456789012:role/CodeDeployDemoRole';

function aGroupInput(
  overrides: Partial<CreateDeploymentGroupInput> = {},
): CreateDeploymentGroupInput {
  return {
    applicationName: 'WordPress_App',
    deploymentGroupName: 'WordPress_DG',
    serviceRoleArn: role,
    onPremisesInstanceTagFilters: [
      { Key: 'Name', Value: 'CodeDeployDemo-OnPrem', Type: 'KEY_AND_VALUE' },
    ],
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

function subjectAndPath(problem: FieldProblem): [string | undefined, string] {
  return [(problem as { subject?: string }).subject, problem.path];
}

function subjectsAndPaths(problems: readonly FieldProblem[]) {
  return problems.map(subjectAndPath);
}

function problemsOf(overrides: Partial<CreateDeploymentGroupInput>) {
  return thrown(() => newDeploymentGroup(aGroupInput(overrides), created)).problems;
}

describe('CreateDeploymentGroup input', () => {
  it('creates a group with CodeDeploy’s defaults', () => {
    expect(newDeploymentGroup(aGroupInput(), created)).toEqual({
      applicationName: 'WordPress_App',
      deploymentGroupId: 'dg-1',
      deploymentGroupName: 'WordPress_DG',
      deploymentConfigName: 'CodeDeployDefault.OneAtATime',
      onPremisesInstanceTagFilters: [
        { Key: 'Name', Value: 'CodeDeployDemo-OnPrem', Type: 'KEY_AND_VALUE' },
      ],
      onPremisesTagSet: { onPremisesTagSetList: [] },
      serviceRoleArn: role,
      triggerConfigurations: [],
      alarmConfiguration: { enabled: false, ignorePollAlarmFailure: false, alarms: [] },
      autoRollbackConfiguration: { enabled: false, events: [] },
      deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
      outdatedInstancesStrategy: 'UPDATE',
      computePlatform: 'Server',
      tags: [],
    });
  });

  // AWS CLI example (deploy create-deployment-group), as the docs state it: EC2 tags and an Auto
  // Scaling group, which Slipway refuses — each with its own path and AWS error.
  it('refuses the EC2 docs example with both problems at once', () => {
    const error = thrown(() =>
      newDeploymentGroup(
        {
          applicationName: 'WordPress_App',
          autoScalingGroups: ['CodeDeployDemo-ASG'],
          deploymentConfigName: 'CodeDeployDefault.OneAtATime',
          deploymentGroupName: 'WordPress_DG',
          ec2TagFilters: [{ Key: 'Name', Value: 'CodeDeployDemo', Type: 'KEY_AND_VALUE' }],
          serviceRoleArn: 'arn:aws:iam::123456789012:role/CodeDeployDemoRole',
        },
        created,
      ),
    );
    expect(error.resource).toBe('ec2-tag');
    expect(subjectsAndPaths(error.problems)).toEqual([
      ['ec2-tag', 'ec2TagFilters'],
      ['auto-scaling-group', 'autoScalingGroups'],
    ]);
  });

  // The older CLI example's placeholder account, as the docs state it.
  it('accepts the docs role ARN with account 80398EXAMPLE', () => {
    const serviceRoleArn = 'arn:aws:iam::80398EXAMPLE:role/CodeDeployDemoRole';
    expect(newDeploymentGroup(aGroupInput({ serviceRoleArn }), created).serviceRoleArn).toBe(
      serviceRoleArn,
    );
  });

  it('accepts empty EC2 and Auto Scaling lists as SDKs send them', () => {
    const group = newDeploymentGroup(
      aGroupInput({
        ec2TagFilters: [],
        autoScalingGroups: [],
        ec2TagSet: { ec2TagSetList: [] },
        ecsServices: [],
      }),
      created,
    );
    expect(group.deploymentGroupName).toBe('WordPress_DG');
  });

  it('keeps every setting it is given', () => {
    const group = newDeploymentGroup(
      aGroupInput({
        deploymentConfigName: 'CodeDeployDefault.AllAtOnce',
        triggerConfigurations: [
          {
            triggerName: 'notify',
            triggerTargetArn: 'arn:aws:sns:us-east-1:123456789012:deployments',
            triggerEvents: ['DeploymentFailure', 'DeploymentFailure', 'InstanceFailure'],
          },
        ],
        alarmConfiguration: {
          enabled: true,
          ignorePollAlarmFailure: true,
          alarms: [{ name: 'high-5xx' }],
        },
        autoRollbackConfiguration: {
          enabled: true,
          events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'],
        },
        deploymentStyle: {
          deploymentType: 'IN_PLACE',
          deploymentOption: 'WITHOUT_TRAFFIC_CONTROL',
        },
        outdatedInstancesStrategy: 'IGNORE',
        tags: [{ Key: 'team', Value: 'web' }],
      }),
      created,
    );
    expect(group).toMatchObject({
      deploymentConfigName: 'CodeDeployDefault.AllAtOnce',
      triggerConfigurations: [
        {
          triggerName: 'notify',
          triggerTargetArn: 'arn:aws:sns:us-east-1:123456789012:deployments',
          triggerEvents: ['DeploymentFailure', 'InstanceFailure'],
        },
      ],
      alarmConfiguration: {
        enabled: true,
        ignorePollAlarmFailure: true,
        alarms: [{ name: 'high-5xx' }],
      },
      autoRollbackConfiguration: {
        enabled: true,
        events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'],
      },
      outdatedInstancesStrategy: 'IGNORE',
      tags: [{ Key: 'team', Value: 'web' }],
    });
  });

  it('keeps a tag set of three groups, dropping members a filter type does not use', () => {
    const group = newDeploymentGroup(
      aGroupInput({
        onPremisesInstanceTagFilters: [],
        onPremisesTagSet: {
          onPremisesTagSetList: [
            [{ Key: 'env', Value: 'ignored', Type: 'KEY_ONLY' }],
            [{ Key: 'ignored', Value: 'blue', Type: 'VALUE_ONLY' }],
            [{ Key: 'Name', Value: 'a' }, { Key: 'Name' }, { Value: 'b' }],
          ],
        },
      }),
      created,
    );
    expect(group.onPremisesTagSet.onPremisesTagSetList).toEqual([
      [{ Key: 'env', Type: 'KEY_ONLY' }],
      [{ Value: 'blue', Type: 'VALUE_ONLY' }],
      [
        { Key: 'Name', Value: 'a', Type: 'KEY_AND_VALUE' },
        { Key: 'Name', Type: 'KEY_ONLY' },
        { Value: 'b', Type: 'VALUE_ONLY' },
      ],
    ]);
  });

  it('allows a group without tags (it targets no instance)', () => {
    const group = newDeploymentGroup(
      aGroupInput({ onPremisesInstanceTagFilters: undefined }),
      created,
    );
    expect(group.onPremisesInstanceTagFilters).toEqual([]);
  });

  it.each([
    [{ applicationName: undefined }, 'application-name-required', 'applicationName'],
    [{ applicationName: 'a b' }, 'application-name', 'applicationName'],
    [{ deploymentGroupName: '' }, 'deployment-group-name-required', 'deploymentGroupName'],
    [{ deploymentGroupName: 'g'.repeat(101) }, 'deployment-group-name', 'deploymentGroupName'],
    [{ deploymentGroupName: 'dg:1' }, 'deployment-group-name', 'deploymentGroupName'],
    [{ deploymentConfigName: 'c'.repeat(101) }, 'deployment-config-name', 'deploymentConfigName'],
    [{ deploymentConfigName: '' }, 'deployment-config-name', 'deploymentConfigName'],
    [{ serviceRoleArn: undefined }, 'role-required', 'serviceRoleArn'],
    [{ serviceRoleArn: 'arn:aws:iam::123456789012:user/alice' }, 'role', 'serviceRoleArn'],
    [{ serviceRoleArn: 'CodeDeployDemoRole' }, 'role', 'serviceRoleArn'],
    [{ onPremisesInstanceTagFilters: 'Name=x' }, 'tag', 'onPremisesInstanceTagFilters'],
    [{ onPremisesInstanceTagFilters: [null] }, 'tag', 'onPremisesInstanceTagFilters[0]'],
    [
      { onPremisesInstanceTagFilters: [{ Key: 'a', Type: 'KEY' }] },
      'tag',
      'onPremisesInstanceTagFilters[0].Type',
    ],
    [
      { onPremisesInstanceTagFilters: [{ Type: 'KEY_ONLY' }] },
      'tag',
      'onPremisesInstanceTagFilters[0].Key',
    ],
    [
      { onPremisesInstanceTagFilters: [{ Key: 'a', Type: 'VALUE_ONLY' }] },
      'tag',
      'onPremisesInstanceTagFilters[0].Value',
    ],
    [
      { onPremisesInstanceTagFilters: [{ Key: 'k'.repeat(129), Type: 'KEY_ONLY' }] },
      'tag',
      'onPremisesInstanceTagFilters[0].Key',
    ],
    [
      {
        onPremisesInstanceTagFilters: [{ Key: 'k', Value: 'v'.repeat(257), Type: 'KEY_AND_VALUE' }],
      },
      'tag',
      'onPremisesInstanceTagFilters[0].Value',
    ],
    [{ onPremisesInstanceTagFilters: [{}] }, 'tag', 'onPremisesInstanceTagFilters[0].Key'],
    [
      { onPremisesInstanceTagFilters: [], onPremisesTagSet: { onPremisesTagSetList: [[]] } },
      'tag',
      'onPremisesTagSet.onPremisesTagSetList[0]',
    ],
    [
      { onPremisesInstanceTagFilters: [], onPremisesTagSet: 'x' },
      'tag',
      'onPremisesTagSet.onPremisesTagSetList',
    ],
    [
      { onPremisesInstanceTagFilters: [], onPremisesTagSet: { onPremisesTagSetList: {} } },
      'tag',
      'onPremisesTagSet.onPremisesTagSetList',
    ],
    [{ ec2TagSet: { ec2TagSetList: [[{ Key: 'a', Type: 'KEY_ONLY' }]] } }, 'ec2-tag', 'ec2TagSet'],
    [{ terminationHookEnabled: true }, 'auto-scaling-group', 'terminationHookEnabled'],
    [
      { loadBalancerInfo: { elbInfoList: [{ name: 'lb' }] } },
      'load-balancer-info',
      'loadBalancerInfo',
    ],
    [
      {
        blueGreenDeploymentConfiguration: {
          deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT' },
        },
      },
      'blue-green-config',
      'blueGreenDeploymentConfiguration',
    ],
    [{ ecsServices: [{ serviceName: 's', clusterName: 'c' }] }, 'ecs-service', 'ecsServices'],
    [{ outdatedInstancesStrategy: 'update' }, 'input', 'outdatedInstancesStrategy'],
    [{ tags: [{ Key: 'aws:x', Value: 'y' }] }, 'tags-to-add', 'tags[0].Key'],
  ] as const)('refuses %j → %s at %s', (overrides, subject, path) => {
    expect(
      problemsOf(overrides as Partial<CreateDeploymentGroupInput>).map(subjectAndPath),
    ).toEqual([[subject, path]]);
  });

  it('refuses tag filters together with a tag set → InvalidOnPremisesTagCombination', () => {
    const error = thrown(() =>
      newDeploymentGroup(
        aGroupInput({
          onPremisesTagSet: { onPremisesTagSetList: [[{ Key: 'env', Type: 'KEY_ONLY' }]] },
        }),
        created,
      ),
    );
    expect(error.resource).toBe('on-premises-tag-combination');
    expect(error.problems.map((p) => p.path)).toEqual(['onPremisesTagSet']);
  });

  it('refuses four tag groups → TagSetListLimitExceeded', () => {
    const group = [{ Key: 'a', Type: 'KEY_ONLY' }];
    const error = thrown(() =>
      newDeploymentGroup(
        aGroupInput({
          onPremisesInstanceTagFilters: [],
          onPremisesTagSet: { onPremisesTagSetList: [group, group, group, group] },
        }),
        created,
      ),
    );
    expect(error.resource).toBe('tag-set-list-limit');
    expect(error.message).toBe(
      'onPremisesTagSet.onPremisesTagSetList: must hold at most 3 tag groups',
    );
  });

  describe('deployment style', () => {
    it('refuses BLUE_GREEN clearly', () => {
      expect(problemsOf({ deploymentStyle: { deploymentType: 'BLUE_GREEN' } })).toEqual([
        {
          subject: 'deployment-style',
          path: 'deploymentStyle.deploymentType',
          message: 'BLUE_GREEN is not supported: Slipway deploys in place',
        },
      ]);
    });

    it('refuses WITH_TRAFFIC_CONTROL clearly', () => {
      expect(
        problemsOf({ deploymentStyle: { deploymentOption: 'WITH_TRAFFIC_CONTROL' } })[0]?.message,
      ).toBe('WITH_TRAFFIC_CONTROL is not supported: Slipway has no load balancer integration');
    });

    it('refuses unknown values with AWS’s choices', () => {
      expect(
        problemsOf({ deploymentStyle: { deploymentType: 'CANARY', deploymentOption: 'NONE' } }).map(
          (p) => p.message,
        ),
      ).toEqual([
        'must be IN_PLACE or BLUE_GREEN',
        'must be WITH_TRAFFIC_CONTROL or WITHOUT_TRAFFIC_CONTROL',
      ]);
    });

    it('refuses a non-object', () => {
      expect(problemsOf({ deploymentStyle: 'IN_PLACE' })[0]?.path).toBe('deploymentStyle');
    });
  });

  describe('triggers', () => {
    const trigger = {
      triggerName: 't',
      triggerTargetArn: 'arn:aws:sns:us-east-2:123456789012:topic',
      triggerEvents: ['DeploymentStart'],
    };

    it.each([
      [{ ...trigger, triggerName: '' }, 'triggerConfigurations[0].triggerName'],
      [
        { ...trigger, triggerTargetArn: 'arn:aws:sqs:us-east-2:123456789012:queue' },
        'triggerConfigurations[0].triggerTargetArn',
      ],
      [{ ...trigger, triggerEvents: [] }, 'triggerConfigurations[0].triggerEvents'],
      [
        { ...trigger, triggerEvents: ['DeploymentExploded'] },
        'triggerConfigurations[0].triggerEvents[0]',
      ],
      ['t', 'triggerConfigurations[0]'],
    ])('refuses %j → InvalidTriggerConfig', (t, path) => {
      expect(problemsOf({ triggerConfigurations: [t] }).map(subjectAndPath)).toEqual([
        ['trigger-config', path],
      ]);
    });

    it('refuses a repeated trigger name', () => {
      expect(problemsOf({ triggerConfigurations: [trigger, trigger] })[0]?.path).toBe(
        'triggerConfigurations[1].triggerName',
      );
    });

    it('refuses 11 triggers → TriggerTargetsLimitExceeded', () => {
      const triggers = Array.from({ length: 11 }, (_, i) => ({ ...trigger, triggerName: `t${i}` }));
      const error = thrown(() =>
        newDeploymentGroup(aGroupInput({ triggerConfigurations: triggers }), created),
      );
      expect(error.resource).toBe('trigger-targets-limit');
    });

    it('refuses a non-list', () => {
      expect(problemsOf({ triggerConfigurations: trigger })[0]?.path).toBe('triggerConfigurations');
    });
  });

  describe('alarms (botocore InvalidAlarmConfigException causes)', () => {
    it.each([
      ['enabled with an empty list', { enabled: true, alarms: [] }, 'alarmConfiguration.alarms'],
      ['enabled with no list', { enabled: true }, 'alarmConfiguration.alarms'],
      ['a null alarm', { alarms: [null] }, 'alarmConfiguration.alarms[0].name'],
      ['an empty name', { alarms: [{ name: '' }] }, 'alarmConfiguration.alarms[0].name'],
      [
        'a 256-character name',
        { alarms: [{ name: 'a'.repeat(256) }] },
        'alarmConfiguration.alarms[0].name',
      ],
      [
        'two alarms of one name',
        { alarms: [{ name: 'a' }, { name: 'a' }] },
        'alarmConfiguration.alarms[1].name',
      ],
      [
        'a non-boolean enabled',
        { enabled: 'yes', alarms: [{ name: 'a' }] },
        'alarmConfiguration.enabled',
      ],
      ['a non-list', { alarms: 'a' }, 'alarmConfiguration.alarms'],
      ['a non-object', 'on', 'alarmConfiguration'],
    ])('refuses %s', (_what, alarmConfiguration, path) => {
      expect(problemsOf({ alarmConfiguration }).map(subjectAndPath)).toEqual([
        ['alarm-config', path],
      ]);
    });

    it('accepts a 255-character name and a disabled configuration without alarms', () => {
      const name = 'a'.repeat(255);
      expect(
        newDeploymentGroup(aGroupInput({ alarmConfiguration: { alarms: [{ name }] } }), created)
          .alarmConfiguration,
      ).toEqual({
        enabled: false,
        ignorePollAlarmFailure: false,
        alarms: [{ name }],
      });
    });

    it('refuses 11 alarms → AlarmsLimitExceeded', () => {
      const alarms = Array.from({ length: 11 }, (_, i) => ({ name: `a${i}` }));
      const error = thrown(() =>
        newDeploymentGroup(aGroupInput({ alarmConfiguration: { alarms } }), created),
      );
      expect(error.resource).toBe('alarms-limit');
    });
  });

  describe('automatic rollback', () => {
    it.each([
      ['enabled with no events', { enabled: true }, 'autoRollbackConfiguration.events'],
      [
        'an unknown event',
        { enabled: true, events: ['DEPLOYMENT_SUCCESS'] },
        'autoRollbackConfiguration.events[0]',
      ],
      ['events not a list', { events: 'DEPLOYMENT_FAILURE' }, 'autoRollbackConfiguration.events'],
      ['a non-object', true, 'autoRollbackConfiguration'],
    ])('refuses %s → InvalidAutoRollbackConfig', (_what, autoRollbackConfiguration, path) => {
      expect(problemsOf({ autoRollbackConfiguration }).map(subjectAndPath)).toEqual([
        ['auto-rollback-config', path],
      ]);
    });

    it('keeps disabled events as given (they apply once enabled)', () => {
      const group = newDeploymentGroup(
        aGroupInput({
          autoRollbackConfiguration: { enabled: false, events: ['DEPLOYMENT_FAILURE'] },
        }),
        created,
      );
      expect(group.autoRollbackConfiguration).toEqual({
        enabled: false,
        events: ['DEPLOYMENT_FAILURE'],
      });
    });
  });

  it('reports every problem at once, answering with the first subject in precedence', () => {
    const error = thrown(() =>
      newDeploymentGroup(
        {
          applicationName: 'WordPress_App',
          deploymentGroupName: 'bad name',
          autoRollbackConfiguration: { enabled: true },
          deploymentStyle: { deploymentType: 'BLUE_GREEN' },
        },
        created,
      ),
    );
    expect(error.kind).toBe(AppErrorKind.InvalidInput);
    expect(error.resource).toBe('deployment-group-name');
    expect(error.problems.map((p) => p.path)).toEqual([
      'deploymentGroupName',
      'serviceRoleArn',
      'autoRollbackConfiguration.events',
      'deploymentStyle.deploymentType',
    ]);
  });

  it('survives hostile shapes without throwing anything but an AppError', () => {
    const hostile = [null, 1, 'x', [], {}, { __proto__: { Key: 'a' } }, [[[]]]];
    for (const value of hostile) {
      for (const member of [
        'onPremisesInstanceTagFilters',
        'onPremisesTagSet',
        'triggerConfigurations',
        'alarmConfiguration',
        'autoRollbackConfiguration',
        'deploymentStyle',
        'tags',
      ] as const) {
        try {
          newDeploymentGroup(
            aGroupInput({ onPremisesInstanceTagFilters: undefined, [member]: value }),
            created,
          );
        } catch (error) {
          expect(isAppError(error)).toBe(true);
        }
      }
    }
  });
});

describe('UpdateDeploymentGroup input', () => {
  const group = newDeploymentGroup(aGroupInput(), created);

  it('changes only the members given and renames', () => {
    const update = parseDeploymentGroupUpdate({
      applicationName: 'WordPress_App',
      currentDeploymentGroupName: 'WordPress_DG',
      newDeploymentGroupName: 'WordPress_DG2',
      deploymentConfigName: 'CodeDeployDefault.HalfAtATime',
    });
    expect(update).toEqual({
      applicationName: 'WordPress_App',
      currentDeploymentGroupName: 'WordPress_DG',
      changes: {
        deploymentConfigName: 'CodeDeployDefault.HalfAtATime',
        deploymentGroupName: 'WordPress_DG2',
      },
    });
    expect(applyDeploymentGroupUpdate(group, update.changes)).toEqual({
      ...group,
      deploymentGroupName: 'WordPress_DG2',
      deploymentConfigName: 'CodeDeployDefault.HalfAtATime',
    });
  });

  it('does not require the service role', () => {
    const update = parseDeploymentGroupUpdate({
      applicationName: 'a',
      currentDeploymentGroupName: 'g',
    });
    expect(update.changes).toEqual({});
  });

  it('requires the current group name', () => {
    expect(thrown(() => parseDeploymentGroupUpdate({ applicationName: 'a' })).problems).toEqual([
      {
        subject: 'deployment-group-name-required',
        path: 'currentDeploymentGroupName',
        message: 'is required',
      },
    ]);
  });

  it('checks the new name', () => {
    const error = thrown(() =>
      parseDeploymentGroupUpdate({
        applicationName: 'a',
        currentDeploymentGroupName: 'g',
        newDeploymentGroupName: 'g/h',
      }),
    );
    expect(error.problems.map((p) => p.path)).toEqual(['newDeploymentGroupName']);
  });

  it('switches from tag filters to a tag set when the same call clears the filters', () => {
    const update = parseDeploymentGroupUpdate({
      applicationName: 'a',
      currentDeploymentGroupName: 'g',
      onPremisesInstanceTagFilters: [],
      onPremisesTagSet: {
        onPremisesTagSetList: [[{ Key: 'env', Value: 'prod', Type: 'KEY_AND_VALUE' }]],
      },
    });
    const updated = applyDeploymentGroupUpdate(group, update.changes);
    expect(updated.onPremisesInstanceTagFilters).toEqual([]);
    expect(updated.onPremisesTagSet.onPremisesTagSetList).toHaveLength(1);
  });

  it('refuses a tag set that would sit beside the group’s tag filters', () => {
    const update = parseDeploymentGroupUpdate({
      applicationName: 'a',
      currentDeploymentGroupName: 'g',
      onPremisesTagSet: { onPremisesTagSetList: [[{ Key: 'env', Type: 'KEY_ONLY' }]] },
    });
    const error = thrown(() => applyDeploymentGroupUpdate(group, update.changes));
    expect([error.kind, error.resource]).toEqual([
      AppErrorKind.InvalidInput,
      'on-premises-tag-combination',
    ]);
  });

  it('refuses what Create refuses', () => {
    const error = thrown(() =>
      parseDeploymentGroupUpdate({
        applicationName: 'a',
        currentDeploymentGroupName: 'g',
        ec2TagFilters: [{ Key: 'Name', Type: 'KEY_ONLY' }],
        serviceRoleArn: 'nope',
      }),
    );
    expect(error.resource).toBe('role');
    expect(error.problems.map((p) => p.path)).toEqual(['ec2TagFilters', 'serviceRoleArn']);
  });
});

describe('deployment group keys and errors', () => {
  it('checks both names for Get/Delete', () => {
    expect(checkDeploymentGroupKey('WordPress_App', 'WordPress_DG')).toEqual({
      applicationName: 'WordPress_App',
      deploymentGroupName: 'WordPress_DG',
    });
    expect(thrown(() => checkDeploymentGroupKey('WordPress_App', undefined)).resource).toBe(
      'deployment-group-name-required',
    );
  });

  it('names the application in NotFound and AlreadyExists', () => {
    expect(deploymentGroupNotFound('App', 'DG').message).toBe(
      "Deployment group 'DG' does not exist in application 'App'",
    );
    expect(deploymentGroupAlreadyExists('App', 'DG').kind).toBe(AppErrorKind.AlreadyExists);
  });
});
