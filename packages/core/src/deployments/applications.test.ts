import { describe, expect, it } from 'vitest';
import { AppErrorKind, isAppError, type AppError } from '../errors/app-error.ts';
import {
  checkApplicationName,
  newDeploymentApplication,
  parseApplicationRename,
  renameDeploymentApplication,
  type CreateApplicationInput,
} from './applications.ts';
import { applicationAlreadyExists, applicationNotFound } from './deployments.errors.ts';

const created = { id: 'app-1', now: 1_700_000_000_000 };

function anApplicationInput(
  overrides: Partial<CreateApplicationInput> = {},
): CreateApplicationInput {
  return { applicationName: 'WordPress_App', ...overrides };
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

describe('CreateApplication input', () => {
  // AWS CLI example (deploy create-application): --application-name WordPress_App
  it('creates the docs example as a Server application', () => {
    expect(newDeploymentApplication(anApplicationInput(), created)).toEqual({
      applicationId: 'app-1',
      applicationName: 'WordPress_App',
      createTime: created.now,
      linkedToGitHub: false,
      computePlatform: 'Server',
      tags: [],
    });
  });

  it('accepts computePlatform Server and every allowed name character', () => {
    const name = 'a-Z_0.9+=,@';
    const app = newDeploymentApplication(
      anApplicationInput({ applicationName: name, computePlatform: 'Server' }),
      created,
    );
    expect(app.applicationName).toBe(name);
  });

  it('accepts a name of exactly 100 characters', () => {
    const name = 'a'.repeat(100);
    expect(
      newDeploymentApplication(anApplicationInput({ applicationName: name }), created)
        .applicationName,
    ).toBe(name);
  });

  it('keeps tags, a missing value becoming empty', () => {
    const app = newDeploymentApplication(
      anApplicationInput({ tags: [{ Key: 'team', Value: 'web' }, { Key: 'solo' }] }),
      created,
    );
    expect(app.tags).toEqual([
      { Key: 'team', Value: 'web' },
      { Key: 'solo', Value: '' },
    ]);
  });

  it.each([undefined, null, ''])(
    'refuses a missing name (%s) → ApplicationNameRequired',
    (name) => {
      const error = thrown(() =>
        newDeploymentApplication(anApplicationInput({ applicationName: name }), created),
      );
      expect(error.kind).toBe(AppErrorKind.InvalidInput);
      expect(error.resource).toBe('application-name-required');
      expect(error.problems).toEqual([
        { subject: 'application-name-required', path: 'applicationName', message: 'is required' },
      ]);
    },
  );

  it.each([
    ['too long', 'a'.repeat(101)],
    ['a colon', 'my:app'],
    ['a space', 'my app'],
    ['a slash', '../etc'],
    ['a newline', 'app\n'],
    ['unicode', 'appé'],
    ['not a string', 42],
    ['an object', { toString: () => 'x' }],
  ])('refuses a name with %s → InvalidApplicationName', (_what, name) => {
    const error = thrown(() =>
      newDeploymentApplication(anApplicationInput({ applicationName: name }), created),
    );
    expect(error.resource).toBe('application-name');
    expect(error.problems[0]?.path).toBe('applicationName');
  });

  it.each(['Lambda', 'ECS'])(
    'refuses the %s platform clearly → InvalidComputePlatform',
    (platform) => {
      const error = thrown(() =>
        newDeploymentApplication(anApplicationInput({ computePlatform: platform }), created),
      );
      expect(error.resource).toBe('compute-platform');
      expect(error.message).toBe(
        `computePlatform: ${platform} is not supported: Slipway deploys to the Server compute platform only`,
      );
    },
  );

  it('refuses an unknown platform → InvalidComputePlatform', () => {
    const error = thrown(() =>
      newDeploymentApplication(anApplicationInput({ computePlatform: 'Kubernetes' }), created),
    );
    expect(error.message).toBe('computePlatform: must be Server, Lambda or ECS');
  });

  it.each([
    ['not a list', { Key: 'a' }, 'tags'],
    ['a null tag', [null], 'tags[0]'],
    ['an empty key', [{ Key: '', Value: 'v' }], 'tags[0].Key'],
    ['a 129-character key', [{ Key: 'k'.repeat(129), Value: 'v' }], 'tags[0].Key'],
    ['a reserved key', [{ Key: 'AWS:owner', Value: 'v' }], 'tags[0].Key'],
    ['a 257-character value', [{ Key: 'k', Value: 'v'.repeat(257) }], 'tags[0].Value'],
    ['a numeric value', [{ Key: 'k', Value: 7 }], 'tags[0].Value'],
    [
      'a repeated key',
      [
        { Key: 'k', Value: '1' },
        { Key: 'k', Value: '2' },
      ],
      'tags[1].Key',
    ],
  ])('refuses tags with %s → InvalidTagsToAdd', (_what, tags, path) => {
    const error = thrown(() => newDeploymentApplication(anApplicationInput({ tags }), created));
    expect(error.resource).toBe('tags-to-add');
    expect(error.problems.map((p) => p.path)).toEqual([path]);
  });

  it('refuses more than 50 tags', () => {
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const error = thrown(() => newDeploymentApplication(anApplicationInput({ tags }), created));
    expect(error.problems).toEqual([
      { subject: 'tags-to-add', path: 'tags', message: 'must hold at most 50 tags' },
    ]);
  });

  it('reports every problem at once, the name first', () => {
    const error = thrown(() =>
      newDeploymentApplication(
        { applicationName: 'bad name', computePlatform: 'ECS', tags: [{ Key: '' }] },
        created,
      ),
    );
    expect(error.resource).toBe('application-name');
    expect(error.problems.map((p) => p.path)).toEqual([
      'applicationName',
      'computePlatform',
      'tags[0].Key',
    ]);
  });
});

describe('application names for Get/Delete', () => {
  it('passes a valid name', () => {
    expect(() => checkApplicationName('WordPress_App')).not.toThrow();
  });

  it('names the required error for a missing name', () => {
    expect(thrown(() => checkApplicationName(undefined)).resource).toBe(
      'application-name-required',
    );
  });
});

describe('UpdateApplication (rename)', () => {
  // AWS CLI example (deploy update-application): WordPress_App → My_WordPress_App
  it('parses the docs example', () => {
    expect(
      parseApplicationRename({
        applicationName: 'WordPress_App',
        newApplicationName: 'My_WordPress_App',
      }),
    ).toEqual({
      applicationName: 'WordPress_App',
      newApplicationName: 'My_WordPress_App',
    });
  });

  it('requires both names', () => {
    const error = thrown(() => parseApplicationRename({}));
    expect(error.resource).toBe('application-name-required');
    expect(error.problems.map((p) => p.path)).toEqual(['applicationName', 'newApplicationName']);
  });

  it('checks the new name like any other', () => {
    const error = thrown(() =>
      parseApplicationRename({ applicationName: 'a', newApplicationName: 'b c' }),
    );
    expect(error.resource).toBe('application-name');
    expect(error.problems.map((p) => p.path)).toEqual(['newApplicationName']);
  });

  it('keeps the id, time and tags when renaming', () => {
    const app = newDeploymentApplication(
      anApplicationInput({ tags: [{ Key: 'a', Value: 'b' }] }),
      created,
    );
    expect(renameDeploymentApplication(app, 'New')).toEqual({ ...app, applicationName: 'New' });
  });
});

describe('application errors', () => {
  it('reports a missing application as NotFound on the application subject', () => {
    const error = applicationNotFound('Nope');
    expect([error.kind, error.resource, error.message]).toEqual([
      AppErrorKind.NotFound,
      'application',
      "Application 'Nope' does not exist",
    ]);
  });

  it('reports a taken name as AlreadyExists on the application subject', () => {
    const error = applicationAlreadyExists('Taken');
    expect([error.kind, error.resource]).toEqual([AppErrorKind.AlreadyExists, 'application']);
  });
});
