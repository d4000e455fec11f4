/**
 * The build engine: runs one build with CodeBuild's semantics (aws-compat §4.2) on the sandbox
 * executor, reporting as it goes.
 *
 *   DOWNLOAD_SOURCE → INSTALL → PRE_BUILD → BUILD → POST_BUILD → UPLOAD_ARTIFACTS → FINALIZING
 *   → COMPLETED
 *
 * Transitions:
 * - A failure in DOWNLOAD_SOURCE, INSTALL or PRE_BUILD goes to FINALIZING: no later command
 *   phase runs, and neither does UPLOAD_ARTIFACTS. The docs say "if a command fails during the
 *   install phase, none of the commands in the pre_build, build, and post_build phases are run"
 *   (build-spec-ref), and UPLOAD_ARTIFACTS is "always attempted, even if the BUILD phase fails"
 *   (view-build-details-phases). Read together with the transition diagram, "always" is about
 *   BUILD's outcome: UPLOAD_ARTIFACTS follows BUILD, whatever its result, and never a build that
 *   did not reach BUILD ("POST_BUILD will always run as long as BUILD was also run … The same
 *   goes for UPLOAD_ARTIFACTS").
 * - After BUILD, failed or not, POST_BUILD runs, with CODEBUILD_BUILD_SUCCEEDING=0 after a
 *   failure; after POST_BUILD, failed or not, UPLOAD_ARTIFACTS runs.
 * - `on-failure: CONTINUE` goes on to the next phase; the phase stays FAILED and so does the
 *   build. An explicit `on-failure: ABORT` ends the build at that phase (FINALIZING next), even
 *   in BUILD; left unset, the default transitions above apply.
 * - Past the deadline the running phase is killed (TIMED_OUT) and the build is TIMED_OUT; a stop
 *   kills it (STOPPED) and the build is STOPPED. Either way no `finally` block runs (the shell
 *   is gone) and the build goes to FINALIZING.
 * - Any failed phase makes the build FAILED; an error of Slipway's own makes it FAULT.
 *
 * The shell state (directory, exported and plain variables) carries from phase to phase.
 * Exported variables are read from the state POST_BUILD left ("After the post_build phase ends,
 * the value of exported variables cannot change", build-spec-ref).
 */
import { collectExportedVariables, phaseNames, type NameValue } from '@slipway/buildspec';
import { isAppError } from '@slipway/core';
import type { ShellState } from '../sandbox/executor.ts';
import type { ArtifactSink } from './artifact-sink.ts';
import { BuildBudget } from './build-budget.ts';
import { BuildLog } from './build-log.ts';
import { commandPhaseTypes, type BuildOutcome, type CommandPhaseType } from './build-model.ts';
import type { BuildReporter } from './build-reporter.ts';
import type { BuildRun } from './build-run.ts';
import { CommandMarkers } from './command-markers.ts';
import { downloadSource, faultContext, type SourceReady } from './download-source.ts';
import { BuildProgress, PhaseRecorder, type EngineContext } from './engine-context.ts';
import { runCommandPhase, type CommandPhaseOutcome } from './run-command-phase.ts';
import { uploadArtifacts, type Uploaded } from './upload-artifacts.ts';

export interface BuildEngineDeps {
  readonly reporter: BuildReporter;
  readonly artifactSink: ArtifactSink;
  /** Epoch milliseconds; default Date.now. The sandbox's deadline uses Date.now as well. */
  readonly now?: () => number;
  /** Longest log line kept whole; default 1 MiB. */
  readonly maxLineBytes?: number;
}

export async function runBuild(run: BuildRun, deps: BuildEngineDeps): Promise<BuildOutcome> {
  const now = deps.now ?? Date.now;
  const log = new BuildLog(deps.reporter, now);
  const budget = new BuildBudget({ signal: run.signal, deadline: run.deadline, now });
  const ctx: EngineContext = {
    run,
    reporter: deps.reporter,
    sink: deps.artifactSink,
    log,
    phases: new PhaseRecorder(deps.reporter, log, now),
    progress: new BuildProgress(),
    budget,
    markers: new CommandMarkers(),
    now,
    maxLineBytes: deps.maxLineBytes,
  };
  try {
    let exportedVariables: readonly NameValue[] = [];
    let uploaded: Uploaded = { artifacts: [], reports: [] };
    const source = await downloadSource(ctx);
    if (source !== undefined) {
      const shell = await runCommandPhases(ctx, source);
      exportedVariables = await exportVariables(ctx, source, shell);
      const { progress } = ctx;
      if (progress.buildRan && !progress.ended && !progress.skipToFinalizing) {
        uploaded = await uploadArtifacts(ctx, source, shell);
      }
    }
    const finalizing = await ctx.phases.start('FINALIZING');
    await ctx.phases.end('FINALIZING', finalizing, 'SUCCEEDED', undefined, false);
    await ctx.phases.completed();
    const outcome: BuildOutcome = {
      buildStatus: ctx.progress.status,
      phases: ctx.phases.records,
      startTime: run.startTime,
      endTime: now(),
      resolvedSourceVersion: source?.resolvedSourceVersion,
      exportedVariables,
      artifacts: uploaded.artifacts,
      reports: uploaded.reports,
    };
    await deps.reporter.buildCompleted(outcome);
    return outcome;
  } finally {
    budget.close();
  }
}

