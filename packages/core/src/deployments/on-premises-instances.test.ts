import { describe, expect, it } from 'vitest';
import { AppErrorKind, isAppError, type AppError } from '../errors/app-error.ts';
import {
  onPremisesInstanceAlreadyRegistered,
  onPremisesInstanceNotRegistered,
} from './deployments.errors.ts';
import { onPremisesRegistrationStatus } from './on-premises-instance.model.ts';
import {
  addOnPremisesInstanceTags,
  checkOnPremisesInstanceName,
  deregisterOnPremisesInstance,
  newOnPremisesInstance,
  parseAddOnPremisesTags,
  parseRemoveOnPremisesTags,
  removeOnPremisesInstanceTags,
  type RegisterOnPremisesInstanceInput,
} from './on-premises-instances.ts';

const registered = {
  instanceArn: 'arn:aws:codedeploy:us-east-1:123456789012:instance/AssetTag12010298EX',
  now: 1_700_000_000_000,
};
// The user guide's example, as it states it (register-on-premises-instance-iam-user-arn, step 8).
const docsUserArn = 'arn:aws:iam::80398EXAMPLE:user/CodeDeployUser-OnPrem';

function aRegistration(
  overrides: Partial<RegisterOnPremisesInstanceInput> = {},
): RegisterOnPremisesInstanceInput {
  return { instanceName: 'AssetTag12010298EX', iamUserArn: docsUserArn, ...overrides };
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

function subjectsAndPaths(error: AppError) {
  return error.problems.map((p) => [(p as { subject?: string }).subject, p.path]);
}

describe('RegisterOnPremisesInstance input', () => {
  it('registers the docs example with an IAM user ARN', () => {
    expect(newOnPremisesInstance(aRegistration(), registered)).toEqual({
      instanceName: 'AssetTag12010298EX',
      iamUserArn: docsUserArn,
      instanceArn: registered.instanceArn,
      registerTime: registered.now,
      tags: [],
    });
  });

  it('registers with an IAM session ARN instead', () => {
    const iamSessionArn = 'arn:aws:sts::123456789012:assumed-role/CodeDeployInstanceRole/host-1';
    const instance = newOnPremisesInstance(
      aRegistration({ iamUserArn: undefined, iamSessionArn }),
      registered,
    );
    expect(instance.iamSessionArn).toBe(iamSessionArn);
    expect(instance).not.toHaveProperty('iamUserArn');
  });

  it('accepts a path in the user ARN and another partition', () => {
    const iamUserArn = 'arn:aws-cn:iam::123456789012:user/deploy/hosts/web-1';
    expect(newOnPremisesInstance(aRegistration({ iamUserArn }), registered).iamUserArn).toBe(
      iamUserArn,
    );
  });

  it.each([undefined, null, ''])('refuses a missing name (%s) → InstanceNameRequired', (name) => {
    const error = thrown(() =>
      newOnPremisesInstance(aRegistration({ instanceName: name }), registered),
    );
    expect(error.resource).toBe('instance-name-required');
  });

  it.each([
    ['a MAC address (colons, as the user guide warns)', '00:1B:44:11:3A:B7'],
    ['a space', 'web 1'],
    ['a slash', 'web/1'],
    ['an EC2-style id', 'i-0123456789abcdef0'],
    ['101 characters', 'a'.repeat(101)],
    ['a number', 7],
  ])('refuses a name with %s → InvalidInstanceName', (_what, instanceName) => {
    const error = thrown(() => newOnPremisesInstance(aRegistration({ instanceName }), registered));
    expect(subjectsAndPaths(error)).toEqual([['instance-name', 'instanceName']]);
  });

  it('accepts 100 characters and every allowed symbol', () => {
    for (const instanceName of ['a'.repeat(100), 'A+=,.@_-9', 'I-am-not-ec2']) {
      expect(newOnPremisesInstance(aRegistration({ instanceName }), registered).instanceName).toBe(
        instanceName,
      );
    }
  });

  it('requires an ARN → IamArnRequired', () => {
    const error = thrown(() =>
      newOnPremisesInstance(aRegistration({ iamUserArn: undefined }), registered),
    );
    expect(error.resource).toBe('iam-arn-required');
  });

  it('refuses both ARNs → MultipleIamArnsProvided', () => {
    const error = thrown(() =>
      newOnPremisesInstance(
        aRegistration({
          iamSessionArn: 'arn:aws:sts::123456789012:assumed-role/Role/session',
        }),
        registered,
      ),
    );
    expect(subjectsAndPaths(error)).toEqual([['multiple-iam-arns', 'iamSessionArn']]);
  });

  it.each([
    'arn:aws:iam::123456789012:role/CodeDeployDemoRole',
    'arn:aws:iam::1234:user/short-account',
    'arn:aws:iam::123456789012:user/',
    'arn:aws:iam::123456789012:user/with space',
    'CodeDeployUser-OnPrem',
  ])('refuses the user ARN %s → InvalidIamUserArn', (iamUserArn) => {
    const error = thrown(() => newOnPremisesInstance(aRegistration({ iamUserArn }), registered));
    expect(subjectsAndPaths(error)).toEqual([['iam-user-arn', 'iamUserArn']]);
  });

  it('refuses a user ARN given as the session ARN → InvalidIamSessionArn', () => {
    const error = thrown(() =>
      newOnPremisesInstance(
        aRegistration({ iamUserArn: undefined, iamSessionArn: docsUserArn }),
        registered,
      ),
    );
    expect(error.resource).toBe('iam-session-arn');
  });

  it('reports every problem at once', () => {
    const error = thrown(() =>
      newOnPremisesInstance(
        { instanceName: 'i-1', iamUserArn: 'x', iamSessionArn: 'y' },
        registered,
      ),
    );
    expect(error.resource).toBe('instance-name');
    expect(subjectsAndPaths(error)).toEqual([
      ['instance-name', 'instanceName'],
      ['multiple-iam-arns', 'iamSessionArn'],
      ['iam-user-arn', 'iamUserArn'],
      ['iam-session-arn', 'iamSessionArn'],
    ]);
  });
});

describe('deregistration and names', () => {
  const instance = newOnPremisesInstance(aRegistration(), registered);

  it('deregisters once, keeping the first time', () => {
    const once = deregisterOnPremisesInstance(instance, 5);
    expect(once.deregisterTime).toBe(5);
    expect(onPremisesRegistrationStatus(once)).toBe('Deregistered');
    expect(deregisterOnPremisesInstance(once, 9).deregisterTime).toBe(5);
    expect(onPremisesRegistrationStatus(instance)).toBe('Registered');
  });

  it('checks a name for Get/Deregister', () => {
    expect(() => checkOnPremisesInstanceName('AssetTag12010298EX')).not.toThrow();
    expect(thrown(() => checkOnPremisesInstanceName('a:b')).resource).toBe('instance-name');
  });

  it('reports NotFound and AlreadyExists on the instance subject', () => {
    expect(onPremisesInstanceNotRegistered('x')).toMatchObject({
      kind: AppErrorKind.NotFound,
      resource: 'instance',
    });
    expect(onPremisesInstanceAlreadyRegistered('x')).toMatchObject({
      kind: AppErrorKind.AlreadyExists,
      resource: 'instance',
    });
  });
});

describe('AddTagsToOnPremisesInstances', () => {
  // The user guide's example (step 9), as it states it.
  it('parses the docs example', () => {
    expect(
      parseAddOnPremisesTags({
        instanceNames: ['AssetTag12010298EX'],
        tags: [{ Key: 'Name', Value: 'CodeDeployDemo-OnPrem' }],
      }),
    ).toEqual({
      instanceNames: ['AssetTag12010298EX'],
      tags: [{ Key: 'Name', Value: 'CodeDeployDemo-OnPrem' }],
    });
  });

  it('names each instance once', () => {
    const parsed = parseAddOnPremisesTags({
      instanceNames: ['a', 'a'],
      tags: [{ Key: 'k', Value: 'v' }],
    });
    expect(parsed.instanceNames).toEqual(['a']);
  });

  it.each([
    [{ instanceNames: ['a'] }, [['tag-required', 'tags']]],
    [{ instanceNames: ['a'], tags: [] }, [['tag-required', 'tags']]],
    [{ tags: [{ Key: 'k', Value: 'v' }] }, [['instance-name-required', 'instanceNames']]],
    [
      { instanceNames: [], tags: [{ Key: 'k', Value: 'v' }] },
      [['instance-name-required', 'instanceNames']],
    ],
    [
      { instanceNames: ['a b'], tags: [{ Key: 'k', Value: 'v' }] },
      [['instance-name', 'instanceNames[0]']],
    ],
    [
      { instanceNames: [''], tags: [{ Key: 'k', Value: 'v' }] },
      [['instance-name-required', 'instanceNames[0]']],
    ],
    [{ instanceNames: ['a'], tags: [{ Value: 'v' }] }, [['tag', 'tags[0].Key']]],
    [{ instanceNames: ['a'], tags: [{ Key: '', Value: 'v' }] }, [['tag', 'tags[0].Key']]],
    [{ instanceNames: ['a'], tags: [{ Key: 'k' }] }, [['tag', 'tags[0].Value']]],
    [
      { instanceNames: ['a'], tags: [{ Key: 'k'.repeat(129), Value: 'v' }] },
      [['tag', 'tags[0].Key']],
    ],
    [
      { instanceNames: ['a'], tags: [{ Key: 'k', Value: 'v'.repeat(257) }] },
      [['tag', 'tags[0].Value']],
    ],
    [{ instanceNames: ['a'], tags: ['Name=x'] }, [['tag', 'tags[0]']]],
    [
      {
        instanceNames: ['a'],
        tags: [
          { Key: 'k', Value: '1' },
          { Key: 'k', Value: '2' },
        ],
      },
      [['tag', 'tags[1].Key']],
    ],
  ])('refuses %j', (input, expected) => {
    expect(subjectsAndPaths(thrown(() => parseAddOnPremisesTags(input)))).toEqual(expected);
  });

  it('refuses 11 tags in one call → TagLimitExceeded', () => {
    const tags = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const error = thrown(() => parseAddOnPremisesTags({ instanceNames: ['a'], tags }));
    expect(error.resource).toBe('tag-limit');
  });

  it('refuses 101 instances in one call → InstanceLimitExceeded', () => {
    const instanceNames = Array.from({ length: 101 }, (_, i) => `host-${i}`);
    const error = thrown(() =>
      parseAddOnPremisesTags({ instanceNames, tags: [{ Key: 'k', Value: 'v' }] }),
    );
    expect(error.resource).toBe('instance-limit');
  });

  const instance = newOnPremisesInstance(aRegistration(), registered);

  it('adds tags, replacing the value of a key the instance has', () => {
    const once = addOnPremisesInstanceTags(instance, [
      { Key: 'Name', Value: 'old' },
      { Key: 'env', Value: 'prod' },
    ]);
    expect(addOnPremisesInstanceTags(once, [{ Key: 'Name', Value: 'new' }]).tags).toEqual([
      { Key: 'Name', Value: 'new' },
      { Key: 'env', Value: 'prod' },
    ]);
  });

  it('allows 10 tags on an instance and refuses the 11th → TagLimitExceeded', () => {
    const ten = Array.from({ length: 10 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const full = addOnPremisesInstanceTags(instance, ten);
    expect(full.tags).toHaveLength(10);
    const error = thrown(() => addOnPremisesInstanceTags(full, [{ Key: 'k10', Value: 'v' }]));
    expect([error.kind, error.resource]).toEqual([AppErrorKind.LimitExceeded, 'tag-limit']);
    expect(addOnPremisesInstanceTags(full, [{ Key: 'k0', Value: 'w' }]).tags).toHaveLength(10);
  });
});

describe('RemoveTagsFromOnPremisesInstances', () => {
  const instance = addOnPremisesInstanceTags(newOnPremisesInstance(aRegistration(), registered), [
    { Key: 'Name', Value: 'CodeDeployDemo-OnPrem' },
    { Key: 'env', Value: 'prod' },
  ]);

  it('parses tags with or without a value', () => {
    expect(
      parseRemoveOnPremisesTags({
        instanceNames: ['a'],
        tags: [{ Key: 'Name' }, { Key: 'env', Value: 'prod' }],
      }).tags,
    ).toEqual([{ Key: 'Name' }, { Key: 'env', Value: 'prod' }]);
  });

  it('still requires a key', () => {
    expect(
      subjectsAndPaths(
        thrown(() => parseRemoveOnPremisesTags({ instanceNames: ['a'], tags: [{ Value: 'x' }] })),
      ),
    ).toEqual([['tag', 'tags[0].Key']]);
  });

  it('removes by key and value', () => {
    expect(
      removeOnPremisesInstanceTags(instance, [{ Key: 'Name', Value: 'CodeDeployDemo-OnPrem' }])
        .tags,
    ).toEqual([{ Key: 'env', Value: 'prod' }]);
  });

  it('keeps a tag whose value differs', () => {
    expect(
      removeOnPremisesInstanceTags(instance, [{ Key: 'env', Value: 'dev' }]).tags,
    ).toHaveLength(2);
  });

  it('removes by key alone when no value is given', () => {
    expect(removeOnPremisesInstanceTags(instance, [{ Key: 'env' }]).tags).toEqual([
      { Key: 'Name', Value: 'CodeDeployDemo-OnPrem' },
    ]);
  });
});
