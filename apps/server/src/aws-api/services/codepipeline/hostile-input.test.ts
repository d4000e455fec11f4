import type { PipelinesService } from '@slipway/core';
import { aCustomActionType } from '@slipway/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aCustomJob,
  anActionRun,
  anActionType,
  anExecution,
  aPipeline,
  aPipelineState,
  approvalToken,
  declarationRequest,
  executionId,
  jobId,
  pipelineArn,
} from './codepipeline-builders.ts';
import { codepipelineHarness, stubPipelines } from './codepipeline-harness.ts';
import { requestShapes, type CodePipelineOperation } from './request-shapes.ts';

// Every input is hostile: whatever a signed client sends to any operation, the answer is a
// result or a 4xx CodePipeline error, never a 500; what the model refuses never reaches the
// service (the empty stub answers any call with a bug, so a 500).

const operations = Object.keys(requestShapes) as CodePipelineOperation[];
const membersOf = (operation: CodePipelineOperation) =>
  Object.entries(requestShapes[operation].members);
const requiredOf = (operation: CodePipelineOperation) =>
  membersOf(operation)
    .filter(([, member]) => 'required' in member)
    .map(([name]) => name);

/** A service that answers every call with a representative model. */
const working: Partial<PipelinesService> = {
  createPipeline: () => Promise.resolve({ pipeline: aPipeline(), tags: [] }),
  getPipeline: () => Promise.resolve(aPipeline()),
  updatePipeline: () => Promise.resolve(aPipeline({ version: 2 })),
  deletePipeline: () => Promise.resolve(),
  listPipelines: () => Promise.resolve({ pipelines: [aPipeline()] }),
  startPipelineExecution: () => Promise.resolve(anExecution()),
  stopPipelineExecution: () => Promise.resolve(anExecution({ status: 'Stopping' })),
  getPipelineState: () => Promise.resolve(aPipelineState()),
  getPipelineExecution: () => Promise.resolve(anExecution()),
  listPipelineExecutions: () => Promise.resolve({ executions: [anExecution()] }),
  listActionExecutions: () =>
    Promise.resolve({
      actionExecutionDetails: [
        { pipelineExecutionId: executionId, pipelineVersion: 1, action: anActionRun() },
      ],
    }),
  putApprovalResult: () => Promise.resolve(Date.UTC(2026, 0, 1)),
  retryStageExecution: () => Promise.resolve(anExecution()),
  rollbackStage: () => Promise.resolve(anExecution({ executionType: 'ROLLBACK' })),
  enableStageTransition: () => Promise.resolve(),
  disableStageTransition: () => Promise.resolve(),
  listActionTypes: () => Promise.resolve([anActionType()]),
  getActionType: () => anActionType(),
  createCustomActionType: () => Promise.resolve(aCustomActionType()),
  deleteCustomActionType: () => Promise.resolve(),
  listTagsForResource: () => Promise.resolve([{ key: 'k', value: 'v' }]),
  tagResource: () => Promise.resolve(),
  untagResource: () => Promise.resolve(),
  pollForJobs: () => Promise.resolve([aCustomJob()]),
  acknowledgeJob: () => Promise.resolve('InProgress'),
  getJobDetails: () => Promise.resolve(aCustomJob()),
  putJobSuccessResult: () => Promise.resolve(),
  putJobFailureResult: () => Promise.resolve(),
};

