import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type BuildJobSpec,
  type ClaimResponse,
  type JobClient,
  JobErrorCode,
  JobProtocolError,
  type JobVariable,
} from '@slipway/protocol';
import type { Logger } from 'pino';
import type { ArtifactSettings } from '../engine/artifact-sink.ts';
import type { PhaseRecord } from '../engine/build-model.ts';
import type { BuildRun } from '../engine/build-run.ts';
import { createBuildWorkspaceDirs, planBuildWorkspace } from '../engine/build-workspace.ts';
import { runBuild } from '../engine/run-build.ts';
import type { Executor } from '../sandbox/executor.ts';
import type { SandboxUser } from '../sandbox/sandbox-user.ts';
import { createWorkspace } from '../sandbox/workspace.ts';
import { prepareJobSources } from './job-sources.ts';
import { ProtocolArtifactSink } from './protocol-artifact-sink.ts';
import { ProtocolReporter } from './protocol-reporter.ts';

export interface BuildJobDeps {
  readonly client: JobClient;
  readonly executor: Executor;
  readonly sandboxUser: SandboxUser;
  /** Build workspaces are made here (and removed after); sandboxes must not see it. */
  readonly workRoot: string;
  /** `<cacheRoot>/<project>` keeps a project's `cache.paths` between its builds. */
  readonly cacheRoot: string;
  readonly log: Logger;
  /** Default: a third of the lease's remaining time. */
  readonly heartbeatMs?: number;
}

/**
 * Runs one claimed build to its end: a fresh workspace, the engine with the protocol as its
 * reporter and artifact sink, and heartbeats that keep the lease (and carry StopBuild's
 * cancellation). A lost lease stops the build at once and reports nothing more: the job is
 * no longer this runner's.
 */
export async function runBuildJob(
  claim: ClaimResponse<BuildJobSpec>,
  deps: BuildJobDeps,
  stopSignal?: AbortSignal,
): Promise<void> {
  const { spec, lease } = claim;
  const log = deps.log.child({ buildId: spec.buildId, jobId: lease.jobId });
  const controller = new AbortController();
  const onStop = () => controller.abort();
  stopSignal?.addEventListener('abort', onStop, { once: true });
  const heartbeats = keepLease(deps, claim, controller, log);
  const reporter = new ProtocolReporter({
    client: deps.client,
    jobId: lease.jobId,
    leaseId: lease.leaseId,
  });
  const provisioningStarted = Date.now();
  let root: string | undefined;
  try {
    // PROVISIONING (the server opened it at the claim) is the runner's: a fresh workspace.
    root = await createWorkspace(deps.workRoot, deps.sandboxUser);
    const workspace = planBuildWorkspace(
      root,
      spec.secondarySources.map(({ sourceIdentifier }) => ({ identifier: sourceIdentifier })),
    );
    await createBuildWorkspaceDirs(workspace, deps.sandboxUser);
    const cacheDir = spec.localCache ? join(deps.cacheRoot, spec.projectName) : undefined;
    if (cacheDir !== undefined) await mkdir(cacheDir, { recursive: true, mode: 0o700 });
    await reporter.phaseEnded(provisioning(provisioningStarted, 'SUCCEEDED'));
    const run: BuildRun = {
      buildId: spec.buildId,
      buildArn: spec.buildArn,
      buildNumber: spec.buildNumber,
      projectName: spec.projectName,
      projectArn: spec.projectArn,
      region: spec.region,
      accountId: spec.accountId,
      initiator: spec.initiator,
      startTime: spec.startTime,
      image: spec.image,
      buildspec:
        spec.buildspec.kind === 'inline'
          ? { kind: 'inline', text: spec.buildspec.text }
          : { kind: 'file', path: spec.buildspec.path },
      environment: {
        project: spec.environment.project.map(typed),
        override: spec.environment.override.map(typed),
      },
      network: spec.network,
      deadline: spec.deadline,
      workspace,
      prepareSource: prepareJobSources(spec),
      ...(spec.sourceVersion === undefined ? {} : { sourceVersion: spec.sourceVersion }),
      ...(spec.sourceRepoUrl === undefined ? {} : { sourceRepoUrl: spec.sourceRepoUrl }),
      artifactSettings: (identifier) => {
        const artifact =
          identifier === undefined
            ? spec.artifact
            : spec.secondaryArtifacts.find((a) => a.identifier === identifier);
        return artifact === undefined ? undefined : settings(artifact);
      },
      ...(cacheDir === undefined ? {} : { cacheDir }),
      executor: deps.executor,
      sandboxUser: deps.sandboxUser,
      signal: controller.signal,
      logPath: spec.logStream,
      ...(spec.publicBuildUrl === undefined ? {} : { publicBuildUrl: spec.publicBuildUrl }),
    };
    const outcome = await runBuild(run, {
      reporter,
      artifactSink: new ProtocolArtifactSink(deps.client, lease.jobId, lease.leaseId),
    });
    log.info({ buildStatus: outcome.buildStatus }, 'build finished');
  } catch (error) {
    if (isLeaseLost(error) || heartbeats.lost) {
      log.warn('the lease was lost; the server ends this build');
    } else {
      log.error({ err: error }, 'build could not be run to its end');
      await reportFault(reporter, provisioningStarted, error).catch((failure: unknown) =>
        log.warn({ err: failure }, 'could not report the fault; the lease will lapse'),
      );
    }
  } finally {
    heartbeats.stop();
    stopSignal?.removeEventListener('abort', onStop);
    if (root !== undefined) {
      const workspaceRoot = root;
      await rm(workspaceRoot, { recursive: true, force: true }).catch((error: unknown) =>
        log.warn({ err: error, root: workspaceRoot }, 'could not remove a build workspace'),
      );
    }
  }
}

