import type { Scope } from '../source/source.deps.ts';
import { terminalExecutionStatuses, type PipelineExecution } from './execution.model.ts';
import type { PipelineKey } from './pipeline.model.ts';
import type {
  ActionExecutionDetail,
  ListActionExecutionsInput,
  ListActionExecutionsOutput,
  ListPipelineExecutionsInput,
  ListPipelineExecutionsOutput,
} from './pipeline-requests.ts';
import { decodeToken, encodeToken } from './page-tokens.ts';
import { executionNotFound, pipelineNotFound } from './pipelines.errors.ts';
import type { PipelinesContext } from './pipelines.context.ts';

const batch = 100;

/** Reads of executions: one, a page of them, their action attempts. */
export class ExecutionReads {
  readonly #context: PipelinesContext;

  constructor(context: PipelinesContext) {
    this.#context = context;
  }

  async requirePipeline(key: PipelineKey): Promise<void> {
    if ((await this.#context.deps.store.findPipeline(key)) === undefined) {
      throw pipelineNotFound(key.name);
    }
  }

  /** The execution, when it belongs to the pipeline in this scope. */
  async get(scope: Scope, pipelineName: string, id: string): Promise<PipelineExecution> {
    await this.requirePipeline({ ...scope, name: pipelineName });
    const execution = await this.#context.deps.store.findExecution(id);
    if (
      execution === undefined ||
      execution.accountId !== scope.accountId ||
      execution.region !== scope.region ||
      execution.pipelineName !== pipelineName
    ) {
      throw executionNotFound(pipelineName, id);
    }
    return execution;
  }

  async list(
    scope: Scope,
    input: ListPipelineExecutionsInput,
  ): Promise<ListPipelineExecutionsOutput> {
    const key = { ...scope, name: input.pipelineName };
    await this.requirePipeline(key);
    const limit = input.maxResults ?? 100;
    let before =
      input.nextToken === undefined
        ? undefined
        : Number(decodeToken(input.nextToken, 'executions'));
    const found: PipelineExecution[] = [];
    let more = true;
    while (found.length <= limit && more) {
      const rows = await this.#context.deps.store.listExecutions({ key, before, limit: batch });
      more = rows.length === batch;
      for (const row of rows) {
        before = row.seq;
        if (input.succeededInStage !== undefined && !succeededIn(row, input.succeededInStage)) {
          continue;
        }
        found.push(row);
        if (found.length > limit) break;
      }
    }
    const page = found.slice(0, limit);
    const last = page.at(-1);
    return {
      executions: page,
      nextToken:
        found.length > limit && last !== undefined
          ? encodeToken('executions', last.seq)
          : undefined,
    };
  }

  /** Action attempts, newest execution first and within it newest attempt first. */
  async listActions(
    scope: Scope,
    input: ListActionExecutionsInput,
  ): Promise<ListActionExecutionsOutput> {
    const key = { ...scope, name: input.pipelineName };
    const limit = input.maxResults ?? 100;
    const skip =
      input.nextToken === undefined ? 0 : Number(decodeToken(input.nextToken, 'actions'));
    const executions =
      input.pipelineExecutionId === undefined
        ? await this.#recent(key, skip + limit + 1)
        : [await this.get(scope, input.pipelineName, input.pipelineExecutionId)];
    if (input.pipelineExecutionId === undefined) await this.requirePipeline(key);
    const details: ActionExecutionDetail[] = executions.flatMap((execution) =>
      execution.stages
        .flatMap((stage) => stage.actions)
        .sort((a, b) => b.startTime - a.startTime)
        .map((action) => ({
          pipelineExecutionId: execution.id,
          pipelineVersion: execution.pipelineVersion,
          action,
        })),
    );
    const page = details.slice(skip, skip + limit);
    return {
      actionExecutionDetails: page,
      nextToken: details.length > skip + limit ? encodeToken('actions', skip + limit) : undefined,
    };
  }

  /** Recent executions, newest first, enough to hold `actions` attempts (or all of them). */
  async #recent(key: PipelineKey, actions: number): Promise<PipelineExecution[]> {
    const out: PipelineExecution[] = [];
    let before: number | undefined;
    let count = 0;
    for (;;) {
      const rows = await this.#context.deps.store.listExecutions({ key, before, limit: batch });
      for (const row of rows) {
        out.push(row);
        count += row.stages.reduce((n, s) => n + s.actions.length, 0);
        before = row.seq;
      }
      if (rows.length < batch || count >= actions) return out;
    }
  }

  /** Unfinished executions of the pipeline among the most recent ones. */
  async unfinished(key: PipelineKey): Promise<PipelineExecution[]> {
    const rows = await this.#context.deps.store.listExecutions({
      key,
      before: undefined,
      limit: 1000,
      statuses: ['InProgress', 'Stopping'],
    });
    return rows.filter((e) => !terminalExecutionStatuses.has(e.status));
  }
}

export function succeededIn(execution: PipelineExecution, stageName: string): boolean {
  return execution.stages.some((s) => s.stageName === stageName && s.status === 'Succeeded');
}