describe('CodePipeline door: hostile input', () => {
  const refusing = codepipelineHarness(stubPipelines({}));

  it('serves exactly the operations it has request shapes for', () => {
    expect(Object.keys(refusing.service.operations).sort()).toEqual([...operations].sort());
  });

  it.each(operations)('%s: an empty request names every required member at once', async (op) => {
    const required = requiredOf(op);
    const response = await (
      required.length === 0 ? codepipelineHarness(stubPipelines(working)) : refusing
    ).send(op, {});
    if (required.length === 0) {
      expect(response.status).toBe(200);
      return;
    }
    expect(response).toMatchObject({ status: 400, errorType: 'ValidationException' });
    const message = response.body.message as string;
    expect(message).toMatch(new RegExp(`^${required.length} validation errors? detected: `));
    for (const name of required) {
      expect(message).toContain(`Value null at '${name}' failed to satisfy constraint`);
    }
  });

  it.each(operations)('%s: a member of the wrong type, each one, is refused', async (op) => {
    // `[[]]` is the wrong type for every member: not a string, number, boolean, structure or
    // map, and a list of something no list member is.
    const request = Object.fromEntries(membersOf(op).map(([name]) => [name, [[]]]));
    const response = await refusing.send(op, request);
    expect(response).toMatchObject({ status: 400, errorType: 'ValidationException' });
    const message = response.body.message as string;
    for (const [name] of membersOf(op)) expect(message).toContain(`at '${name}`);
  });

  it.each(
    operations.filter((op) => membersOf(op).some(([name]) => /^(pipelineN|n)ame$/.test(name))),
  )('%s: a 100 000-character name is refused in a short message', async (op) => {
    const member = membersOf(op).find(([name]) => /^(pipelineN|n)ame$/.test(name))?.[0] ?? '';
    const response = await refusing.send(op, { [member]: 'p'.repeat(100_000) });
    expect(response.status).toBe(400);
    const message = response.body.message as string;
    expect(message).toContain(
      `at '${member}' failed to satisfy constraint: Member must have length less than or equal to 100`,
    );
    expect(message.length).toBeLessThan(2_000);
  });

  it.each(
    operations.flatMap((op) =>
      membersOf(op).some(([name]) => name === 'maxResults')
        ? [1e12, 2 ** 31, 1001, 0, -1, 1.5].map((maxResults) => [op, maxResults] as const)
        : [],
    ),
  )('%s: maxResults %s is refused', async (op, maxResults) => {
    const response = await refusing.send(op, { maxResults });
    expect(response).toMatchObject({ status: 400, errorType: 'ValidationException' });
    expect(response.body.message).toContain("at 'maxResults'");
  });

  it('answers any input to any operation with a result or a 4xx, never a 500', async () => {
    const door = codepipelineHarness(stubPipelines(working));
    const members = [...new Set(operations.flatMap((op) => membersOf(op).map(([name]) => name)))];
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom(
        'app',
        'Build',
        '',
        'x'.repeat(101),
        executionId,
        approvalToken,
        jobId,
        pipelineArn,
        'Approved',
        'FAILED_ACTIONS',
        'Inbound',
        'freeze',
        0,
        1,
        100,
        -1,
        2 ** 31,
        1e300,
        true,
        [],
        {},
        [{ key: 'k', value: 'v' }],
        [{ name: 'env', value: 'prod' }],
        { category: 'Test', owner: 'Custom', provider: 'Jenkins', version: '1' },
        { summary: 'ok', status: 'Approved' },
        { type: 'JobFailed', message: 'x' },
        { succeededInStage: { stageName: 'Build' } },
        { pipelineExecutionId: executionId },
        declarationRequest(),
      ),
    );
    const request = fc.oneof(
      fc.dictionary(fc.constantFrom(...members), value, { maxKeys: 6 }),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const seen = { ok: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...operations), request, async (op, input) => {
        const response = await door.send(op, input);
        if (response.status >= 500) {
          throw new Error(`${op} answered ${JSON.stringify(response.body)}`, {
            cause: response.cause,
          });
        }
        seen[response.status === 200 ? 'ok' : 'refused'] += 1;
      }),
      { numRuns: 3_000, seed: 20261122 },
    );
    // Both answers occur: the inputs reach past the readers into the service.
    expect(seen.ok).toBeGreaterThan(100);
    expect(seen.refused).toBeGreaterThan(100);
  });
});
