import { deploymentsHarness, expectAppError, type DeploymentsHarness } from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppErrorKind } from '../errors/app-error.ts';
import { mergeDeploymentTags, parseDeploymentResourceArn } from './resource-tags.ts';

let h: DeploymentsHarness;
beforeEach(() => {
  h = deploymentsHarness();
});

const arn = (resource: string) => `arn:aws:codedeploy:us-east-1:111122223333:${resource}`;

describe('parseDeploymentResourceArn', () => {
  it('reads applications, deployment groups and configurations with their scope', () => {
    const where = { accountId: '111122223333', region: 'us-east-1' };
    expect(parseDeploymentResourceArn(arn('application:shop'))).toEqual({
      ...where,
      type: 'application',
      applicationName: 'shop',
    });
    expect(parseDeploymentResourceArn(arn('deploymentgroup:shop/web'))).toEqual({
      ...where,
      type: 'deploymentgroup',
      applicationName: 'shop',
      deploymentGroupName: 'web',
    });
    expect(parseDeploymentResourceArn(arn('deploymentconfig:Custom'))).toEqual({
      ...where,
      type: 'deploymentconfig',
      deploymentConfigName: 'Custom',
    });
  });

  it.each([
    [undefined, 'resource-arn-required'],
    ['', 'resource-arn-required'],
    [42, 'arn'],
    ['x'.repeat(1012), 'arn'],
    ['arn:aws:codedeploy', 'arn'],
    [arn('application:'), 'arn'],
    [arn('deploymentgroup:shop/web/extra'), 'arn'],
    ['arn:aws:codedeploy::111122223333:application:shop', 'arn'],
    ['arn:aws:codepipeline:us-east-1:111122223333:pipe', 'arn-not-supported'],
    [arn('instance:host-1'), 'arn-not-supported'],
  ])('refuses %j as %s', (given, subject) => {
    expect(() => parseDeploymentResourceArn(given)).toThrow(
      expect.objectContaining({ kind: AppErrorKind.InvalidInput, resource: subject }) as Error,
    );
  });
});

describe('mergeDeploymentTags', () => {
  it('overwrites by key in place and appends new keys', () => {
    const current = [
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: '2' },
    ];
    expect(
      mergeDeploymentTags(current, [
        { Key: 'c', Value: '3' },
        { Key: 'a', Value: 'x' },
      ]),
    ).toEqual([
      { Key: 'a', Value: 'x' },
      { Key: 'b', Value: '2' },
      { Key: 'c', Value: '3' },
    ]);
  });
});

describe('resource tags', () => {
  it('keeps the tags of an application given at creation and changes them', async () => {
    await h.service.createApplication(h.scope, {
      applicationName: 'shop',
      tags: [{ Key: 'team', Value: 'ops' }],
    });
    const resource = `arn:aws:codedeploy:${h.scope.region}:${h.scope.accountId}:application:shop`;
    await h.service.tagResource(h.scope, { ResourceArn: resource, Tags: [{ Key: 'env' }] });
    await h.service.untagResource(h.scope, { ResourceArn: resource, TagKeys: ['team'] });
    expect(await h.service.listTagsForResource(h.scope, { ResourceArn: resource })).toEqual([
      { Key: 'env', Value: '' },
    ]);
  });

  it('refuses a missing application with NotFound (application)', async () => {
    const resource = `arn:aws:codedeploy:${h.scope.region}:${h.scope.accountId}:application:gone`;
    await expectAppError(
      h.service.untagResource(h.scope, { ResourceArn: resource, TagKeys: ['a'] }),
      AppErrorKind.NotFound,
      'application',
    );
  });
});