async function runCommandPhases(ctx: EngineContext, source: SourceReady): Promise<ShellState> {
  let shell: ShellState = { cwd: ctx.run.workspace.srcDir, env: source.env, variables: {} };
  for (const [i, phaseType] of commandPhaseTypes.entries()) {
    const { progress } = ctx;
    if (progress.ended || progress.skipToFinalizing) break;
    const phase = source.buildspec.phases[phaseNames[i] ?? 'install'];
    const start = await ctx.phases.start(phaseType);
    await ctx.log.agent(`Entering phase ${phaseType}`);
    const env = { ...shell.env, CODEBUILD_BUILD_SUCCEEDING: progress.succeeding ? '1' : '0' };
    const outcome = await runPhaseSafely(ctx, {
      phase,
      version: source.buildspec.version,
      shell: source.buildspec.env.shell,
      state: { ...shell, env },
    });
    shell = outcome.state;
    if (phaseType === 'BUILD') progress.buildRan = true;
    progress.note(outcome.status);
    await ctx.phases.end(phaseType, start, outcome.status, outcome.context);
    if (outcome.status === 'FAILED' && endsBuild(phaseType, phase?.onFailure?.action)) {
      progress.skipToFinalizing = true;
    }
  }
  return shell;
}

/** Whether a failed phase sends the build to FINALIZING. */
function endsBuild(
  phaseType: CommandPhaseType,
  action: 'ABORT' | 'CONTINUE' | 'RETRY' | undefined,
): boolean {
  if (action === 'CONTINUE') return false;
  if (action === 'ABORT') return true;
  return phaseType === 'INSTALL' || phaseType === 'PRE_BUILD';
}

async function runPhaseSafely(
  ctx: EngineContext,
  input: Pick<Parameters<typeof runCommandPhase>[0], 'phase' | 'version' | 'shell' | 'state'>,
): Promise<CommandPhaseOutcome> {
  try {
    return await runCommandPhase({
      ...input,
      workspace: ctx.run.workspace.root,
      network: ctx.run.network,
      deadline: ctx.run.deadline,
      signal: ctx.run.signal,
      executor: ctx.run.executor,
      log: ctx.log,
      markers: ctx.markers,
      maxLineBytes: ctx.maxLineBytes,
    });
  } catch (error) {
    // The commands cannot be given to a shell (too large, NUL bytes): the build's own fault.
    if (isAppError(error) && error.kind === 'InvalidInput') {
      const detail = error.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
      const message = detail === '' ? error.message : `${error.message}: ${detail}`;
      await ctx.log.agent(message);
      return {
        status: 'FAILED',
        context: { statusCode: 'CLIENT_ERROR', message },
        state: input.state,
      };
    }
    await ctx.log.agent(`Build sandbox error: ${(error as Error).message}`);
    return { status: 'FAULT', context: faultContext(error), state: input.state };
  }
}

async function exportVariables(
  ctx: EngineContext,
  source: SourceReady,
  shell: ShellState,
): Promise<readonly NameValue[]> {
  const names = source.buildspec.env.exportedVariables;
  if (names.length === 0) return [];
  const { exported, refused } = collectExportedVariables({
    names,
    values: { ...shell.variables, ...shell.env },
    projectSecretNames: source.projectSecretNames,
  });
  for (const { name, reason } of refused) {
    await ctx.log.agent(`Not exporting variable ${name}: ${refusalText[reason]}`);
  }
  return exported;
}

const refusalText = {
  'aws-prefix': 'names beginning AWS_ cannot be exported',
  'project-secret':
    "the project's Parameter Store and Secrets Manager variables cannot be exported",
  'invalid-name': 'not a valid output variable name',
  'too-large': 'the exported variables are over the size limit',
} as const;
