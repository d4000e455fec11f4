import type { NewJob } from '../../jobs/job.model.ts';
import type { ResolvedPipelinesOptions } from '../pipelines.deps.ts';
import type { ValidatedPipeline } from '../declaration/validated-pipeline.ts';
import type { ActionRun, PipelineExecution, StageRun } from '../execution.model.ts';
import type { PipelineRuntime, StageRuntime } from '../pipeline.model.ts';
import type { TransitionChange } from '../pipelines.ports.ts';

/** What the engine needs besides the state: time, ids, the pipeline it runs. Pure values. */
export interface EngineEnv {
  readonly now: number;
  readonly newId: () => string;
  readonly pipeline: ValidatedPipeline;
  readonly pipelineArn: string;
  readonly options: ResolvedPipelinesOptions;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A transition's working copy: the execution and runtime as they will be written, and what goes
 * with them. The engine mutates it; `toChange` turns it into what the store writes.
 */
export class Draft {
  readonly env: EngineEnv;
  execution: Mutable<PipelineExecution>;
  runtime: PipelineRuntime;
  runtimeChanged = false;
  executionChanged = false;
  readonly jobs: NewJob[] = [];
  readonly cancelJobs: string[] = [];
  readonly wake = new Set<string>();

  constructor(env: EngineEnv, execution: PipelineExecution, runtime: PipelineRuntime) {
    this.env = env;
    this.execution = { ...execution };
    this.runtime = runtime;
  }

  get now(): number {
    return this.env.now;
  }

  /** Replaces fields of the execution (stamping lastUpdateTime). */
  update(fields: Partial<PipelineExecution>): void {
    Object.assign(this.execution, fields, { lastUpdateTime: this.now });
    this.executionChanged = true;
  }

  stageRuntime(stageName: string): StageRuntime {
    return this.runtime.stages[stageName] ?? {};
  }

  setStageRuntime(stageName: string, next: StageRuntime): void {
    this.runtime = { stages: { ...this.runtime.stages, [stageName]: next } };
    this.runtimeChanged = true;
  }

  /** The execution's visit to a stage, if it entered it. */
  stageRun(stageName: string): StageRun | undefined {
    return this.execution.stages.find((s) => s.stageName === stageName);
  }

  updateStageRun(stageName: string, change: (run: StageRun) => StageRun): void {
    this.update({
      stages: this.execution.stages.map((s) => (s.stageName === stageName ? change(s) : s)),
    });
  }

  updateAction(stageName: string, actionExecutionId: string, fields: Partial<ActionRun>): void {
    this.updateStageRun(stageName, (run) => ({
      ...run,
      lastUpdateTime: this.now,
      actions: run.actions.map((a) =>
        a.actionExecutionId === actionExecutionId
          ? { ...a, ...fields, lastUpdateTime: this.now }
          : a,
      ),
    }));
  }

  toChange<T>(result: T): TransitionChange<T> {
    return {
      execution: this.executionChanged ? this.execution : undefined,
      runtime: this.runtimeChanged ? this.runtime : undefined,
      jobs: this.jobs,
      cancelJobs: this.cancelJobs,
      wake: [...this.wake].filter((id) => id !== this.execution.id),
      result,
    };
  }
}
