import { expectAppError } from '@slipway/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppErrorKind } from '../errors/app-error.ts';
import {
  deploymentsHarness,
  hostArn,
  registerHosts,
  type DeploymentsHarness,
} from '@slipway/testing';

let h: DeploymentsHarness;

beforeEach(() => {
  h = deploymentsHarness();
});

function register(name: string, arn = hostArn(name)) {
  return h.service.registerOnPremisesInstance(h.scope, { instanceName: name, iamUserArn: arn });
}

async function tag(names: string[], Key: string, Value: string) {
  await h.service.addTagsToOnPremisesInstances(h.scope, {
    instanceNames: names,
    tags: [{ Key, Value }],
  });
}

describe('registration', () => {
  it('registers an instance with its ARN and time', async () => {
    await register('web-1');
    expect(await h.service.getOnPremisesInstance(h.scope, 'web-1')).toEqual({
      instanceName: 'web-1',
      iamUserArn: hostArn('web-1'),
      instanceArn: 'arn:aws:codedeploy:us-east-1:111122223333:instance/web-1',
      registerTime: h.clock.now(),
      tags: [],
    });
  });

  it('refuses a taken name, even deregistered, and an ARN another instance holds', async () => {
    await register('web-1');
    await expectAppError(
      register('web-1', hostArn('other')),
      AppErrorKind.AlreadyExists,
      'instance',
    );
    await expectAppError(
      register('web-2', hostArn('web-1')),
      AppErrorKind.AlreadyExists,
      'iam-user-arn',
    );
    await h.service.deregisterOnPremisesInstance(h.scope, 'web-1');
    await expectAppError(
      register('web-1', hostArn('web-1')),
      AppErrorKind.AlreadyExists,
      'instance',
    );
    // A deregistered instance's ARN is free again.
    await register('web-2', hostArn('web-1'));
  });

  it('deregisters, keeping the first deregistration time', async () => {
    await register('web-1');
    const first = h.clock.now();
    await h.service.deregisterOnPremisesInstance(h.scope, 'web-1');
    h.clock.advance(1000);
    await h.service.deregisterOnPremisesInstance(h.scope, 'web-1');
    expect((await h.service.getOnPremisesInstance(h.scope, 'web-1')).deregisterTime).toBe(first);
    await expectAppError(
      h.service.deregisterOnPremisesInstance(h.scope, 'nope'),
      AppErrorKind.NotFound,
      'instance',
    );
  });

  it('batch-gets the registered names, leaving unknown ones out', async () => {
    await register('a');
    await register('b');
    const found = await h.service.batchGetOnPremisesInstances(h.scope, ['b', 'x', 'a', 'b']);
    expect(found.map((i) => i.instanceName)).toEqual(['b', 'a']);
    await expectAppError(
      h.service.batchGetOnPremisesInstances(h.scope, []),
      AppErrorKind.InvalidInput,
      'instance-name-required',
    );
    await expectAppError(
      h.service.batchGetOnPremisesInstances(h.scope, Array(101).fill('a')),
      AppErrorKind.InvalidInput,
      'batch-limit',
    );
    await expectAppError(
      h.service.batchGetOnPremisesInstances(h.scope, ['i-123']),
      AppErrorKind.InvalidInput,
      'instance-name',
    );
  });
});

describe('tags', () => {
  it('adds and removes tags on registered instances only', async () => {
    await registerHosts(h, ['a', 'b']);
    await tag(['a'], 'role', 'web');
    expect((await h.service.getOnPremisesInstance(h.scope, 'a')).tags).toEqual([
      { Key: 'env', Value: 'prod' },
      { Key: 'role', Value: 'web' },
    ]);
    await h.service.removeTagsFromOnPremisesInstances(h.scope, {
      instanceNames: ['a', 'b'],
      tags: [{ Key: 'env', Value: 'test' }, { Key: 'role' }],
    });
    expect((await h.service.getOnPremisesInstance(h.scope, 'a')).tags).toEqual([
      { Key: 'env', Value: 'prod' },
    ]);
    await h.service.deregisterOnPremisesInstance(h.scope, 'b');
    await expectAppError(tag(['a', 'b'], 'x', 'y'), AppErrorKind.NotFound, 'instance');
    await expectAppError(tag(['a', 'zzz'], 'x', 'y'), AppErrorKind.NotFound, 'instance');
    // Nothing was written: the check covers every instance first.
    expect((await h.service.getOnPremisesInstance(h.scope, 'a')).tags).toEqual([
      { Key: 'env', Value: 'prod' },
    ]);
  });

  it('refuses more than 10 tags on an instance', async () => {
    await register('a');
    for (let i = 0; i < 10; i++) await tag(['a'], `k${i}`, 'v');
    await expectAppError(tag(['a'], 'k10', 'v'), AppErrorKind.LimitExceeded, 'tag-limit');
  });
});

describe('listing', () => {
  beforeEach(async () => {
    await registerHosts(h, ['a', 'b', 'c', 'd']);
    await tag(['a'], 'role', 'web');
    await tag(['b'], 'role', 'db');
    await h.service.deregisterOnPremisesInstance(h.scope, 'c');
  });

  it('lists every instance by name, or by registration status', async () => {
    expect((await h.service.listOnPremisesInstances(h.scope, {})).items).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
    expect(
      (await h.service.listOnPremisesInstances(h.scope, { registrationStatus: 'Deregistered' }))
        .items,
    ).toEqual(['c']);
    expect(
      (await h.service.listOnPremisesInstances(h.scope, { registrationStatus: 'Registered' }))
        .items,
    ).toEqual(['a', 'b', 'd']);
  });

  it('keeps instances matching any tag filter', async () => {
    const page = await h.service.listOnPremisesInstances(h.scope, {
      tagFilters: [
        { Key: 'role', Value: 'web', Type: 'KEY_AND_VALUE' },
        { Value: 'db', Type: 'VALUE_ONLY' },
      ],
    });
    expect(page.items).toEqual(['a', 'b']);
    const keyOnly = await h.service.listOnPremisesInstances(h.scope, {
      registrationStatus: 'Registered',
      tagFilters: [{ Key: 'env', Type: 'KEY_ONLY' }],
    });
    expect(keyOnly.items).toEqual(['a', 'b', 'd']);
  });

  it('refuses a bad registration status or tag filter', async () => {
    await expectAppError(
      h.service.listOnPremisesInstances(h.scope, { registrationStatus: 'Gone' }),
      AppErrorKind.InvalidInput,
      'registration-status',
    );
    await expectAppError(
      h.service.listOnPremisesInstances(h.scope, { tagFilters: [{ Key: 'x', Type: 'NOPE' }] }),
      AppErrorKind.InvalidInput,
      'tag-filter',
    );
    await expectAppError(
      h.service.listOnPremisesInstances(h.scope, { nextToken: 'bad' }),
      AppErrorKind.InvalidInput,
      'next-token',
    );
  });

  it('pages by 100', async () => {
    const many = Array.from({ length: 100 }, (_, i) => `m${String(i).padStart(3, '0')}`);
    for (const name of many) await register(name);
    const first = await h.service.listOnPremisesInstances(h.scope, {});
    expect(first.items).toEqual(['a', 'b', 'c', 'd', ...many.slice(0, 96)]);
    const second = await h.service.listOnPremisesInstances(h.scope, { nextToken: first.nextToken });
    expect(second).toEqual({ items: many.slice(96) });
  });
});
