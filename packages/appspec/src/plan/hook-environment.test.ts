import { describe, expect, it } from 'vitest';
import { hookEnvironment, type HookEnvironmentInput } from './hook-environment.ts';

function anInput(overrides: Partial<HookEnvironmentInput> = {}): HookEnvironmentInput {
  return {
    lifecycleEvent: 'BeforeInstall',
    deploymentId: 'd-ABCDEF123',
    applicationName: 'web',
    deploymentGroupName: 'prod',
    deploymentGroupId: '3b5a3e1c-2f55-4a8e-9a3c-1f2e3d4c5b6a',
    revision: { type: 'Other' },
    ...overrides,
  };
}

describe('hookEnvironment', () => {
  it('always sets the five deployment variables', () => {
    expect(hookEnvironment(anInput())).toEqual({
      LIFECYCLE_EVENT: 'BeforeInstall',
      DEPLOYMENT_ID: 'd-ABCDEF123',
      APPLICATION_NAME: 'web',
      DEPLOYMENT_GROUP_NAME: 'prod',
      DEPLOYMENT_GROUP_ID: '3b5a3e1c-2f55-4a8e-9a3c-1f2e3d4c5b6a',
    });
  });

  it('describes an S3 bundle, with the version only for a versioned bucket', () => {
    const env = hookEnvironment(
      anInput({
        revision: {
          type: 'S3',
          bucket: 'revisions',
          key: 'web/app.zip',
          version: 'v1',
          eTag: 'e1',
        },
      }),
    );
    expect(env).toMatchObject({
      BUNDLE_BUCKET: 'revisions',
      BUNDLE_KEY: 'web/app.zip',
      BUNDLE_VERSION: 'v1',
      BUNDLE_ETAG: 'e1',
    });
    const unversioned = hookEnvironment(
      anInput({ revision: { type: 'S3', bucket: 'revisions', key: 'web/app.zip' } }),
    );
    expect(Object.keys(unversioned)).not.toContain('BUNDLE_VERSION');
    expect(Object.keys(unversioned)).not.toContain('BUNDLE_ETAG');
  });

  it('gives a GitHub bundle its commit', () => {
    const env = hookEnvironment(anInput({ revision: { type: 'GitHub', commitId: 'abc123' } }));
    expect(env.BUNDLE_COMMIT).toBe('abc123');
    expect(Object.keys(env)).not.toContain('BUNDLE_BUCKET');
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(hookEnvironment(anInput()))).toBe(true);
  });
});
