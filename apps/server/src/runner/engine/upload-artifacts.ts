/**
 * UPLOAD_ARTIFACTS: the primary and secondary artifacts, then the test reports, then the cache
 * (after a successful build only). CodeBuild attempts it whenever BUILD ran, failed or not
 * ("The UPLOAD_ARTIFACTS phase is always attempted, even if the BUILD phase fails",
 * view-build-details-phases), and also after a failed POST_BUILD (seen in CodeBuild logs).
 */
import type { ArtifactSpec, Buildspec } from '@slipway/buildspec';
import type { ShellState } from '../sandbox/executor.ts';
import type { ArtifactSettings } from './artifact-sink.ts';
import { saveCache } from './build-cache.ts';
import {
  emptyContext,
  type PhaseContext,
  type ProducedArtifact,
  type ProducedReport,
} from './build-model.ts';
import { collectReport } from './collect-reports.ts';
import type { SourceReady } from './download-source.ts';
import type { EndedStatus, EngineContext } from './engine-context.ts';
import { expandArtifactName } from './expand-artifact-name.ts';
import { packageArtifact } from './package-artifact.ts';
import { stoppedContext, timedOutContext } from './run-command-phase.ts';
import { listFiles, type ListedEntry } from './workspace-files.ts';

export interface Uploaded {
  readonly artifacts: readonly ProducedArtifact[];
  readonly reports: readonly ProducedReport[];
}

interface Outcome {
  status: EndedStatus;
  context: PhaseContext;
}

export async function uploadArtifacts(
  ctx: EngineContext,
  source: SourceReady,
  shell: ShellState,
): Promise<Uploaded> {
  const start = await ctx.phases.start('UPLOAD_ARTIFACTS');
  const artifacts: ProducedArtifact[] = [];
  const reports: ProducedReport[] = [];
  const outcome: Outcome = { status: 'SUCCEEDED', context: emptyContext };
  try {
    const listing = await listFiles(ctx.run.workspace.srcDir, source.rootReal);
    await uploadEach(ctx, { source, shell, listing, artifacts, outcome });
    for (const group of source.buildspec.reports) {
      const report = await collectReport(group, {
        groups: source.buildspec.reports,
        projectName: ctx.run.projectName,
        listing,
        srcDir: ctx.run.workspace.srcDir,
        rootReal: source.rootReal,
        log: (...messages) => ctx.log.agent(...messages),
      });
      if (report === undefined) continue;
      reports.push(report);
      await ctx.reporter.reportProduced(report);
    }
    if (outcome.status === 'SUCCEEDED' && ctx.progress.succeeding)
      await cacheAfterBuild(ctx, source.buildspec);
  } catch (error) {
    const reason = ctx.budget.reason();
    outcome.status = reason ?? 'FAILED';
    outcome.context =
      reason === 'STOPPED'
        ? stoppedContext
        : reason === 'TIMED_OUT'
          ? timedOutContext
          : { statusCode: 'CLIENT_ERROR', message: (error as Error).message };
  }
  ctx.progress.note(outcome.status);
  await ctx.phases.end('UPLOAD_ARTIFACTS', start, outcome.status, outcome.context);
  return { artifacts, reports };
}

async function uploadEach(
  ctx: EngineContext,
  input: {
    source: SourceReady;
    shell: ShellState;
    listing: readonly ListedEntry[];
    artifacts: ProducedArtifact[];
    outcome: Outcome;
  },
): Promise<void> {
  const spec = input.source.buildspec.artifacts;
  if (spec === undefined) return;
  const lookup = ctx.run.artifactSettings ?? (() => undefined);
  const wanted: [ArtifactSpec, ArtifactSettings][] = [];
  const primary = lookup(undefined);
  if (primary !== undefined) wanted.push([spec, primary]);
  for (const secondary of spec.secondaryArtifacts) {
    const settings = lookup(secondary.identifier);
    if (settings === undefined) {
      input.outcome.status = 'FAILED';
      input.outcome.context = {
        statusCode: 'CLIENT_ERROR',
        message: `secondary artifact '${secondary.identifier}' is not one of the project's secondaryArtifacts`,
      };
      return;
    }
    wanted.push([secondary, { ...settings, identifier: secondary.identifier }]);
  }
  for (const [artifactSpec, settings] of wanted) {
    ctx.budget.signal.throwIfAborted();
    const name = await expandArtifactName(ctx, artifactSpec, settings, input.shell);
    if (typeof name !== 'string') {
      input.outcome.status = 'FAILED';
      input.outcome.context = { statusCode: 'CLIENT_ERROR', message: name.error };
      return;
    }
    const result = await packageArtifact({
      spec: artifactSpec,
      settings,
      name,
      listing: input.listing,
      srcDir: ctx.run.workspace.srcDir,
      rootReal: input.source.rootReal,
      sink: ctx.sink,
      signal: ctx.budget.signal,
      log: (...messages) => ctx.log.agent(...messages),
    });
    if (!result.ok) {
      input.outcome.status = 'FAILED';
      input.outcome.context = { statusCode: 'CLIENT_ERROR', message: result.message };
      return;
    }
    input.artifacts.push(result.artifact);
    await ctx.reporter.artifactProduced(result.artifact);
  }
}

async function cacheAfterBuild(ctx: EngineContext, buildspec: Buildspec): Promise<void> {
  const { cacheDir } = ctx.run;
  if (cacheDir === undefined || buildspec.cache === undefined || buildspec.cache.paths.length === 0)
    return;
  try {
    await saveCache({
      cacheDir,
      spec: buildspec.cache,
      workspace: ctx.run.workspace,
      user: ctx.run.sandboxUser,
      log: (...messages) => ctx.log.agent(...messages),
    });
  } catch (error) {
    await ctx.log.agent(`Cache save failed: ${(error as Error).message}`);
  }
}
