import { isAppError } from '@slipway/core';
import { buildsHarness } from '@slipway/testing';
import fc from 'fast-check';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../aws-error.ts';
import type { JsonServiceDefinition, OperationContext } from '../../service-definition.ts';
import { createLogsService } from '../logs/logs-service.ts';
import { createCodeBuildService } from './codebuild-service.ts';
import { createProjectRequest } from './codebuild-requests.ts';
import { testPrincipal } from './operation-harness.ts';

// Every input is hostile: whatever a signed client sends to any operation of either door, the
// answer is a result or an AWS error (AwsError, or an AppError the table maps), never a bug.

const members = [
  'name',
  'names',
  'id',
  'ids',
  'projectName',
  'source',
  'artifacts',
  'environment',
  'serviceRole',
  'secondarySources',
  'secondarySourceVersions',
  'secondaryArtifacts',
  'cache',
  'logsConfig',
  'tags',
  'timeoutInMinutes',
  'concurrentBuildLimit',
  'sortBy',
  'sortOrder',
  'nextToken',
  'maxResults',
  'arn',
  'reportArn',
  'reportArns',
  'reportGroupArn',
  'reportGroupArns',
  'filter',
  'type',
  'exportConfig',
  'deleteReports',
  'buildspecOverride',
  'environmentVariablesOverride',
  'artifactsOverride',
  'idempotencyToken',
  'gitSubmodulesConfigOverride',
  'logGroupName',
  'logGroupIdentifier',
  'logStreamName',
  'logStreamNames',
  'logStreamNamePrefix',
  'logGroupNamePrefix',
  'startTime',
  'endTime',
  'limit',
  'startFromHead',
  'filterPattern',
  'orderBy',
  'descending',
  'logGroupClass',
];

/** Plausible values (names, ARNs, tokens, nested shapes) mixed with any JSON at all. */
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    'app',
    'app:00000000-0000-4000-8000-000000000000',
    'arn:aws:codebuild:us-east-1:123456789012:project/app',
    'arn:aws:codebuild:us-east-1:123456789012:report-group/app-unit',
    '/aws/codebuild/app',
    'eyJrZXkiOjEsImlkIjoieCJ9',
    'f/00000000000000000000000000000000000000000000000000000001',
    'NAME',
    'DESCENDING',
    -1,
    0,
    Number.MAX_SAFE_INTEGER,
    1e300,
    [],
    [{}],
    { type: 'NO_SOURCE', buildspec: 'x' },
    { type: 'S3', location: 'b/k', namespaceType: 'BUILD_ID' },
    { cloudWatchLogs: { status: 'ENABLED', groupName: '' } },
    [{ name: 'CODEBUILD_X', value: '' }],
    [{ key: '', value: null }],
    { status: 'FAILED', keyword: '' },
  ),
);
const request = fc.oneof(
  fc.dictionary(fc.constantFrom(...members), value, { maxKeys: 6 }),
  fc.jsonValue({ maxDepth: 2 }),
);

const context: OperationContext = {
  principal: testPrincipal,
  region: 'us-east-1',
  requestId: 'fuzz',
  log: pino({ level: 'silent' }),
};

async function outcome(
  service: JsonServiceDefinition,
  operation: string,
  input: unknown,
): Promise<'ok' | 'aws error'> {
  try {
    JSON.stringify(await service.operations[operation]?.(input, context));
    return 'ok';
  } catch (error) {
    if (error instanceof AwsError || isAppError(error)) return 'aws error';
    throw error;
  }
}

describe('CodeBuild and Logs doors: hostile input', () => {
  it('answers any input to any operation with a result or an AWS error', async () => {
    const h = buildsHarness();
    const codebuild = createCodeBuildService({ builds: h.service });
    const logs = createLogsService({ builds: h.service });
    await codebuild.operations.CreateProject?.(createProjectRequest(), context);
    await codebuild.operations.StartBuild?.({ projectName: 'app' }, context);
    const calls = [
      ...Object.keys(codebuild.operations).map((op) => [codebuild, op] as const),
      ...Object.keys(logs.operations).map((op) => [logs, op] as const),
    ];
    const seen = { ok: 0, 'aws error': 0 };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...calls), request, async ([service, op], input) => {
        seen[await outcome(service, op, input)] += 1;
      }),
      { numRuns: 2_000, seed: 20261122 },
    );
    // Both answers occur: the inputs reach past the readers into the service.
    expect(seen.ok).toBeGreaterThan(100);
    expect(seen['aws error']).toBeGreaterThan(100);
  });
});
