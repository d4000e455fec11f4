import { AppError, AppErrorKind } from '@slipway/core';
import { describe, expect, it } from 'vitest';
import { commonJsonErrors, toAwsError, type AwsErrorTable } from './error-table.ts';

const pipelineErrors: AwsErrorTable = {
  ...commonJsonErrors,
  NotFound: {
    byResource: { pipeline: { code: 'PipelineNotFoundException', status: 400 } },
    otherwise: { code: 'ResourceNotFoundException', status: 400 },
  },
};

describe('toAwsError', () => {
  it('maps a kind through the per-resource rule', () => {
    const error = toAwsError(pipelineErrors, AppError.notFound('pipeline', 'no pipeline p'));
    expect({ code: error.code, status: error.status, message: error.message }).toEqual({
      code: 'PipelineNotFoundException',
      status: 400,
      message: 'no pipeline p',
    });
  });

  it('falls back when the resource has no rule of its own', () => {
    expect(toAwsError(pipelineErrors, AppError.notFound('job', 'no job')).code).toBe(
      'ResourceNotFoundException',
    );
  });

  it('lists every validation problem with its path in the message', () => {
    const error = toAwsError(
      commonJsonErrors,
      AppError.invalidInput('2 validation errors detected', [
        { path: 'pipeline.name', message: 'must match [A-Za-z0-9.@_-]+' },
        { path: 'pipeline.stages', message: 'must have at least 2 items' },
      ]),
    );
    expect(error.code).toBe('ValidationException');
    expect(error.message).toBe(
      '2 validation errors detected: pipeline.name: must match [A-Za-z0-9.@_-]+; pipeline.stages: must have at least 2 items',
    );
  });

  it('maps every kind to a 4xx or 5xx in the common tables', () => {
    for (const kind of Object.values(AppErrorKind)) {
      const error = toAwsError(commonJsonErrors, new AppError(kind, 'x'));
      expect(error.status).toBeGreaterThanOrEqual(
        kind === 'Internal' || kind === 'Unavailable' ? 500 : 400,
      );
      expect(error.status).toBeLessThan(kind === 'Internal' || kind === 'Unavailable' ? 600 : 500);
    }
  });
});
