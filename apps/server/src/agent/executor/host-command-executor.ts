import { stat } from 'node:fs/promises';
import {
  hookEnvironment,
  lifecycleEvents,
  planHookRuns,
  type AppSpec,
  type LifecycleEventName,
  type PlannedLifecycleEvent,
} from '@slipway/appspec';
import {
  CommandStatus,
  ScriptErrorCode,
  type CommandCompleteDiagnostics,
  type DeploymentSpecification,
} from '@slipway/protocol';
import { applyPermissions } from './apply-permissions.ts';
import { CommandFailure, unknownFailure } from './command-failure.ts';
import { DeploymentLog } from './deployment-log.ts';
import { DeploymentRoot } from './deployment-root.ts';
import { downloadBundle } from './download-bundle.ts';
import { installFiles, removePreviousInstall } from './install-files.ts';
import { loadAppSpec } from './load-appspec.ts';
import { cancelReason, runHookScripts } from './run-hook-scripts.ts';

export interface HostCommandExecutorOptions {
  /** The agent's deployment root (`--root`). */
  readonly root: string;
  /** The agent's environment, which hook scripts inherit under the §5.4 variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Output kept per lifecycle event in the deployment log and updates (default 16 MiB). */
  readonly outputCapBytes?: number;
  readonly fetch?: typeof fetch;
}

export interface ExecuteCommandInput {
  /** The lifecycle event: the host command's CommandName. */
  readonly commandName: string;
  readonly spec: DeploymentSpecification;
  /** Aborting stops the running script (its process group is killed) and fails the command. */
  readonly signal?: AbortSignal | undefined;
  /** Each output line as it is produced (`[stdout]text`), for PostHostCommandUpdate. */
  readonly onOutput?: (line: string) => void;
}

export interface CommandOutcome {
  readonly status: typeof CommandStatus.Succeeded | typeof CommandStatus.Failed;
  readonly diagnostics: CommandCompleteDiagnostics;
}

/** Every event, so a command names its place in CodeDeploy's plan whatever the deployment. */
const plannedEvents: readonly PlannedLifecycleEvent[] = lifecycleEvents({ loadBalanced: true });

/**
 * Runs one host command (a lifecycle event of a deployment) on this machine, as CodeDeploy's
 * agent does: DownloadBundle, Install, or an event's hook scripts. Never throws: every failure
 * becomes a Failed outcome with the stock agent's error code and message.
 */
export class HostCommandExecutor {
  readonly root: DeploymentRoot;
  readonly #options: HostCommandExecutorOptions;
  readonly #log: DeploymentLog;

  constructor(options: HostCommandExecutorOptions) {
    this.#options = options;
    this.root = new DeploymentRoot(options.root);
    this.#log = new DeploymentLog(this.root.deploymentLog);
  }

  async execute(input: ExecuteCommandInput): Promise<CommandOutcome> {
    try {
      return await this.#execute(input);
    } finally {
      await this.#log.flush();
    }
  }

