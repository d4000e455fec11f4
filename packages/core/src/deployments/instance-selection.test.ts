import { describe, expect, it } from 'vitest';
import type { OnPremisesTagFilter } from './deployment-group.model.ts';
import type { DeploymentTag } from './deployment-tags.ts';
import {
  matchesOnPremisesTagFilter,
  selectOnPremisesInstances,
  type OnPremisesTargeting,
} from './instance-selection.ts';
import type { OnPremisesInstance } from './on-premises-instance.model.ts';

function anInstance(
  instanceName: string,
  tags: Record<string, string>,
  overrides: Partial<OnPremisesInstance> = {},
): OnPremisesInstance {
  return {
    instanceName,
    iamUserArn: `arn:aws:iam::123456789012:user/${instanceName}`,
    instanceArn: `arn:aws:codedeploy:us-east-1:123456789012:instance/${instanceName}`,
    registerTime: 0,
    tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    ...overrides,
  };
}

function byFilters(...filters: OnPremisesTagFilter[]): OnPremisesTargeting {
  return { onPremisesInstanceTagFilters: filters, onPremisesTagSet: { onPremisesTagSetList: [] } };
}

function byTagSet(...groups: OnPremisesTagFilter[][]): OnPremisesTargeting {
  return { onPremisesInstanceTagFilters: [], onPremisesTagSet: { onPremisesTagSetList: groups } };
}

const names = (instances: readonly OnPremisesInstance[]) => instances.map((i) => i.instanceName);

describe('tag filter types', () => {
  const tags: DeploymentTag[] = [{ Key: 'Name', Value: 'CodeDeployDemo-OnPrem' }];

  it.each([
    [{ Key: 'Name', Type: 'KEY_ONLY' }, true],
    [{ Key: 'name', Type: 'KEY_ONLY' }, false],
    [{ Key: 'CodeDeployDemo-OnPrem', Type: 'KEY_ONLY' }, false],
    [{ Value: 'CodeDeployDemo-OnPrem', Type: 'VALUE_ONLY' }, true],
    [{ Value: 'Name', Type: 'VALUE_ONLY' }, false],
    [{ Value: 'codedeploydemo-onprem', Type: 'VALUE_ONLY' }, false],
    [{ Key: 'Name', Value: 'CodeDeployDemo-OnPrem', Type: 'KEY_AND_VALUE' }, true],
    [{ Key: 'Name', Value: 'Other', Type: 'KEY_AND_VALUE' }, false],
    [{ Key: 'Other', Value: 'CodeDeployDemo-OnPrem', Type: 'KEY_AND_VALUE' }, false],
  ] as const)('%j matches: %s', (filter, expected) => {
    expect(matchesOnPremisesTagFilter(tags, filter)).toBe(expected);
  });

  it('KEY_AND_VALUE needs key and value on the same tag', () => {
    const split: DeploymentTag[] = [
      { Key: 'Name', Value: 'x' },
      { Key: 'Other', Value: 'CodeDeployDemo-OnPrem' },
    ];
    expect(
      matchesOnPremisesTagFilter(split, {
        Key: 'Name',
        Value: 'CodeDeployDemo-OnPrem',
        Type: 'KEY_AND_VALUE',
      }),
    ).toBe(false);
  });

  it('an empty value matches VALUE_ONLY only for an empty value', () => {
    expect(
      matchesOnPremisesTagFilter([{ Key: 'k', Value: '' }], { Value: 'v', Type: 'VALUE_ONLY' }),
    ).toBe(false);
  });
});

describe('selecting a group’s instances', () => {
  const fleet = [
    anInstance('web-1', { Name: 'web', env: 'prod' }),
    anInstance('web-2', { Name: 'web', env: 'staging' }),
    anInstance('db-1', { Name: 'db', env: 'prod' }),
    anInstance('old-web', { Name: 'web', env: 'prod' }, { deregisterTime: 10 }),
    anInstance('bare', {}),
  ];

  it('tag filters select instances with any of the tags (OR)', () => {
    const targeting = byFilters(
      { Key: 'Name', Value: 'db', Type: 'KEY_AND_VALUE' },
      { Value: 'staging', Type: 'VALUE_ONLY' },
    );
    expect(names(selectOnPremisesInstances(targeting, fleet))).toEqual(['web-2', 'db-1']);
  });

  it('a tag set selects instances matching every group (AND), any filter within one (OR)', () => {
    const targeting = byTagSet(
      [{ Key: 'Name', Value: 'web', Type: 'KEY_AND_VALUE' }],
      [
        { Key: 'env', Value: 'prod', Type: 'KEY_AND_VALUE' },
        { Value: 'qa', Type: 'VALUE_ONLY' },
      ],
    );
    expect(names(selectOnPremisesInstances(targeting, fleet))).toEqual(['web-1']);
  });

  it('a three-group tag set narrows further', () => {
    const targeting = byTagSet(
      [{ Key: 'Name', Type: 'KEY_ONLY' }],
      [{ Key: 'env', Type: 'KEY_ONLY' }],
      [{ Value: 'db', Type: 'VALUE_ONLY' }],
    );
    expect(names(selectOnPremisesInstances(targeting, fleet))).toEqual(['db-1']);
  });

  it('never selects a deregistered instance', () => {
    const targeting = byFilters({ Key: 'Name', Type: 'KEY_ONLY' });
    expect(names(selectOnPremisesInstances(targeting, fleet))).not.toContain('old-web');
  });

  it('a group without tags selects nothing', () => {
    expect(selectOnPremisesInstances(byFilters(), fleet)).toEqual([]);
  });

  it('an empty fleet gives nothing', () => {
    expect(selectOnPremisesInstances(byFilters({ Key: 'Name', Type: 'KEY_ONLY' }), [])).toEqual([]);
  });

  it('keeps the fleet’s order', () => {
    const reversed = [...fleet].reverse();
    const targeting = byFilters({ Value: 'prod', Type: 'VALUE_ONLY' });
    expect(names(selectOnPremisesInstances(targeting, reversed))).toEqual(['db-1', 'web-1']);
  });
});
