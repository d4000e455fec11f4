import type {
  ActionDeclaration,
  ActionTypeId,
  ExecutionMode,
  PipelineDeclaration,
  PipelineType,
  PipelineVariableDeclaration,
  StageDeclaration,
  PipelineTriggerDeclaration,
} from './declaration.model.ts';
import type { FieldProblem } from '../../errors/app-error.ts';
import type { ActionProviderRegistry } from './action-providers.ts';

/** The form the orchestrator uses: defaults applied, actions grouped, references resolved. */
export interface ValidatedPipeline {
  /** The declaration with defaults filled in (runOrder, pipelineType, executionMode). */
  readonly declaration: PipelineDeclaration;
  readonly name: string;
  readonly pipelineType: PipelineType;
  readonly executionMode: ExecutionMode;
  readonly stages: readonly ValidatedStage[];
  readonly variables: readonly PipelineVariableDeclaration[];
  readonly triggers: readonly ValidatedTrigger[];
}

export interface ValidatedStage {
  readonly name: string;
  readonly index: number;
  readonly declaration: StageDeclaration;
  /** Sorted by runOrder, declaration order kept within one runOrder. */
  readonly actions: readonly ValidatedAction[];
  /** The distinct runOrders, ascending: the stage runs one group after another. */
  readonly runOrders: readonly number[];
}

export interface ValidatedAction {
  readonly stageName: string;
  readonly name: string;
  readonly runOrder: number;
  readonly actionTypeId: ActionTypeId;
  readonly configuration: Readonly<Record<string, string>>;
  readonly inputArtifacts: readonly string[];
  readonly outputArtifacts: readonly string[];
  readonly namespace: string | undefined;
  readonly references: readonly VariableReference[];
  readonly declaration: ActionDeclaration;
}

/** One `#{namespace.variable}` found in an action's configuration, commands or environment. */
export interface VariableReference {
  /** Where it was found, relative to the action: `configuration.ProjectName`, `commands[0]`. */
  readonly field: string;
  readonly namespace: string;
  readonly variable: string;
}

export interface ValidatedTrigger {
  readonly declaration: PipelineTriggerDeclaration;
  readonly sourceActionName: string;
  /** The provider of the source action it watches (CodeCommit is a Slipway extension). */
  readonly sourceProvider: string;
}

export interface DeclarationContext {
  /** The providers this Slipway knows; see `defaultActionProviders()`. */
  readonly providers: ActionProviderRegistry;
  /**
   * Validates an owner `Custom` action against the registered custom action types; returns its
   * problems with paths relative to the action. Absent: any custom action is accepted.
   */
  readonly checkCustomAction?: (action: ActionDeclaration) => readonly FieldProblem[];
}
