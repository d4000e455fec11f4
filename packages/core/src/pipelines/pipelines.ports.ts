import type { NewJob } from '../jobs/job.model.ts';
import type { ExecutionStatus, PipelineExecution } from './execution.model.ts';
import type { Tag } from '../builds/project.model.ts';
import type { Pipeline, PipelineKey, PipelineRuntime } from './pipeline.model.ts';

/** What a transition sees: the execution, its pipeline version, and the pipeline's runtime. */
export interface TransitionView {
  readonly execution: PipelineExecution;
  /** The pipeline at `execution.pipelineVersion`. */
  readonly pipeline: Pipeline;
  /** The pipeline's shared state, under the pipeline's lock. */
  readonly runtime: PipelineRuntime;
  /** The pipeline's latest version (differs from `pipeline.version` after an update). */
  readonly latestVersion: number;
}

/**
 * What a transition decided, written in one transaction: the execution (compare-and-swap on the
 * version it was read at), the runtime when it changed, jobs to enqueue, jobs to cancel, and
 * other executions of the pipeline to wake (their `dueAt` becomes now).
 */
export interface TransitionChange<T> {
  /** The new document; `version` and `seq` are the store's and ignored. */
  readonly execution?: PipelineExecution | undefined;
  readonly runtime?: PipelineRuntime | undefined;
  /** Enqueued with the change; give each an `id` so the execution can name it. */
  readonly jobs?: readonly NewJob[] | undefined;
  /** Jobs whose cancellation is requested with the change (abandoned actions). */
  readonly cancelJobs?: readonly string[] | undefined;
  /** Executions of the same pipeline that must be looked at now (a stage was freed). */
  readonly wake?: readonly string[] | undefined;
  readonly result: T;
}

export interface NewExecutionInput<T> {
  readonly key: PipelineKey;
  /** StartPipelineExecution `clientRequestToken`: a token seen before replays its execution. */
  readonly idempotencyToken?: string | undefined;
  /** Builds the execution (and its first transition) from the pipeline's latest version. */
  readonly create: (view: Omit<TransitionView, 'execution'>) => TransitionChange<T> & {
    readonly execution: PipelineExecution;
  };
}

export type NewExecutionResult<T> =
  | { readonly kind: 'created'; readonly execution: PipelineExecution; readonly result: T }
  | { readonly kind: 'replayed'; readonly execution: PipelineExecution }
  | { readonly kind: 'pipeline-missing' };

export interface NewPipelineInput {
  readonly pipeline: Pipeline;
  readonly tags: readonly Tag[];
}

export interface ListPipelinesQuery {
  readonly accountId: string;
  readonly region: string;
  /** Names after this one (pages are by name, ascending). */
  readonly after: string | undefined;
  readonly limit: number;
}

export interface ListExecutionsQuery {
  readonly key: PipelineKey;
  /** Executions started before this `seq` (pages are newest first). */
  readonly before: number | undefined;
  readonly limit: number;
  readonly statuses?: readonly ExecutionStatus[] | undefined;
}

export interface RuntimeChange<T> {
  readonly runtime?: PipelineRuntime | undefined;
  readonly wake?: readonly string[] | undefined;
  readonly result: T;
}

/**
 * Pipelines, their versions, tags and shared runtime, and their executions. Transitions run the
 * caller's pure `decide` inside the store's transaction, holding the pipeline's lock (PostgreSQL:
 * `FOR UPDATE` on the pipeline row, then the execution's; SQLite has one writer) — PARALLEL
 * executions lock only themselves. So two servers never both act on the same state: whatever
 * `decide` dispatches is enqueued exactly once.
 */
export interface PipelineStore {
  /** AlreadyExists (`pipeline`) when the name is taken in the account and region. */
  insertPipeline(input: NewPipelineInput): Promise<void>;
  /** The latest version, or the given one. */
  findPipeline(key: PipelineKey, version?: number): Promise<Pipeline | undefined>;
  listPipelines(query: ListPipelinesQuery): Promise<Pipeline[]>;
  /**
   * Stores `pipeline` (its `version` one more than the stored latest) as the new latest version;
   * undefined when the latest is no longer `pipeline.version - 1` or the pipeline is gone.
   */
  updatePipeline(pipeline: Pipeline): Promise<Pipeline | undefined>;
  /**
   * Deletes every version, the runtime and tags; executions stay readable by id but are listed
   * no more. Returns the ids of executions that were still running, for the caller to stop.
   */
  deletePipeline(key: PipelineKey): Promise<{ deleted: boolean; running: string[] }>;

  findTags(arn: string): Promise<Tag[]>;
  /** Adds or replaces tags by key; false when the pipeline is gone. */
  tag(arn: string, tags: readonly Tag[]): Promise<boolean>;
  untag(arn: string, keys: readonly string[]): Promise<boolean>;

  findRuntime(key: PipelineKey): Promise<PipelineRuntime | undefined>;
  /** Changes the runtime under the pipeline's lock (stage transitions); undefined when gone. */
  updateRuntime<T>(
    key: PipelineKey,
    decide: (runtime: PipelineRuntime, pipeline: Pipeline) => RuntimeChange<T>,
  ): Promise<T | undefined>;

  createExecution<T>(input: NewExecutionInput<T>): Promise<NewExecutionResult<T>>;
  /**
   * Runs `decide` on the execution in one transaction; undefined when it does not exist. The
   * transition consumes any wake-up: afterwards the execution is due at its document's `dueAt`
   * (or not at all), whether or not `decide` changed the document.
   */
  transition<T>(
    executionId: string,
    decide: (view: TransitionView) => TransitionChange<T>,
  ): Promise<T | undefined>;
  findExecution(executionId: string): Promise<PipelineExecution | undefined>;
  /** Newest first. */
  listExecutions(query: ListExecutionsQuery): Promise<PipelineExecution[]>;
  /** Ids of unfinished executions whose `dueAt` is at or before `now`, soonest first. */
  listDue(now: number, limit: number): Promise<string[]>;
  /** The earliest `dueAt` of any unfinished execution. */
  nextDue(): Promise<number | undefined>;
  /** Ids of every unfinished execution (a restart looks at each once). */
  listUnfinished(limit: number, afterSeq?: number): Promise<PipelineExecution[]>;
  /** Calls `listener` after a commit made an execution due (here or on another server). */
  watchDue(listener: () => void): () => void;
}
