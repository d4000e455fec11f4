import type { PipelinesDeps, ResolvedPipelinesOptions } from './pipelines.deps.ts';
import { Draft } from './engine/draft.ts';
import type { ValidatedPipelines } from './validated-pipelines.ts';
import type { NewExecutionResult, TransitionChange, TransitionView } from './pipelines.ports.ts';
import type { PipelineExecution } from './execution.model.ts';
import type { PipelineKey } from './pipeline.model.ts';

/** What every pipelines use case shares: its ports, options and the validated declarations. */
export interface PipelinesContext {
  readonly deps: PipelinesDeps;
  readonly options: ResolvedPipelinesOptions;
  readonly validated: ValidatedPipelines;
}

/** Runs `decide` on a draft of the execution inside the store's transaction. */
export function runTransition<T>(
  context: PipelinesContext,
  executionId: string,
  decide: (draft: Draft, view: TransitionView) => T,
): Promise<T | undefined> {
  const now = context.deps.clock.now();
  return context.deps.store.transition(executionId, (view): TransitionChange<T> => {
    const draft = new Draft(envOf(context, view, now), view.execution, view.runtime);
    const result = decide(draft, view);
    return draft.toChange(result);
  });
}

/** Creates an execution and runs its first transition in the same transaction. */
export function runCreation<T>(
  context: PipelinesContext,
  input: {
    readonly key: PipelineKey;
    readonly idempotencyToken?: string | undefined;
    readonly build: (view: Omit<TransitionView, 'execution'>, now: number) => PipelineExecution;
    readonly decide: (draft: Draft) => T;
  },
): Promise<NewExecutionResult<T>> {
  const now = context.deps.clock.now();
  return context.deps.store.createExecution({
    key: input.key,
    idempotencyToken: input.idempotencyToken,
    create: (view) => {
      const execution = input.build(view, now);
      const draft = new Draft(envOf(context, view, now), execution, view.runtime);
      const result = input.decide(draft);
      const change = draft.toChange(result);
      return { ...change, execution: draft.execution };
    },
  });
}

function envOf(
  context: PipelinesContext,
  view: Omit<TransitionView, 'execution'>,
  now: number,
): Draft['env'] {
  return {
    now,
    newId: () => context.deps.random.uuid(),
    pipeline: context.validated.of(view.pipeline),
    pipelineArn: view.pipeline.arn,
    options: context.options,
  };
}
