import { describe, expect, it } from 'vitest';
import {
  builtinVariables,
  webhookTrigger,
  type BuiltinVariablesInput,
} from './builtin-variables.ts';

const input = (overrides: Partial<BuiltinVariablesInput> = {}): BuiltinVariablesInput => ({
  region: 'eu-west-1',
  buildId: 'demo:0b5c6f0e-1111-2222-3333-444455556666',
  buildArn:
    'arn:aws:codebuild:eu-west-1:123456789012:build/demo:0b5c6f0e-1111-2222-3333-444455556666',
  buildNumber: 42,
  image: 'aws/codebuild/standard:7.0',
  initiator: 'alice',
  srcDir: '/codebuild/output/src1/src',
  startTime: 1_700_000_000_000,
  ...overrides,
});

describe('builtinVariables', () => {
  it('sets the required variables and leaves optional ones unset', () => {
    expect(builtinVariables(input())).toEqual({
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_REGION: 'eu-west-1',
      HOME: '/root',
      CODEBUILD_BUILD_ARN:
        'arn:aws:codebuild:eu-west-1:123456789012:build/demo:0b5c6f0e-1111-2222-3333-444455556666',
      CODEBUILD_BUILD_ID: 'demo:0b5c6f0e-1111-2222-3333-444455556666',
      CODEBUILD_BUILD_IMAGE: 'aws/codebuild/standard:7.0',
      CODEBUILD_BUILD_NUMBER: '42',
      CODEBUILD_BUILD_SUCCEEDING: '1',
      CODEBUILD_INITIATOR: 'alice',
      CODEBUILD_SRC_DIR: '/codebuild/output/src1/src',
      CODEBUILD_START_TIME: '1700000000000',
    });
  });

  it('sets source, log, project and webhook variables when given', () => {
    const vars = builtinVariables(
      input({
        sourceVersion: 'pr/7',
        resolvedSourceVersion: 'a'.repeat(40),
        sourceRepoUrl: 'https://git.example/demo.git',
        projectArn: 'arn:aws:codebuild:eu-west-1:123456789012:project/demo',
        logPath: '0b5c6f0e-1111-2222-3333-444455556666',
        kmsKeyId: 'alias/aws/s3',
        publicBuildUrl: 'https://slipway.example/builds/1',
        batchBuildIdentifier: 'linux_small',
        succeeding: false,
        webhook: {
          event: 'PULL_REQUEST_CREATED',
          headRef: 'refs/heads/feature',
          baseRef: 'refs/heads/main',
          trigger: webhookTrigger('pr', 7),
          actorAccountId: '99',
          mergeCommit: 'b'.repeat(40),
          prevCommit: 'c'.repeat(40),
        },
      }),
    );
    expect(vars).toMatchObject({
      CODEBUILD_SOURCE_VERSION: 'pr/7',
      CODEBUILD_RESOLVED_SOURCE_VERSION: 'a'.repeat(40),
      CODEBUILD_SOURCE_REPO_URL: 'https://git.example/demo.git',
      CODEBUILD_PROJECT_ARN: 'arn:aws:codebuild:eu-west-1:123456789012:project/demo',
      CODEBUILD_LOG_PATH: '0b5c6f0e-1111-2222-3333-444455556666',
      CODEBUILD_KMS_KEY_ID: 'alias/aws/s3',
      CODEBUILD_PUBLIC_BUILD_URL: 'https://slipway.example/builds/1',
      CODEBUILD_BATCH_BUILD_IDENTIFIER: 'linux_small',
      CODEBUILD_BUILD_SUCCEEDING: '0',
      CODEBUILD_WEBHOOK_EVENT: 'PULL_REQUEST_CREATED',
      CODEBUILD_WEBHOOK_HEAD_REF: 'refs/heads/feature',
      CODEBUILD_WEBHOOK_BASE_REF: 'refs/heads/main',
      CODEBUILD_WEBHOOK_TRIGGER: 'pr/7',
      CODEBUILD_WEBHOOK_ACTOR_ACCOUNT_ID: '99',
      CODEBUILD_WEBHOOK_MERGE_COMMIT: 'b'.repeat(40),
      CODEBUILD_WEBHOOK_PREV_COMMIT: 'c'.repeat(40),
    });
  });

  it('adds the _<identifier> variants for secondary sources', () => {
    const vars = builtinVariables(
      input({
        secondarySources: [
          { identifier: 'lib', srcDir: '/codebuild/output/src1/lib', sourceVersion: 'main' },
        ],
      }),
    );
    expect(vars.CODEBUILD_SRC_DIR_lib).toBe('/codebuild/output/src1/lib');
    expect(vars.CODEBUILD_SOURCE_VERSION_lib).toBe('main');
    expect('CODEBUILD_SOURCE_REPO_URL_lib' in vars).toBe(false);
  });

  it('formats webhook triggers', () => {
    expect(webhookTrigger('branch', 'main')).toBe('branch/main');
    expect(webhookTrigger('tag', 'v1.0')).toBe('tag/v1.0');
  });
});