  async #execute(input: ExecuteCommandInput): Promise<CommandOutcome> {
    const event = plannedEvents.find((planned) => planned.name === input.commandName);
    try {
      if (event === undefined) throw unknownFailure(`Unsupported command: ${input.commandName}`);
      const log = await this.#run(event, input);
      return succeeded({ message: 'Succeeded', log });
    } catch (error) {
      const failure = asFailure(error, input.signal);
      if (event?.failureIgnorable === true && input.spec.IgnoreApplicationStopFailures === true) {
        return succeeded({
          message: `${failure.message} (ignored: ignoreApplicationStopFailures is set)`,
          scriptName: failure.scriptName,
          log: logOf(error),
        });
      }
      return {
        status: CommandStatus.Failed,
        diagnostics: {
          error_code: failure.errorCode,
          script_name: failure.scriptName,
          message: failure.message,
          log: logOf(error),
        },
      };
    }
  }

  close(): Promise<void> {
    return this.#log.close();
  }

  async #run(event: PlannedLifecycleEvent, input: ExecuteCommandInput): Promise<string> {
    const { spec } = input;
    if (event.name === 'DownloadBundle') {
      await downloadBundle({
        spec,
        root: this.root,
        signal: input.signal,
        ...(this.#options.fetch ? { fetch: this.#options.fetch } : {}),
      });
      return '';
    }
    if (event.name === 'Install') {
      await this.#install(spec);
      return '';
    }
    // BlockTraffic and AllowTraffic: the service moves the traffic; the agent does nothing.
    if (event.scriptSource === 'none') return '';
    return this.#runHooks(event, input);
  }

  async #install(spec: DeploymentSpecification): Promise<void> {
    const groupId = spec.DeploymentGroupId;
    const archiveDir = await this.#revisionArchive(spec);
    const appSpec = await loadAppSpec(archiveDir, spec.AppSpecFilename || 'appspec.yml');
    await removePreviousInstall(await this.root.readCleanupList(groupId));
    const created: string[] = [];
    try {
      const { touched } = await installFiles({
        appSpec,
        archiveDir,
        deploymentBehavior: spec.AgentActionOverrides?.AgentOverrides?.FileExistsBehavior,
        note: (line) => this.#log.write(spec.DeploymentId, line),
        created,
      });
      await applyPermissions(appSpec.permissions, touched);
    } finally {
      await this.root.writeCleanupList(groupId, created);
    }
    await this.root.recordLastSuccessfulArchive(groupId, archiveDir);
  }

  async #runHooks(event: PlannedLifecycleEvent, input: ExecuteCommandInput): Promise<string> {
    const { spec } = input;
    const source = await this.#scriptSource(event, spec);
    if (source === undefined) return '';
    const [run] = planHookRuns([event], {
      revision: source.appSpec,
      lastSuccessful: source.appSpec,
    });
    const scripts = run?.scripts ?? [];
    if (scripts.length === 0) return '';
    const { log } = await runHookScripts({
      eventName: event.name,
      scripts,
      archiveDir: source.archiveDir,
      env: { ...this.#options.env, ...hookEnvironmentOf(event.name, spec) },
      deploymentId: spec.DeploymentId,
      log: this.#log,
      onOutput: input.onOutput ?? (() => undefined),
      signal: input.signal,
      ...(this.#options.outputCapBytes === undefined
        ? {}
        : { outputCapBytes: this.#options.outputCapBytes }),
    });
    return log;
  }

  /** The appspec an event takes its scripts from; undefined when there is none to run. */
  async #scriptSource(
    event: PlannedLifecycleEvent,
    spec: DeploymentSpecification,
  ): Promise<{ archiveDir: string; appSpec: AppSpec } | undefined> {
    const fileName = spec.AppSpecFilename || 'appspec.yml';
    if (event.scriptSource === 'lastSuccessful') {
      const archiveDir = await this.root.findLastSuccessfulArchive(spec.DeploymentGroupId);
      // The first deployment to this host (or its revision was pruned): nothing to stop.
      if (archiveDir === undefined || !(await isDirectory(archiveDir))) return undefined;
      return { archiveDir, appSpec: await loadAppSpec(archiveDir, fileName) };
    }
    const archiveDir = await this.#revisionArchive(spec);
    return { archiveDir, appSpec: await loadAppSpec(archiveDir, fileName) };
  }

  async #revisionArchive(spec: DeploymentSpecification): Promise<string> {
    const archiveDir = this.root.archiveDir(spec.DeploymentGroupId, spec.DeploymentId);
    if (!(await isDirectory(archiveDir))) {
      throw unknownFailure(
        `The revision is not on this host (${archiveDir} is missing): DownloadBundle did not run here`,
      );
    }
    return archiveDir;
  }
}

function hookEnvironmentOf(name: LifecycleEventName, spec: DeploymentSpecification) {
  const s3 = spec.Revision?.S3Revision;
  return hookEnvironment({
    lifecycleEvent: name,
    deploymentId: spec.DeploymentId,
    applicationName: spec.ApplicationName,
    deploymentGroupName: spec.DeploymentGroupName,
    deploymentGroupId: spec.DeploymentGroupId,
    revision:
      s3 === undefined
        ? { type: 'Other' }
        : { type: 'S3', bucket: s3.Bucket, key: s3.Key, version: s3.Version, eTag: s3.ETag },
  });
}

function succeeded(options: { message: string; log: string; scriptName?: string }): CommandOutcome {
  return {
    status: CommandStatus.Succeeded,
    diagnostics: {
      error_code: ScriptErrorCode.Success,
      script_name: options.scriptName ?? '',
      message: options.message,
      log: options.log,
    },
  };
}

function asFailure(error: unknown, signal: AbortSignal | undefined): CommandFailure {
  if (error instanceof CommandFailure) return error;
  if (signal?.aborted === true)
    return unknownFailure(`The command was stopped: ${cancelReason(signal)}`);
  return unknownFailure(error instanceof Error ? error.message : String(error));
}

function logOf(error: unknown): string {
  return error instanceof CommandFailure ? error.log : '';
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() === true;
}
