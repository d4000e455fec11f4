import type { Scope } from '../source/source.deps.ts';
import type { PipelineDeclaration } from './declaration/declaration.model.ts';

/** A pipeline at one version. Every UpdatePipeline stores a new version; old ones stay readable. */
export interface Pipeline {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  /** 1 on create, +1 per update. */
  readonly version: number;
  /** As GetPipeline echoes it: defaults filled in, `version` set. */
  readonly declaration: PipelineDeclaration;
  /** Epoch ms. */
  readonly created: number;
  readonly updated: number;
}

export interface PipelineKey extends Scope {
  readonly name: string;
}

export function pipelineArn(key: PipelineKey): string {
  return `arn:aws:codepipeline:${key.region}:${key.accountId}:${key.name}`;
}

/** A stage's inbound or outbound transition, as Enable/DisableStageTransition set it. */
export interface TransitionState {
  readonly enabled: boolean;
  readonly lastChangedBy?: string | undefined;
  readonly lastChangedAt?: number | undefined;
  readonly disabledReason?: string | undefined;
}

/**
 * What a pipeline's executions share, kept with the pipeline and changed under its lock: which
 * execution holds each stage (SUPERSEDED and QUEUED run one execution per stage), who waits in
 * front of it, and the stage transitions. PARALLEL pipelines use only `transitions`.
 */
export interface PipelineRuntime {
  /** Keyed by stage name; a stage without an entry is free, with no waiters, enabled. */
  readonly stages: Readonly<Record<string, StageRuntime>>;
}

export interface StageRuntime {
  /** The execution running in the stage (SUPERSEDED, QUEUED). */
  readonly holder?: string | undefined;
  /** Executions waiting to enter, oldest first. SUPERSEDED keeps at most one. */
  readonly waiting?: readonly string[] | undefined;
  /** Absent means enabled. */
  readonly inbound?: TransitionState | undefined;
  /**
   * Disabled, executions that finished the stage wait in front of the next one (in its
   * `waiting`). Absent means enabled. GetPipelineState shows only inbound transitions.
   */
  readonly outbound?: TransitionState | undefined;
}

export const emptyRuntime: PipelineRuntime = { stages: {} };
