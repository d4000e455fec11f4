import type { ActionRun, PipelineExecution, StageRun } from './execution.model.ts';
import type { Pipeline, PipelineRuntime } from './pipeline.model.ts';
import type { ValidatedPipeline } from './declaration/validated-pipeline.ts';
import type {
  ActionState,
  PipelineState,
  StageExecutionRef,
  StageState,
} from './pipeline-requests.ts';

/**
 * GetPipelineState from the latest declaration, the runtime and recent executions: per stage the
 * execution that entered it last, per action its newest attempt, and who waits in front.
 */
export function pipelineState(input: {
  readonly pipeline: Pipeline;
  readonly validated: ValidatedPipeline;
  readonly runtime: PipelineRuntime;
  /** Newest first. */
  readonly recent: readonly PipelineExecution[];
}): PipelineState {
  const { pipeline, validated, runtime, recent } = input;
  const stageStates: StageState[] = validated.stages.map((stage) => {
    let latest: { execution: PipelineExecution; run: StageRun } | undefined;
    for (const execution of recent) {
      const run = execution.stages.find((s) => s.stageName === stage.name);
      if (run !== undefined && (latest === undefined || run.enteredAt > latest.run.enteredAt)) {
        latest = { execution, run };
      }
    }
    const waiting = recent
      .filter(
        (e) =>
          (e.status === 'InProgress' || e.status === 'Stopping') &&
          e.position.kind === 'before-stage' &&
          e.position.stageIndex === stage.index &&
          e.position.queued === true,
      )
      .sort((a, b) => a.seq - b.seq)
      .map(refOf);
    const actionStates: ActionState[] = stage.actions.map((action) => {
      let newest: ActionRun | undefined;
      let owner: PipelineExecution | undefined;
      for (const execution of recent) {
        const run = execution.stages.find((s) => s.stageName === stage.name);
        for (const attempt of run?.actions ?? []) {
          if (attempt.actionName !== action.name) continue;
          if (newest === undefined || attempt.startTime >= newest.startTime) {
            newest = attempt;
            owner = execution;
          }
        }
      }
      const revision = owner?.sourceRevisions.find((r) => r.actionName === action.name);
      return {
        actionName: action.name,
        latestExecution: newest,
        currentRevision:
          revision?.revisionId === undefined
            ? undefined
            : {
                revisionId: revision.revisionId,
                revisionChangeId: revision.revisionId,
                created: revision.created ?? newest?.lastUpdateTime ?? 0,
              },
      };
    });
    const inbound = runtime.stages[stage.name]?.inbound ?? { enabled: true };
    return {
      stageName: stage.name,
      inboundExecution: waiting[0],
      inboundExecutions: waiting.length > 0 ? waiting : undefined,
      inboundTransitionState: inbound,
      latestExecution:
        latest === undefined
          ? undefined
          : {
              pipelineExecutionId: latest.execution.id,
              status: latest.run.status,
              type: latest.execution.executionType,
            },
      actionStates,
      retryStageMetadata:
        latest === undefined || latest.run.attempt === 1 ? undefined : latest.run.retry,
    };
  });
  return {
    pipelineName: pipeline.name,
    pipelineVersion: pipeline.version,
    created: pipeline.created,
    updated: pipeline.updated,
    stageStates,
  };
}

function refOf(execution: PipelineExecution): StageExecutionRef {
  return {
    pipelineExecutionId: execution.id,
    status: execution.status,
    type: execution.executionType,
  };
}
