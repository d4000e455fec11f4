/** Builders of CodeBuild requests as the CLI sends them, for the door's unit tests. */

export const buildspec = 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo hello\n';

/** CreateProject's request for a NO_SOURCE project with an inline buildspec. */
export function createProjectRequest(overrides: Record<string, unknown> = {}) {
  return {
    name: 'app',
    source: { type: 'NO_SOURCE', buildspec },
    artifacts: { type: 'NO_ARTIFACTS' },
    environment: {
      type: 'LINUX_CONTAINER',
      image: 'aws/codebuild/standard:7.0',
      computeType: 'BUILD_GENERAL1_SMALL',
    },
    serviceRole: 'arn:aws:iam::123456789012:role/codebuild',
    ...overrides,
  };
}