function provisioning(
  startTime: number,
  phaseStatus: 'SUCCEEDED' | 'FAULT',
  message = '',
): PhaseRecord {
  const endTime = Math.max(startTime, Date.now());
  return {
    phaseType: 'PROVISIONING',
    phaseStatus,
    startTime,
    endTime,
    durationInSeconds: Math.floor((endTime - startTime) / 1000),
    contexts: [{ statusCode: phaseStatus === 'FAULT' ? 'INTERNAL_ERROR' : '', message }],
  };
}

/**
 * The runner could not prepare the build (no workspace, a broken sandbox): PROVISIONING ends
 * FAULT and the build with it, at once rather than when the lease lapses. A failure after
 * PROVISIONING is the engine's to report.
 */
async function reportFault(reporter: ProtocolReporter, startTime: number, error: unknown) {
  if (reporter.phasesReported > 0) return;
  const message = error instanceof Error ? error.message : 'the runner failed';
  await reporter.phaseEnded(provisioning(startTime, 'FAULT', message));
  await reporter.buildCompleted({
    buildStatus: 'FAULT',
    phases: [],
    startTime,
    endTime: Date.now(),
    resolvedSourceVersion: undefined,
    exportedVariables: [],
    artifacts: [],
    reports: [],
  });
}

/** Heartbeats until stopped; StopBuild (cancelRequested) and a lost lease abort the build. */
function keepLease(
  deps: BuildJobDeps,
  claim: ClaimResponse<BuildJobSpec>,
  controller: AbortController,
  log: Logger,
) {
  const { jobId, leaseId, expiresAt } = claim.lease;
  const interval = deps.heartbeatMs ?? Math.max(1_000, Math.floor((expiresAt - Date.now()) / 3));
  const state = { lost: false, stop: () => clearInterval(timer) };
  let beating = false;
  const timer = setInterval(() => {
    if (beating) return;
    beating = true;
    deps.client
      .heartbeat(jobId, leaseId)
      .then((answer) => {
        if (answer.cancelRequested && !controller.signal.aborted) {
          log.info('StopBuild: stopping the build');
          controller.abort();
        }
      })
      .catch((error: unknown) => {
        if (isLeaseLost(error)) {
          state.lost = true;
          controller.abort();
        } else {
          log.warn({ err: error }, 'heartbeat failed; retrying');
        }
      })
      .finally(() => {
        beating = false;
      });
  }, interval);
  return state;
}

function isLeaseLost(error: unknown): boolean {
  return error instanceof JobProtocolError && error.code === JobErrorCode.LeaseLost;
}

function typed(variable: JobVariable) {
  return { name: variable.name, value: variable.value, type: variable.type };
}

function settings(artifact: BuildJobSpec['secondaryArtifacts'][number]): ArtifactSettings {
  return {
    ...(artifact.identifier === undefined ? {} : { identifier: artifact.identifier }),
    packaging: artifact.packaging,
    name: artifact.name,
    ...(artifact.overrideArtifactName === undefined
      ? {}
      : { overrideArtifactName: artifact.overrideArtifactName }),
  };
}
