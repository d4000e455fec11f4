import { describe, expect, it } from 'vitest';
import { collectExportedVariables } from './exported-variables.ts';

describe('collectExportedVariables', () => {
  it('exports the listed names in order, empty when unset', () => {
    expect(
      collectExportedVariables({
        names: ['IMAGE_TAG', 'MISSING', 'VERSION', 'IMAGE_TAG'],
        values: { VERSION: '1.2.3', IMAGE_TAG: 'abc123', OTHER: 'x' },
      }),
    ).toEqual({
      exported: [
        { name: 'IMAGE_TAG', value: 'abc123' },
        { name: 'MISSING', value: '' },
        { name: 'VERSION', value: '1.2.3' },
      ],
      refused: [],
    });
  });

  it('refuses AWS_ names, project secrets and names CodePipeline cannot carry', () => {
    expect(
      collectExportedVariables({
        names: ['AWS_REGION', 'DB_PASSWORD', 'has space', 'toString', 'OK'],
        values: { AWS_REGION: 'x', DB_PASSWORD: 'y', OK: 'z' },
        projectSecretNames: ['DB_PASSWORD'],
      }),
    ).toEqual({
      exported: [
        { name: 'toString', value: '' },
        { name: 'OK', value: 'z' },
      ],
      refused: [
        { name: 'AWS_REGION', reason: 'aws-prefix' },
        { name: 'DB_PASSWORD', reason: 'project-secret' },
        { name: 'has space', reason: 'invalid-name' },
      ],
    });
  });

  it('refuses what goes over the size limit and keeps what fits', () => {
    expect(
      collectExportedVariables({
        names: ['A', 'B', 'C'],
        values: { A: 'x'.repeat(8), B: 'y'.repeat(8), C: 'z' },
        maxTotalLength: 12,
      }),
    ).toEqual({
      exported: [
        { name: 'A', value: 'x'.repeat(8) },
        { name: 'C', value: 'z' },
      ],
      refused: [{ name: 'B', reason: 'too-large' }],
    });
  });
});
