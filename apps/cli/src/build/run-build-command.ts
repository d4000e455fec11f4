import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import {
  createBuildWorkspaceDirs,
  createExecutor,
  createWorkspace,
  DirectoryArtifactSink,
  planBuildWorkspace,
  resolveSandboxUser,
  runBuild,
  type ArtifactSink,
  type BuildRun,
  type BuildspecSource,
  type StoredArtifact,
} from '@slipway/server/build-engine';
import { buildUsage, parseBuildOptions, UsageError, type BuildOptions } from './build-options.ts';
import { copyCurrentDirectory } from './copy-source.ts';
import { exitCodeFor, exitCodes } from './exit-codes.ts';
import { TerminalReporter } from './terminal-reporter.ts';

/**
 * `slipway build`: runs the current directory's buildspec through the same engine and sandbox
 * as the server's runner, printing the build as it goes. Ctrl-C stops the build (the sandbox is
 * killed, the build is STOPPED); a second Ctrl-C exits at once.
 */
export async function runBuildCommand(argv: readonly string[]): Promise<number> {
  let options: BuildOptions;
  try {
    options = parseBuildOptions(argv, process.env, process.stdout.isTTY === true);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`slipway build: ${error.message}\n\n${buildUsage}\n`);
    return exitCodes.USAGE;
  }
  if (options.help) {
    process.stdout.write(`${buildUsage}\n`);
    return 0;
  }
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(exitCodes.STOPPED);
    process.stderr.write('\nslipway build: stopping the build (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let root: string | undefined;
  try {
    root = await mkdtemp(resolve(tmpdir(), 'slipway-build-'));
    await chmod(root, 0o711);
    return await build(options, root, controller.signal);
  } catch (error) {
    process.stderr.write(`slipway build: ${(error as Error).message}\n`);
    return controller.signal.aborted ? exitCodes.STOPPED : exitCodes.FAULT;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (root !== undefined) await rm(root, { recursive: true, force: true });
  }
}

async function build(options: BuildOptions, root: string, signal: AbortSignal): Promise<number> {
  const cwd = process.cwd();
  const warn = (message: string) => process.stderr.write(`slipway build: warning: ${message}\n`);
  const executor = await createExecutor(
    { isolation: options.isolation },
    { warn: (_fields, message) => warn(message) },
  );
  const user = await resolveSandboxUser();
  const workspace = planBuildWorkspace(await createWorkspace(root, user));
  await createBuildWorkspaceDirs(workspace, user);
  const project = projectName(cwd);
  const uuid = randomUUID();
  const startTime = Date.now();
  const run: BuildRun = {
    buildId: `${project}:${uuid}`,
    buildArn: `arn:aws:codebuild:${options.region}:000000000000:build/${project}:${uuid}`,
    buildNumber: 1,
    projectName: project,
    region: options.region,
    accountId: '000000000000',
    initiator: 'slipway-build',
    startTime,
    image: 'local',
    buildspec: await buildspecSource(options.buildspec, cwd),
    environment: { override: options.env },
    network: options.network,
    deadline: startTime + options.timeoutMs,
    workspace,
    prepareSource: copyCurrentDirectory(cwd),
    artifactSettings: (identifier) => ({
      identifier,
      packaging: options.packaging,
      name: identifier ?? 'artifacts',
      overrideArtifactName: identifier === undefined,
    }),
    executor,
    sandboxUser: user,
    signal,
  };
  const sink: ArtifactSink =
    options.artifactsDir === undefined
      ? discardingSink
      : new DirectoryArtifactSink(options.artifactsDir);
  const reporter = new TerminalReporter(process.stdout, options.color);
  const outcome = await runBuild(run, { reporter, artifactSink: sink });
  return exitCodeFor(outcome.buildStatus);
}

/** A buildspec inside the current directory is read from the copy, as CodeBuild would. */
async function buildspecSource(path: string | undefined, cwd: string): Promise<BuildspecSource> {
  if (path === undefined) return { kind: 'file' };
  const absolute = resolve(cwd, path);
  const rel = relative(cwd, absolute);
  if (rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel)) {
    return { kind: 'file', path: rel.split(sep).join('/') };
  }
  return { kind: 'inline', text: await readFile(absolute, 'utf8') };
}

/** CodeBuild project names: a letter or digit, then letters, digits, `-` and `_`. */
function projectName(cwd: string): string {
  const name = basename(cwd)
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '');
  return name === '' ? 'local' : name.slice(0, 100);
}

/** Without --artifacts the artifacts are packaged (so selection errors show) and dropped. */
const discardingSink: ArtifactSink = {
  async putArchive(_artifact, archive): Promise<StoredArtifact> {
    for await (const chunk of archive) void chunk;
    return { location: '(not kept: no --artifacts)' };
  },
  async putTree(_artifact, files): Promise<StoredArtifact> {
    for await (const file of files) file.open().resume();
    return { location: '(not kept: no --artifacts)' };
  },
};
