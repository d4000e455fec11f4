import {
  ExecutionStatus,
  pipelineArn,
  type ExecutionMode,
  type JobQueue,
  type NewJob,
  type Pipeline,
  type PipelineExecution,
  type PipelineKey,
  type PipelineRuntime,
  type PipelineStore,
  type Tag,
  type TransitionChange,
} from '@slipway/core';
import { fakeClockStart, type FakeClock } from '../fake-clock.ts';
import { accountId, nextUuid, region } from './builds-fixtures.ts';

/** Builders shared by the pipeline store's contract. */

export interface PipelineOverrides {
  readonly accountId?: string;
  readonly region?: string;
  readonly name?: string;
  readonly version?: number;
  readonly executionMode?: ExecutionMode;
  readonly now?: number;
}

export function keyOf(pipeline: Pipeline): PipelineKey {
  return { accountId: pipeline.accountId, region: pipeline.region, name: pipeline.name };
}

/** A two-stage pipeline (source, then build), as CreatePipeline stores it. */
export function aPipeline(overrides: PipelineOverrides = {}): Pipeline {
  const key: PipelineKey = {
    accountId: overrides.accountId ?? accountId,
    region: overrides.region ?? region,
    name: overrides.name ?? 'app',
  };
  const version = overrides.version ?? 1;
  const now = overrides.now ?? fakeClockStart;
  return {
    ...key,
    arn: pipelineArn(key),
    version,
    declaration: {
      name: key.name,
      roleArn: `arn:aws:iam::${key.accountId}:role/pipeline`,
      artifactStore: { type: 'S3', location: 'artifacts' },
      stages: [
        {
          name: 'Source',
          actions: [
            {
              name: 'Fetch',
              actionTypeId: {
                category: 'Source',
                owner: 'AWS',
                provider: 'CodeCommit',
                version: '1',
              },
              configuration: { RepositoryName: 'app', BranchName: 'main' },
              outputArtifacts: [{ name: 'src' }],
            },
          ],
        },
        {
          name: 'Build',
          actions: [
            {
              name: 'Compile',
              actionTypeId: {
                category: 'Build',
                owner: 'AWS',
                provider: 'CodeBuild',
                version: '1',
              },
              configuration: { ProjectName: 'app' },
              inputArtifacts: [{ name: 'src' }],
            },
          ],
        },
      ],
      version,
      executionMode: overrides.executionMode ?? 'SUPERSEDED',
      pipelineType: 'V2',
    },
    created: now,
    updated: now,
  };
}

/** `pipeline` at the next version, as UpdatePipeline hands it to the store. */
export function nextVersion(pipeline: Pipeline, now = pipeline.updated + 1): Pipeline {
  const version = pipeline.version + 1;
  return {
    ...pipeline,
    version,
    declaration: { ...pipeline.declaration, version },
    updated: now,
  };
}

/** A new execution of `pipeline`, about to enter its first stage (`seq`/`version` are the store's). */
export function anExecution(
  pipeline: Pipeline,
  overrides: Partial<PipelineExecution> = {},
): PipelineExecution {
  const now = overrides.startTime ?? fakeClockStart;
  return {
    id: nextUuid(),
    accountId: pipeline.accountId,
    region: pipeline.region,
    pipelineName: pipeline.name,
    pipelineVersion: pipeline.version,
    executionMode: pipeline.declaration.executionMode ?? 'SUPERSEDED',
    executionType: 'STANDARD',
    status: ExecutionStatus.InProgress,
    trigger: { triggerType: 'StartPipelineExecution', triggerDetail: 'alice' },
    variables: {},
    sourceRevisionOverrides: [],
    sourceRevisions: [],
    startTime: now,
    lastUpdateTime: now,
    position: { kind: 'before-stage', stageIndex: 0, waitingSince: now },
    stages: [],
    artifacts: {},
    namespaces: {},
    seq: 0,
    version: 0,
    ...overrides,
  };
}

/** The queue the contract's jobs go to. */
export const actionQueue = 'pipeline-action';

export function aJob(more: Partial<NewJob> = {}): NewJob {
  return { id: nextUuid(), queue: actionQueue, payload: { action: 'Compile' }, ...more };
}

/** `runtime` with `id` appended to the Build stage's waiters. */
export function waitingFor(runtime: PipelineRuntime, id: string): PipelineRuntime {
  const build = runtime.stages.Build ?? {};
  return {
    ...runtime,
    stages: { ...runtime.stages, Build: { ...build, waiting: [...(build.waiting ?? []), id] } },
  };
}

export function ids(executions: readonly PipelineExecution[]): string[] {
  return executions.map((e) => e.id);
}

/** What the parts of the pipeline store's contract share: the open store and its helpers. */
export interface PipelineStoreCase {
  readonly store: () => PipelineStore;
  readonly jobs: () => JobQueue;
  readonly clock: () => FakeClock;
  /** Inserts `aPipeline(overrides)` with `tags`. */
  readonly withPipeline: (
    overrides?: PipelineOverrides,
    tags?: readonly Tag[],
  ) => Promise<Pipeline>;
  /** Creates `anExecution(latest, overrides)` with nothing else in the change. */
  readonly start: (
    pipeline: Pipeline,
    overrides?: Partial<PipelineExecution>,
  ) => Promise<PipelineExecution>;
  /** Writes `changes` into the execution's document, with `more` of a change. */
  readonly write: (
    execution: PipelineExecution,
    changes: Partial<PipelineExecution>,
    more?: Omit<TransitionChange<undefined>, 'result'>,
  ) => Promise<void>;
}
