import { describe, expect, it } from 'vitest';
import { accountId, codedeployHarness, start } from './codedeploy-harness.ts';

const startSeconds = start / 1000;
const userArn = (name: string) => `arn:aws:iam::${accountId}:user/${name}`;
const sessionArn = `arn:aws:sts::${accountId}:assumed-role/OnPrem/host-9`;

async function withInstances(...names: string[]) {
  const cd = codedeployHarness();
  for (const instanceName of names) {
    await cd.call('RegisterOnPremisesInstance', {
      instanceName,
      iamUserArn: userArn(instanceName),
    });
  }
  return cd;
}

describe('CodeDeploy on-premises instances', () => {
  it('registers an instance, tags it and answers GetOnPremisesInstance in InstanceInfo', async () => {
    const cd = await withInstances('web-1');
    expect(
      await cd.call('AddTagsToOnPremisesInstances', {
        instanceNames: ['web-1'],
        tags: [{ Key: 'role', Value: 'web' }],
      }),
    ).toEqual({});
    expect(await cd.call('GetOnPremisesInstance', { instanceName: 'web-1' })).toEqual({
      instanceInfo: {
        instanceName: 'web-1',
        iamUserArn: userArn('web-1'),
        instanceArn: `arn:aws:codedeploy:us-east-1:${accountId}:instance/web-1`,
        registerTime: startSeconds,
        tags: [{ Key: 'role', Value: 'web' }],
      },
    });
  });

  it('registers with an IAM session ARN', async () => {
    const cd = codedeployHarness();
    await cd.call('RegisterOnPremisesInstance', {
      instanceName: 'host-9',
      iamSessionArn: sessionArn,
    });
    const got = await cd.call('GetOnPremisesInstance', { instanceName: 'host-9' });
    expect(got.instanceInfo).toMatchObject({ iamSessionArn: sessionArn });
    expect(got.instanceInfo).not.toHaveProperty('iamUserArn');
  });

  it('lists by registration status and tag, batch-gets, untags and deregisters', async () => {
    const cd = await withInstances('web-1', 'web-2', 'db-1');
    await cd.call('AddTagsToOnPremisesInstances', {
      instanceNames: ['web-1', 'web-2'],
      tags: [{ Key: 'role', Value: 'web' }],
    });
    const web = { tagFilters: [{ Key: 'role', Value: 'web', Type: 'KEY_AND_VALUE' }] };
    expect(await cd.call('ListOnPremisesInstances', web)).toEqual({
      instanceNames: ['web-1', 'web-2'],
    });
    await cd.call('RemoveTagsFromOnPremisesInstances', {
      instanceNames: ['web-2'],
      tags: [{ Key: 'role', Value: 'web' }],
    });
    expect(await cd.call('ListOnPremisesInstances', web)).toEqual({ instanceNames: ['web-1'] });
    cd.clock.advance(2000);
    await cd.call('DeregisterOnPremisesInstance', { instanceName: 'db-1' });
    expect(
      await cd.call('ListOnPremisesInstances', { registrationStatus: 'Deregistered' }),
    ).toEqual({ instanceNames: ['db-1'] });
    const batch = await cd.call('BatchGetOnPremisesInstances', {
      instanceNames: ['db-1', 'web-1', 'nobody'],
    });
    const infos = batch.instanceInfos as { instanceName: string; deregisterTime?: number }[];
    expect(infos.map((i) => [i.instanceName, i.deregisterTime])).toEqual([
      ['db-1', startSeconds + 2],
      ['web-1', undefined],
    ]);
  });

  it.each([
    ['RegisterOnPremisesInstance', { iamUserArn: userArn('x') }, 'InstanceNameRequiredException'],
    ['RegisterOnPremisesInstance', { instanceName: 'x' }, 'IamArnRequiredException'],
    [
      'RegisterOnPremisesInstance',
      { instanceName: 'x', iamUserArn: userArn('x'), iamSessionArn: sessionArn },
      'MultipleIamArnsProvidedException',
    ],
    [
      'RegisterOnPremisesInstance',
      { instanceName: 'x', iamUserArn: 'arn:aws:iam::1:role/x' },
      'InvalidIamUserArnException',
    ],
    [
      'RegisterOnPremisesInstance',
      { instanceName: 'x', iamSessionArn: 'session' },
      'InvalidIamSessionArnException',
    ],
    [
      'RegisterOnPremisesInstance',
      { instanceName: 'web-1', iamUserArn: userArn('other') },
      'InstanceNameAlreadyRegisteredException',
    ],
    [
      'RegisterOnPremisesInstance',
      { instanceName: 'web-9', iamUserArn: userArn('web-1') },
      'IamUserArnAlreadyRegisteredException',
    ],
    [
      'RegisterOnPremisesInstance',
      { instanceName: 'bad name!', iamUserArn: userArn('y') },
      'InvalidInstanceNameException',
    ],
    ['GetOnPremisesInstance', { instanceName: 'nobody' }, 'InstanceNotRegisteredException'],
    ['AddTagsToOnPremisesInstances', { instanceNames: ['web-1'] }, 'TagRequiredException'],
    [
      'AddTagsToOnPremisesInstances',
      { instanceNames: ['nobody'], tags: [{ Key: 'k', Value: 'v' }] },
      'InstanceNotRegisteredException',
    ],
    [
      'AddTagsToOnPremisesInstances',
      {
        instanceNames: ['web-1'],
        tags: Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })),
      },
      'TagLimitExceededException',
    ],
    [
      'ListOnPremisesInstances',
      { registrationStatus: 'Gone' },
      'InvalidRegistrationStatusException',
    ],
    [
      'ListOnPremisesInstances',
      { tagFilters: [{ Key: 'k', Type: 'SOMETIMES' }] },
      'InvalidTagFilterException',
    ],
    ['BatchGetOnPremisesInstances', { instanceNames: [] }, 'InstanceNameRequiredException'],
  ])('%s %j → %s', async (operation, input, code) => {
    const cd = await withInstances('web-1');
    expect((await cd.fail(operation, input)).code).toBe(code);
  });

  it.each([
    [
      'RegisterOnPremisesInstance',
      { instanceName: 'x', iamUserArn: [userArn('x')] },
      "'iamUserArn'",
    ],
    ['AddTagsToOnPremisesInstances', { instanceNames: 'web-1', tags: [] }, "'instanceNames'"],
    ['ListOnPremisesInstances', { tagFilters: [{ Key: 'k', Type: 3 }] }, "'tagFilters[0].Type'"],
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
