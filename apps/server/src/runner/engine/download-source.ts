/**
 * DOWNLOAD_SOURCE: the caller's prepareSource fills the source directories, then the buildspec
 * is read and parsed and the environment resolved. Everything that makes the build unable to
 * start fails here, as in CodeBuild: a malformed buildspec is a YAML_FILE_ERROR naming the line
 * and field, a secret nobody can resolve a CLIENT_ERROR. The log lines follow CodeBuild's agent
 * ("Phase is DOWNLOAD_SOURCE", "CODEBUILD_SRC_DIR=…", "YAML location is …", "Processing
 * environment variables", "Moving to directory …", "Phases found in YAML: 3").
 */
import { formatBuildspecWarning, phaseNames, type Buildspec } from '@slipway/buildspec';
import { handOverTree } from '../sandbox/workspace.ts';
import { restoreCache } from './build-cache.ts';
import type { PhaseContext } from './build-model.ts';
import type { EndedStatus, EngineContext } from './engine-context.ts';
import { readBuildspec } from './read-buildspec.ts';
import { resolveEnvironment } from './resolve-environment.ts';
import { stoppedContext, timedOutContext } from './run-command-phase.ts';
import { realRoot } from './workspace-files.ts';

export interface SourceReady {
  readonly buildspec: Buildspec;
  readonly env: Readonly<Record<string, string>>;
  readonly projectSecretNames: readonly string[];
  readonly resolvedSourceVersion: string | undefined;
  /** The workspace root's real path, against which the build's files are checked. */
  readonly rootReal: string;
}

type StepResult =
  | ({ readonly ok: true } & SourceReady)
  | { readonly ok: false; readonly status: EndedStatus; readonly context: PhaseContext };

export async function downloadSource(ctx: EngineContext): Promise<SourceReady | undefined> {
  const start = await ctx.phases.start('DOWNLOAD_SOURCE');
  await ctx.log.agent('Phase is DOWNLOAD_SOURCE');
  let result: StepResult;
  try {
    result = await prepareAndRead(ctx);
  } catch (error) {
    result = { ok: false, status: 'FAULT', context: faultContext(error) };
  }
  await ctx.log.flush();
  if (!result.ok) {
    ctx.progress.note(result.status);
    await ctx.phases.end('DOWNLOAD_SOURCE', start, result.status, result.context);
    return undefined;
  }
  ctx.progress.note('SUCCEEDED');
  await ctx.phases.end('DOWNLOAD_SOURCE', start, 'SUCCEEDED');
  return result;
}

export function faultContext(error: unknown): PhaseContext {
  return { statusCode: 'INTERNAL_ERROR', message: (error as Error).message ?? String(error) };
}

function ended(ctx: EngineContext): StepResult | undefined {
  const reason = ctx.budget.reason();
  if (reason === undefined) return undefined;
  return {
    ok: false,
    status: reason,
    context: reason === 'STOPPED' ? stoppedContext : timedOutContext,
  };
}

async function prepareAndRead(ctx: EngineContext): Promise<StepResult> {
  const { run } = ctx;
  const early = ended(ctx);
  if (early !== undefined) return early;
  let resolvedSourceVersion: string | undefined;
  try {
    const prepared = await run.prepareSource({
      workspace: run.workspace,
      signal: ctx.budget.signal,
      log: (message) => ctx.log.queue(message),
    });
    resolvedSourceVersion = prepared.resolvedSourceVersion;
  } catch (error) {
    await ctx.log.flush();
    return (
      ended(ctx) ?? {
        ok: false,
        status: 'FAILED',
        context: { statusCode: 'CLIENT_ERROR', message: (error as Error).message },
      }
    );
  }
  await ctx.log.flush();
  await handOverTree(run.workspace.root, run.sandboxUser);
  const rootReal = await realRoot(run.workspace.root);
  await ctx.reporter.sourceResolved?.({ resolvedSourceVersion });
  await ctx.log.agent(
    `CODEBUILD_SRC_DIR=${run.workspace.srcDir}`,
    ...run.workspace.secondarySources.map((s) => `CODEBUILD_SRC_DIR_${s.identifier}=${s.dir}`),
  );
  const read = await readBuildspec({
    source: run.buildspec,
    srcDir: run.workspace.srcDir,
    rootReal,
  });
  if (read.location !== undefined) await ctx.log.agent(`YAML location is ${read.location}`);
  if (!read.ok) return { ok: false, status: 'FAILED', context: read.context };
  const { buildspec } = read;
  await ctx.log.agent(
    ...read.warnings.map(
      (w) => `Found possible syntax errors in buildspec: ${formatBuildspecWarning(w)}`,
    ),
    ...unsupportedNotes(buildspec),
    'Processing environment variables',
  );
  const env = await resolveEnvironment(run, buildspec, resolvedSourceVersion);
  await ctx.log.agent(...env.notes);
  if (!env.ok) return { ok: false, status: 'FAILED', context: env.context };
  ctx.log.maskValues(env.masked);
  const runtimes = buildspec.phases.install?.runtimeVersions ?? [];
  await ctx.log.agent(
    runtimes.length === 0
      ? 'No runtime version selected in buildspec.'
      : 'Skipping install of runtimes. Runtime version selection is not supported by this build image.',
    `Moving to directory ${run.workspace.srcDir}`,
  );
  await cacheBeforeBuild(ctx, buildspec);
  const found = phaseNames.filter((name) => buildspec.phases[name] !== undefined);
  await ctx.log.agent(
    `Phases found in YAML: ${found.length}`,
    ...found.map(
      (name) => ` ${name.toUpperCase()}: ${buildspec.phases[name]?.commands.length ?? 0} commands`,
    ),
  );
  return {
    ok: true,
    buildspec,
    env: env.env,
    projectSecretNames: env.projectSecretNames,
    resolvedSourceVersion,
    rootReal,
  };
}

async function cacheBeforeBuild(ctx: EngineContext, buildspec: Buildspec): Promise<void> {
  const { run } = ctx;
  if (buildspec.cache === undefined || buildspec.cache.paths.length === 0) {
    await ctx.log.agent(
      'Cache is not defined in the buildspec',
      'Skip cache due to: no paths specified to be cached',
    );
    return;
  }
  if (run.cacheDir === undefined) {
    await ctx.log.agent('Skip cache due to: the project has no cache');
    return;
  }
  try {
    await restoreCache({
      cacheDir: run.cacheDir,
      spec: buildspec.cache,
      workspace: run.workspace,
      user: run.sandboxUser,
      log: (...messages) => ctx.log.agent(...messages),
    });
  } catch (error) {
    // A cache only saves time: the build goes on without it.
    await ctx.log.agent(`Cache restore failed, building without it: ${(error as Error).message}`);
  }
}

/** What the buildspec asks for that Slipway does not do, said in the log. */
function unsupportedNotes(buildspec: Buildspec): string[] {
  const notes: string[] = [];
  const runAs = [buildspec.runAs, ...phaseNames.map((n) => buildspec.phases[n]?.runAs)];
  if (runAs.some((user) => user !== undefined)) {
    notes.push('run-as is not supported: commands run as the build sandbox user');
  }
  if (buildspec.batch !== undefined) notes.push('batch is ignored: this is a single build');
  if (buildspec.env.gitCredentialHelper) notes.push('git-credential-helper is not supported yet');
  if (buildspec.proxy !== undefined)
    notes.push('proxy is ignored: builds use the network directly');
  return notes;
}
