import { describe, expect, it } from 'vitest';
import { accountId, codedeployHarness, serviceRoleArn } from './codedeploy-harness.ts';

const arnOf = (resource: string, account = accountId, region = 'us-east-1') =>
  `arn:aws:codedeploy:${region}:${account}:${resource}`;
const appArn = arnOf('application:shop');
const groupArn = arnOf('deploymentgroup:shop/web');

async function withResources() {
  const cd = codedeployHarness();
  await cd.call('CreateApplication', {
    applicationName: 'shop',
    tags: [{ Key: 'team', Value: 'delivery' }],
  });
  await cd.call('CreateDeploymentGroup', {
    applicationName: 'shop',
    deploymentGroupName: 'web',
    serviceRoleArn,
    onPremisesInstanceTagFilters: [{ Key: 'role', Value: 'web', Type: 'KEY_AND_VALUE' }],
    tags: [{ Key: 'tier', Value: 'front' }],
  });
  return cd;
}

describe('CodeDeploy resource tags', () => {
  it('lists the tags given at creation, for an application and a group', async () => {
    const cd = await withResources();
    expect(await cd.call('ListTagsForResource', { ResourceArn: appArn })).toEqual({
      Tags: [{ Key: 'team', Value: 'delivery' }],
    });
    expect(
      await cd.call('ListTagsForResource', { ResourceArn: groupArn, NextToken: 'ignored' }),
    ).toEqual({ Tags: [{ Key: 'tier', Value: 'front' }] });
  });

  it('adds and overwrites tags by key, then removes them, ignoring unknown keys', async () => {
    const cd = await withResources();
    expect(
      await cd.call('TagResource', {
        ResourceArn: appArn,
        Tags: [
          { Key: 'team', Value: 'platform' },
          { Key: 'cost', Value: '42' },
        ],
      }),
    ).toEqual({});
    expect(await cd.call('ListTagsForResource', { ResourceArn: appArn })).toEqual({
      Tags: [
        { Key: 'team', Value: 'platform' },
        { Key: 'cost', Value: '42' },
      ],
    });
    expect(
      await cd.call('UntagResource', { ResourceArn: appArn, TagKeys: ['team', 'absent'] }),
    ).toEqual({});
    expect(await cd.call('ListTagsForResource', { ResourceArn: appArn })).toEqual({
      Tags: [{ Key: 'cost', Value: '42' }],
    });
  });

  it('tags a group without touching its settings', async () => {
    const cd = await withResources();
    await cd.call('TagResource', { ResourceArn: groupArn, Tags: [{ Key: 'env', Value: 'prod' }] });
    await cd.call('UntagResource', { ResourceArn: groupArn, TagKeys: ['tier'] });
    expect(await cd.call('ListTagsForResource', { ResourceArn: groupArn })).toEqual({
      Tags: [{ Key: 'env', Value: 'prod' }],
    });
    const got = await cd.call('GetDeploymentGroup', {
      applicationName: 'shop',
      deploymentGroupName: 'web',
    });
    expect(got.deploymentGroupInfo).toMatchObject({ serviceRoleArn });
  });

  it('refuses more than 50 tags on a resource with InvalidTagsToAddException', async () => {
    const cd = await withResources();
    const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const failed = await cd.fail('TagResource', { ResourceArn: appArn, Tags: tags });
    expect(failed.code).toBe('InvalidTagsToAddException');
    await cd.call('TagResource', { ResourceArn: appArn, Tags: tags.slice(0, 49) });
  });

  it.each([
    ['TagResource', { Tags: [{ Key: 'a', Value: 'b' }] }, 'ResourceArnRequiredException'],
    ['ListTagsForResource', { ResourceArn: '' }, 'ResourceArnRequiredException'],
    ['ListTagsForResource', { ResourceArn: 'shop' }, 'InvalidArnException'],
    ['ListTagsForResource', { ResourceArn: arnOf('application:no such') }, 'InvalidArnException'],
    ['ListTagsForResource', { ResourceArn: arnOf('deploymentgroup:shop') }, 'InvalidArnException'],
    ['ListTagsForResource', { ResourceArn: 'arn:aws:s3:::bundles' }, 'ArnNotSupportedException'],
    ['ListTagsForResource', { ResourceArn: arnOf('instance:i-1') }, 'ArnNotSupportedException'],
    ['ListTagsForResource', { ResourceArn: arnOf('application:gone') }, 'ArnNotSupportedException'],
    [
      'ListTagsForResource',
      { ResourceArn: arnOf('deploymentconfig:CodeDeployDefault.OneAtATime') },
      'ArnNotSupportedException',
    ],
    ['TagResource', { ResourceArn: appArn }, 'TagRequiredException'],
    ['TagResource', { ResourceArn: appArn, Tags: [] }, 'TagRequiredException'],
    ['TagResource', { ResourceArn: appArn, Tags: [{ Key: 'aws:x' }] }, 'InvalidTagsToAddException'],
    ['UntagResource', { ResourceArn: appArn, TagKeys: [] }, 'TagRequiredException'],
    ['UntagResource', { ResourceArn: appArn, TagKeys: [''] }, 'InvalidTagsToAddException'],
    [
      'TagResource',
      { ResourceArn: arnOf('application:gone'), Tags: [{ Key: 'a' }] },
      'ApplicationDoesNotExistException',
    ],
    [
      'UntagResource',
      { ResourceArn: arnOf('deploymentgroup:shop/gone'), TagKeys: ['a'] },
      'DeploymentGroupDoesNotExistException',
    ],
    [
      'UntagResource',
      { ResourceArn: arnOf('deploymentgroup:gone/web'), TagKeys: ['a'] },
      'ApplicationDoesNotExistException',
    ],
    [
      'TagResource',
      { ResourceArn: arnOf('deploymentconfig:Missing'), Tags: [{ Key: 'a' }] },
      'DeploymentConfigDoesNotExistException',
    ],
    [
      'TagResource',
      { ResourceArn: arnOf('deploymentconfig:CodeDeployDefault.AllAtOnce'), Tags: [{ Key: 'a' }] },
      'ArnNotSupportedException',
    ],
  ])('%s %j → %s', async (operation, input, code) => {
    const cd = await withResources();
    expect((await cd.fail(operation, input)).code).toBe(code);
  });

  it("answers another account's or region's resource as one that does not exist", async () => {
    const cd = await withResources();
    const foreign = [
      arnOf('application:shop', '999999999999'),
      arnOf('application:shop', accountId, 'eu-west-1'),
    ];
    for (const ResourceArn of foreign) {
      expect((await cd.fail('TagResource', { ResourceArn, Tags: [{ Key: 'a' }] })).code).toBe(
        'ApplicationDoesNotExistException',
      );
      expect((await cd.fail('ListTagsForResource', { ResourceArn })).code).toBe(
        'ArnNotSupportedException',
      );
    }
  });

  it('answers a member of the wrong type with SerializationException', async () => {
    const cd = await withResources();
    expect((await cd.fail('UntagResource', { ResourceArn: appArn, TagKeys: 'team' })).code).toBe(
      'SerializationException',
    );
  });
});
