import { AppErrorKind } from '../errors/app-error.ts';
import type { Scope } from '../source/source.deps.ts';
import { advance } from './engine/advance.ts';
import { newExecution, type NewExecutionFields } from './engine/execution-inputs.ts';
import type {
  ExecutionTrigger,
  PipelineExecution,
  SourceRevisionOverride,
} from './execution.model.ts';
import { resolvePipelineVariables } from './resolution/pipeline-variables.ts';
import { pipelineNotFound, pipelinesError, PipelinesSubject } from './pipelines.errors.ts';
import { runCreation, type PipelinesContext } from './pipelines.context.ts';

export interface StartRequest {
  readonly pipelineName: string;
  readonly trigger: ExecutionTrigger;
  readonly variables?: readonly { readonly name: string; readonly value: string }[] | undefined;
  /** False for starts nobody typed (CreatePipeline, pushes): a missing value fails later. */
  readonly requireVariables: boolean;
  readonly sourceRevisions?: readonly SourceRevisionOverride[] | undefined;
  readonly idempotencyToken?: string | undefined;
  readonly rollback?: NewExecutionFields['rollback'];
  /** Variables already resolved (a rollback re-uses its target's); skips `variables`. */
  readonly resolvedVariables?: Readonly<Record<string, string>> | undefined;
}

const revisionTypesByProvider: Readonly<Record<string, readonly string[]>> = {
  CodeCommit: ['COMMIT_ID'],
  CodeStarSourceConnection: ['COMMIT_ID'],
  S3: ['S3_OBJECT_VERSION_ID', 'S3_OBJECT_KEY'],
  ECR: ['IMAGE_DIGEST'],
};

/**
 * Starts an execution of a pipeline's latest version, and in the same transaction runs it as far
 * as it goes (entering the first stage and dispatching its source actions), so a push is
 * InProgress with its Source action started by the time this returns.
 */
export async function startExecution(
  context: PipelinesContext,
  scope: Scope,
  request: StartRequest,
): Promise<PipelineExecution> {
  const key = { ...scope, name: request.pipelineName };
  const latest = await context.deps.store.findPipeline(key);
  if (latest === undefined) throw pipelineNotFound(request.pipelineName);
  const validated = context.validated.of(latest);
  const variables =
    request.resolvedVariables !== undefined
      ? new Map(Object.entries(request.resolvedVariables))
      : resolvePipelineVariables({
          declarations: validated.variables,
          overrides: request.variables,
          requireValues: request.requireVariables,
        });
  checkSourceRevisions(validated.stages[0]?.actions ?? [], request.sourceRevisions ?? []);
  const outcome = await runCreation(context, {
    key,
    idempotencyToken: request.idempotencyToken,
    build: (view, now) =>
      newExecution({
        id: context.deps.random.uuid(),
        accountId: scope.accountId,
        region: scope.region,
        pipelineName: request.pipelineName,
        pipelineVersion: view.pipeline.version,
        executionMode: context.validated.of(view.pipeline).executionMode,
        trigger: request.trigger,
        variables: Object.fromEntries(variables),
        sourceRevisionOverrides: request.sourceRevisions ?? [],
        now,
        rollback: request.rollback,
      }),
    decide: (draft) => advance(draft),
  });
  if (outcome.kind === 'pipeline-missing') throw pipelineNotFound(request.pipelineName);
  return outcome.execution;
}

function checkSourceRevisions(
  sources: readonly {
    readonly name: string;
    readonly actionTypeId: { readonly provider: string };
  }[],
  overrides: readonly SourceRevisionOverride[],
): void {
  const seen = new Set<string>();
  for (const override of overrides) {
    const action = sources.find((a) => a.name === override.actionName);
    const allowed = action && revisionTypesByProvider[action.actionTypeId.provider];
    if (action === undefined || allowed === undefined || !allowed.includes(override.revisionType)) {
      throw pipelinesError(
        AppErrorKind.InvalidInput,
        PipelinesSubject.Input,
        action === undefined
          ? `sourceRevisions: '${override.actionName}' is not a source action of the pipeline`
          : `sourceRevisions: revision type ${override.revisionType} does not apply to a ${action.actionTypeId.provider} source`,
      );
    }
    if (seen.has(override.actionName)) {
      throw pipelinesError(
        AppErrorKind.InvalidInput,
        PipelinesSubject.Input,
        `sourceRevisions: '${override.actionName}' is given more than once`,
      );
    }
    seen.add(override.actionName);
  }
}
