import {
  BuildStatus,
  isAppError,
  type ActionControls,
  type ActionResult,
  type ActionTask,
  type Build,
  type BuildsService,
  type ExternalExecution,
  type JsonValue,
  type Scope,
  type StartBuildInput,
} from '@slipway/core';
import { abortError, stopsExternalWork } from '../action-abort.ts';
import type { PipelineArtifacts } from '../pipeline-artifacts.ts';
import {
  failedResult,
  isActionResult,
  maxSummaryLength,
  messageOf,
  truncate,
} from './action-results.ts';

export interface BuildActionDeps {
  readonly builds: Pick<
    BuildsService,
    'startBuild' | 'stopBuild' | 'findBuild' | 'watchBuilds' | 'findProject' | 'createProject'
  >;
  readonly artifacts: PipelineArtifacts;
  /** A build is looked at this often even without a change notification. Default 5 s. */
  readonly recheckMs?: number | undefined;
  /** Where a person can follow the build (the console), when the server knows. */
  readonly buildUrl?: ((build: Build) => string) | undefined;
}

/** What an executor saves once its build has started. */
interface BuildCheckpoint {
  readonly buildId: string;
}

/** The build to start, or why the action cannot start one. */
export type BuildPlan = { readonly request: StartBuildInput } | { readonly failed: ActionResult };

/**
 * Runs one action as one build (CodeBuild and Commands actions): starts it with an idempotency
 * token derived from the action execution, saves its id at once, then waits for it to end on
 * build change notifications (with a slow safety re-check). A re-run with a checkpoint resumes
 * waiting on the same build; a re-run that crashed before saving gets the same build back from
 * the token. Aborted as abandoned or timed out, it stops the build; aborted because the lease
 * moved, it only stops waiting, for the new owner resumes the wait.
 */
export async function runBuildAction(
  deps: BuildActionDeps,
  task: ActionTask,
  controls: ActionControls,
  plan: () => Promise<BuildPlan>,
): Promise<ActionResult> {
  let buildId = checkpointOf(task.checkpoint)?.buildId;
  if (buildId === undefined) {
    const started = await startBuild(deps, task, await plan());
    if (isActionResult(started)) return started;
    buildId = started.id;
    await controls.save({ buildId } satisfies BuildCheckpoint, externalOf(deps, started));
  }
  const build = await waitForBuild(deps, task.scope, buildId, controls.signal);
  if (build === undefined) return failedResult(`The build ${buildId} no longer exists`);
  return resultOf(deps, task, build);
}

/** The token StartBuild replays for 5 minutes: one build per action execution. */
export function idempotencyTokenOf(task: ActionTask): string {
  return `codepipeline-${task.actionExecutionId}`;
}

async function startBuild(
  deps: BuildActionDeps,
  task: ActionTask,
  plan: BuildPlan,
): Promise<Build | ActionResult> {
  if ('failed' in plan) return plan.failed;
  try {
    // The builds door stores artifacts into existing buckets only.
    for (const bucket of new Set(task.outputArtifacts.map((a) => a.location.bucket))) {
      await deps.artifacts.ensureBucket(task.scope, bucket);
    }
    return await deps.builds.startBuild(task.scope, plan.request);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return failedResult(`The build could not be started: ${messageOf(error)}`);
  }
}

/** The build once it ended; undefined if it is gone. Throws the abort reason when aborted. */
async function waitForBuild(
  deps: BuildActionDeps,
  scope: Scope,
  buildId: string,
  signal: AbortSignal,
): Promise<Build | undefined> {
  const recheckMs = deps.recheckMs ?? 5_000;
  let wake: () => void = () => undefined;
  const unwatch = deps.builds.watchBuilds((id) => {
    if (id === buildId) wake();
  });
  try {
    for (;;) {
      // Subscribed before reading, so a change in between still wakes the wait.
      const woken = new Promise<void>((resolve) => (wake = resolve));
      if (signal.aborted) {
        if (stopsExternalWork(signal)) await stopQuietly(deps, scope, buildId);
        throw abortError(signal);
      }
      const build = await deps.builds.findBuild(scope, buildId);
      if (build === undefined || build.buildComplete) return build;
      await waitForAny(woken, recheckMs, signal);
    }
  } finally {
    unwatch();
  }
}

async function stopQuietly(deps: BuildActionDeps, scope: Scope, buildId: string): Promise<void> {
  try {
    await deps.builds.stopBuild(scope, buildId);
  } catch (error) {
    // A build that is gone or already over needs no stopping.
    if (!isAppError(error)) throw error;
  }
}

/** Resolves on `woken`, after `ms`, or on abort, whichever comes first, leaving nothing behind. */
function waitForAny(woken: Promise<void>, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    void woken.then(done);
  });
}

/**
 * CodePipeline's view of an ended build: Succeeded iff the build did and every output artifact
 * is where it was meant to be; the build's exported variables as the action's variables.
 */
async function resultOf(
  deps: BuildActionDeps,
  task: ActionTask,
  build: Build,
): Promise<ActionResult> {
  const external = externalOf(deps, build);
  const outputVariables = Object.fromEntries(
    build.exportedEnvironmentVariables.map((v) => [v.name, v.value]),
  );
  if (build.buildStatus !== BuildStatus.Succeeded) {
    const summary = `Build terminated with state: ${build.buildStatus}`;
    const context = failedPhaseContext(build);
    return {
      status: 'Failed',
      summary,
      errorDetails: {
        code: 'JobFailed',
        message: truncate(
          context === undefined ? summary : `${summary}. ${context}`,
          maxSummaryLength,
        ),
      },
      external,
      outputVariables,
    };
  }
  for (const output of task.outputArtifacts) {
    if ((await deps.artifacts.find(task.scope, output.location)) === undefined) {
      const summary =
        `The build did not produce the output artifact ${output.name}: ` +
        "its buildspec's artifacts (or secondary-artifacts) section selects no files for it";
      return { ...failedResult(summary), external };
    }
  }
  return { status: 'Succeeded', external, outputVariables };
}

/**
 * Why the build failed, from its phases: the first failed phase's context, else any phase's
 * (a build lost between two phases carries RUNNER_LOST on the last one, which succeeded).
 */
function failedPhaseContext(build: Build): string | undefined {
  const withContext = (p: Build['phases'][number]) =>
    p.contexts?.some((c) => c.message !== '' || c.statusCode !== '') === true;
  const phase =
    build.phases.find(
      (p) =>
        p.phaseStatus !== undefined && p.phaseStatus !== BuildStatus.Succeeded && withContext(p),
    ) ?? build.phases.find(withContext);
  const context = phase?.contexts?.find((c) => c.message !== '' || c.statusCode !== '');
  if (phase === undefined || context === undefined) return undefined;
  return `Phase ${phase.phaseType}: ${context.statusCode}: ${context.message}`;
}

function externalOf(deps: BuildActionDeps, build: Build): ExternalExecution {
  const url = deps.buildUrl?.(build);
  return {
    externalExecutionId: build.id,
    ...(url === undefined ? {} : { externalExecutionUrl: url }),
  };
}

function checkpointOf(checkpoint: JsonValue | undefined): BuildCheckpoint | undefined {
  if (typeof checkpoint !== 'object' || checkpoint === null || Array.isArray(checkpoint)) {
    return undefined;
  }
  const { buildId } = checkpoint as Readonly<Record<string, JsonValue>>;
  return typeof buildId === 'string' && buildId !== '' ? { buildId } : undefined;
}
