import type { PipelineDeclaration, PipelineType } from './declaration.model.ts';
import type { DeclarationProblems } from './declaration-problems.ts';

/** The V2-only features a declaration uses, each with the path that uses it. */
export function v2Features(pipeline: PipelineDeclaration): { path: string; what: string }[] {
  const used: { path: string; what: string }[] = [];
  if (pipeline.variables?.length) used.push({ path: 'variables', what: 'pipeline variables' });
  if (pipeline.triggers?.length) used.push({ path: 'triggers', what: 'triggers' });
  const mode = pipeline.executionMode;
  if (mode !== undefined && mode !== 'SUPERSEDED') {
    used.push({ path: 'executionMode', what: `execution mode ${mode}` });
  }
  pipeline.stages.forEach((stage, i) => {
    for (const field of ['beforeEntry', 'onSuccess', 'onFailure'] as const) {
      if (stage[field]) used.push({ path: `stages[${i}].${field}`, what: 'stage conditions' });
    }
  });
  return used;
}

/**
 * The pipeline's type. Omitted: V2 when a V2 feature is used (botocore: "Including V2
 * parameters … will result in the pipeline having the V2 type"), else V1 — our choice for the
 * default, the one the API had before V2 existed.
 */
export function effectivePipelineType(pipeline: PipelineDeclaration): PipelineType {
  if (pipeline.pipelineType) return pipeline.pipelineType;
  // A Commands action (the only V2-only provider Slipway runs) makes it V2 as well.
  const commands = pipeline.stages.some((s) =>
    s.actions.some(
      (a) => a.actionTypeId.category === 'Compute' && a.actionTypeId.provider === 'Commands',
    ),
  );
  return commands || v2Features(pipeline).length > 0 ? 'V2' : 'V1';
}

/**
 * An explicit V1 with V2 features is refused. AWS's exact message is not documented; we report
 * it as ValidationException, the error AWS gives for parameters a pipeline type cannot have.
 */
export function checkPipelineType(p: DeclarationProblems, pipeline: PipelineDeclaration): void {
  if (pipeline.pipelineType !== 'V1') return;
  for (const { path, what } of v2Features(pipeline)) {
    p.shape(path, `${what}: only available in V2 pipelines`);
  }
}
