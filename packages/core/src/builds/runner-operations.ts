import type { BuiltinVariablesInput } from '@slipway/buildspec';
import { AppErrorKind, isAppError } from '../errors/app-error.ts';
import { JobOutcome, JobStatus, type ClaimedJob, type Lease } from '../jobs/job.model.ts';
import {
  BuildDispatch,
  buildJobQueue,
  BuildPhaseType,
  BuildStatus,
  finalStatuses,
  type Build,
  type BuildArtifacts,
  type ExportedEnvironmentVariable,
  type FinalStatus,
  type PhaseContext,
} from './build.model.ts';
import { endedBuild } from './build-ending.ts';
import { anyPhaseFailed, applyPhaseReport, claimedPhases } from './build-phases.ts';
import {
  assembleReport,
  autoCreatedGroup,
  checkReportInputs,
  reportGroupNameFor,
  type ReportInput,
} from './build-reports.ts';
import { changeBuild, moved, type BuildsContext } from './builds.context.ts';
import { buildsConflict, BuildsSubject, buildsNotFound } from './builds.errors.ts';
import type { NewLogEvent, NewReport } from './builds.ports.ts';
import { prepareLogChunk } from './log-chunks.ts';
import type { LogStreamKey } from './log.model.ts';
import { reportGroupNameProblem } from './report.model.ts';
import type { EnvironmentVariable, SandboxNetwork } from './project.model.ts';
import { isList, isOneOf, Problems } from './problems.ts';

export interface ClaimBuildInput {
  readonly workerId: string;
  readonly leaseMs: number;
}

/** The builtin variables' inputs the server knows; the runner adds its directories. */
export type KnownBuiltins = Omit<
  BuiltinVariablesInput,
  'srcDir' | 'secondarySources' | 'resolvedSourceVersion' | 'succeeding'
>;

/** Everything a runner needs to run a build it claimed. */
export interface ClaimedBuild {
  readonly build: Build;
  readonly lease: Lease;
  /** Epoch ms by which the build must end: timeoutInMinutes from the claim. */
  readonly deadline: number;
  /** Inline YAML, a path in the source, an S3 ARN, or undefined for `buildspec.yml`. */
  readonly buildspec: string | undefined;
  /**
   * The variable layers in CodeBuild's precedence (override over project over buildspec), for
   * `computeBuildEnvironment`. PARAMETER_STORE and SECRETS_MANAGER values are references.
   */
  readonly environmentVariables: {
    readonly project: readonly EnvironmentVariable[];
    readonly override: readonly EnvironmentVariable[];
  };
  readonly builtins: KnownBuiltins;
  readonly network: SandboxNetwork;
  /** Where appendLogs writes, the first chunk being sequence 1; undefined when disabled. */
  readonly logs: { readonly groupName: string; readonly streamName: string } | undefined;
}

export interface LeaseInput {
  readonly buildId: string;
  readonly leaseId: string;
}

export interface HeartbeatInput extends LeaseInput {
  readonly leaseMs: number;
}

export interface HeartbeatOutput {
  readonly expiresAt: number;
  /** StopBuild was called: stop, then complete with STOPPED. */
  readonly cancelRequested: boolean;
  readonly deadline: number | undefined;
}

export interface RecordPhaseInput extends LeaseInput {
  readonly phaseType: string;
  /** Undefined: the phase started. Otherwise it ended with this status. */
  readonly phaseStatus?: string | undefined;
  readonly contexts?: readonly PhaseContext[] | undefined;
  readonly startTime?: number | undefined;
  readonly endTime?: number | undefined;
}

export interface AppendLogsInput extends LeaseInput {
  /** 1 for the first chunk, then each chunk the next; a chunk sent again is ignored. */
  readonly sequence: number;
  readonly events: readonly NewLogEvent[];
}

export interface AppendLogsOutput {
  readonly sequence: number;
  /** The chunk had been received before; nothing was stored this time. */
  readonly duplicate: boolean;
  /** The build's log has reached its limit: later output is dropped. */
  readonly truncated: boolean;
}

export interface ArtifactResult {
  readonly artifactIdentifier?: string | undefined;
  readonly location?: string | undefined;
  readonly md5sum?: string | undefined;
  readonly sha256sum?: string | undefined;
}

export interface BuildOutcome {
  readonly buildStatus: string;
  readonly resolvedSourceVersion?: string | undefined;
  readonly exportedEnvironmentVariables?: readonly ExportedEnvironmentVariable[] | undefined;
  readonly artifacts?: ArtifactResult | undefined;
  readonly secondaryArtifacts?: readonly ArtifactResult[] | undefined;
  readonly reports?: readonly ReportInput[] | undefined;
  /** Added to the phase the completion closes, if one is still open. */
  readonly contexts?: readonly PhaseContext[] | undefined;
}

export interface CompleteBuildInput extends LeaseInput {
  readonly outcome: BuildOutcome;
}

/** Jobs whose build is no longer waiting for them, dropped before a claim gives up. */
const maxStaleClaims = 16;
const maxEventsPerChunk = 10_000;
const maxContexts = 20;
const maxContextLength = 4096;
const maxExportedVariables = 1000;

/**
 * The runner-facing use cases the job protocol calls, transport-free. Every call after the
 * claim names the lease: it is refused (Conflict `build-lease`) once the lease is not the
 * job's live lease, or the build ended, so a runner that lost its build can never change it.
 */
export class RunnerOperations {
  readonly #context: BuildsContext;

  constructor(context: BuildsContext) {
    this.#context = context;
  }

  /** The oldest claimable build, leased and moved QUEUED → PROVISIONING; undefined if none. */
  async claimBuild(input: ClaimBuildInput): Promise<ClaimedBuild | undefined> {
    const problems = new Problems();
    if (typeof input.workerId !== 'string' || input.workerId === '') {
      problems.add('workerId', 'is required');
    }
    checkLeaseMs(problems, input.leaseMs);
    problems.throwIfAny(BuildsSubject.RunnerInput);
    const { jobs } = this.#context.deps;
    for (let skipped = 0; skipped < maxStaleClaims; skipped++) {
      const claimed = await jobs.claim({ queue: buildJobQueue, ...input });
      if (claimed === undefined) return undefined;
      const started = await this.#startRunning(claimed);
      if (started !== undefined) return started;
      // Its build was stopped or timed out while the job waited: drop the job.
      await this.#completeJob(claimed.lease.jobId, claimed.lease.leaseId, JobOutcome.Failed);
    }
    return undefined;
  }

  async heartbeat(input: HeartbeatInput): Promise<HeartbeatOutput> {
    const problems = new Problems();
    checkLeaseMs(problems, input.leaseMs);
    problems.throwIfAny(BuildsSubject.RunnerInput);
    const build = await this.#build(input.buildId);
    const jobId = this.#leasedJob(build, input.leaseId);
    try {
      const beat = await this.#context.deps.jobs.heartbeat({
        jobId,
        leaseId: input.leaseId,
        leaseMs: input.leaseMs,
      });
      return {
        expiresAt: beat.expiresAt,
        // Read from the build too: StopBuild records it there first (see stopBuild).
        cancelRequested: beat.cancelRequested || build.run.stopRequested,
        deadline: build.run.deadline,
      };
    } catch (error) {
      throw isLeaseLost(error) ? leaseLost(input.buildId) : error;
    }
  }

  /** The build a live lease holds: for calls that act for its runner (artifact uploads). */
  async leasedBuild(input: LeaseInput): Promise<Build> {
    const build = await this.#build(input.buildId);
    await this.#requireLiveLease(build, input.leaseId);
    return build;
  }

  /** Records a phase start or end, in CodeBuild's order; a repeated report changes nothing. */
  async recordPhase(input: RecordPhaseInput): Promise<Build> {
    const problems = new Problems();
    if (!isOneOf(Object.values(BuildPhaseType), input.phaseType)) {
      problems.add('phaseType', 'is not a CodeBuild phase');
    }
    if (input.phaseStatus !== undefined && !isOneOf(finalStatuses, input.phaseStatus)) {
      problems.add('phaseStatus', `must be one of ${finalStatuses.join(', ')}`);
    }
    checkContexts(problems, input.contexts);
    for (const field of ['startTime', 'endTime'] as const) {
      const time = input[field];
      if (time !== undefined && (!Number.isSafeInteger(time) || time < 0)) {
        problems.add(field, 'must be epoch milliseconds');
      }
    }
    problems.throwIfAny(BuildsSubject.RunnerInput);
    const report = {
      phaseType: input.phaseType as BuildPhaseType,
      phaseStatus: input.phaseStatus as FinalStatus | undefined,
      contexts: input.contexts,
      startTime: input.startTime,
      endTime: input.endTime,
    };
    return changeBuild(this.#context, input.buildId, async (build) => {
      await this.#requireLiveLease(build, input.leaseId);
      const result = applyPhaseReport(build.phases, report, this.#context.deps.clock.now());
      if (result.kind === 'duplicate') return build;
      if (result.kind === 'refused') {
        throw buildsConflict(BuildsSubject.PhaseOrder, `Phase report refused: ${result.reason}`);
      }
      const last = result.phases.at(-1);
      const updated = await this.#context.deps.builds.update({
        ...build,
        phases: result.phases,
        currentPhase: last?.phaseType ?? build.currentPhase,
      });
      return updated ?? moved;
    });
  }

  /** Stores a chunk of log events once, whatever the retries; see `prepareLogChunk`. */
  async appendLogs(input: AppendLogsInput): Promise<AppendLogsOutput> {
    const problems = new Problems();
    if (!Number.isSafeInteger(input.sequence) || input.sequence < 1) {
      problems.add('sequence', 'must be a whole number from 1');
    }
    checkEvents(problems, input.events);
    problems.throwIfAny(BuildsSubject.RunnerInput);
    const build = await this.#build(input.buildId);
    await this.#requireLiveLease(build, input.leaseId);
    const key = logStreamKeyOf(build);
    const { logs, clock } = this.#context.deps;
    if (key === undefined) return { sequence: input.sequence, duplicate: false, truncated: false };
    let stream = await logs.findStream(key);
    if (stream === undefined) {
      await logs.createStream(key, clock.now());
      stream = await logs.findStream(key);
    }
    if (stream === undefined)
      throw buildsNotFound(BuildsSubject.LogStream, 'The log stream vanished');
    if (input.sequence <= stream.lastSequence) {
      return { sequence: input.sequence, duplicate: true, truncated: stream.truncated };
    }
    if (input.sequence !== stream.lastSequence + 1) throw sequenceGap(stream.lastSequence);
    const chunk = prepareLogChunk(input.events, {
      storedBytes: stream.storedBytes,
      alreadyTruncated: stream.truncated,
      maxBytes: this.#context.options.maxLogBytesPerBuild,
    });
    const result = await logs.append({
      key,
      sequence: input.sequence,
      events: chunk.events,
      bytes: chunk.bytes,
      truncated: chunk.truncated,
      ingestionTime: clock.now(),
    });
    switch (result.kind) {
      case 'appended':
        return { sequence: input.sequence, duplicate: false, truncated: result.stream.truncated };
      case 'duplicate':
        return { sequence: input.sequence, duplicate: true, truncated: result.stream.truncated };
      case 'out-of-order':
        throw sequenceGap(result.stream.lastSequence);
      case 'missing':
        throw buildsNotFound(BuildsSubject.LogStream, 'The log stream vanished');
    }
  }

  /**
   * Ends the build with the runner's outcome, its reports, artifacts and exported variables,
   * then completes the job. Repeating it with the same lease returns the build as it ended.
   * A SUCCEEDED outcome with a failed phase ends FAILED: CodeBuild fails a build whenever a
   * phase failed, so the phases are believed over the summary.
   */
  async completeBuild(input: CompleteBuildInput): Promise<Build> {
    const { outcome } = input;
    checkOutcome(outcome);
    return changeBuild(this.#context, input.buildId, async (build) => {
      if (build.buildComplete) {
        if (build.run.leaseId === input.leaseId && build.run.endedBy === 'runner') {
          await this.#completeJob(build.run.jobId, input.leaseId, jobOutcomeOf(build));
          return build;
        }
        throw leaseLost(build.id);
      }
      await this.#requireLiveLease(build, input.leaseId);
      const now = this.#context.deps.clock.now();
      let status = outcome.buildStatus as FinalStatus;
      if (status === BuildStatus.Succeeded && anyPhaseFailed(build.phases)) {
        status = BuildStatus.Failed;
      }
      const reports = await this.#reports(build, outcome.reports ?? [], now);
      const ended = endedBuild(
        build,
        { buildStatus: status, contexts: outcome.contexts, endedBy: 'runner' },
        now,
        {
          resolvedSourceVersion: outcome.resolvedSourceVersion ?? build.resolvedSourceVersion,
          exportedEnvironmentVariables: outcome.exportedEnvironmentVariables ?? [],
          artifacts: withResult(build.artifacts, outcome.artifacts),
          secondaryArtifacts: build.secondaryArtifacts.map((a) =>
            withResult(
              a,
              outcome.secondaryArtifacts?.find(
                (r) => r.artifactIdentifier === a.artifactIdentifier,
              ),
            ),
          ),
          reportArns: reports.map((r) => r.report.arn),
        },
      );
      const finished = await this.#context.deps.builds.finish({ build: ended, reports });
      if (finished === undefined) return moved;
      await this.#completeJob(build.run.jobId, input.leaseId, jobOutcomeOf(finished.build));
      return finished.build;
    });
  }

  async #startRunning(claimed: ClaimedJob): Promise<ClaimedBuild | undefined> {
    const { job, lease } = claimed;
    const payload = job.payload;
    const buildId =
      typeof payload === 'object' && payload !== null && !Array.isArray(payload)
        ? (payload as Record<string, unknown>).buildId
        : undefined;
    if (typeof buildId !== 'string') return undefined;
    const { builds, clock, logs } = this.#context.deps;
    if ((await builds.find(buildId)) === undefined) return undefined;
    return changeBuild(this.#context, buildId, async (build) => {
      if (build.run.dispatch !== BuildDispatch.Queued || build.run.jobId !== job.id) {
        return undefined;
      }
      const now = clock.now();
      const deadline = now + build.timeoutInMinutes * 60_000;
      const running = await builds.update({
        ...build,
        phases: claimedPhases(build.phases, now),
        currentPhase: BuildPhaseType.Provisioning,
        run: {
          ...build.run,
          dispatch: BuildDispatch.Running,
          leaseId: lease.leaseId,
          workerId: lease.workerId,
          claimedAt: now,
          deadline,
        },
      });
      if (running === undefined) return moved;
      const key = logStreamKeyOf(running);
      if (key !== undefined) await logs.createStream(key, now);
      return claimedBuild(running, lease, deadline);
    });
  }

  async #reports(build: Build, inputs: readonly ReportInput[], now: number): Promise<NewReport[]> {
    const reports: NewReport[] = [];
    for (const input of inputs) {
      const name = reportGroupNameFor(build, build.projectName, input.reportGroup);
      // A report group ARN of another account or region cannot receive this build's report,
      // nor can a name CreateReportGroup would refuse; the rest of the build still completes.
      if (name === undefined || reportGroupNameProblem(name) !== undefined) continue;
      const group =
        (await this.#context.deps.reports.findGroup(build.accountId, build.region, name)) ??
        autoCreatedGroup(build, name, now);
      reports.push(
        assembleReport({ build, group, input, uuid: this.#context.deps.random.uuid(), now }),
      );
    }
    return reports;
  }

  async #build(buildId: string): Promise<Build> {
    const build = await this.#context.deps.builds.find(buildId);
    if (build === undefined)
      throw buildsNotFound(BuildsSubject.Build, `Build cannot be found: ${buildId}`);
    return build;
  }

  #leasedJob(build: Build, leaseId: string): string {
    const { jobId } = build.run;
    if (build.buildComplete || build.run.leaseId !== leaseId || jobId === undefined) {
      throw leaseLost(build.id);
    }
    return jobId;
  }

  /** The build is running under this lease, and the job's lease is live (not lapsed). */
  async #requireLiveLease(build: Build, leaseId: string): Promise<void> {
    const jobId = this.#leasedJob(build, leaseId);
    const job = await this.#context.deps.jobs.findJob(jobId);
    const now = this.#context.deps.clock.now();
    if (
      job?.status !== JobStatus.Leased ||
      job.leaseId !== leaseId ||
      (job.leaseExpiresAt ?? 0) <= now
    ) {
      throw leaseLost(build.id);
    }
  }

  /** Completes the job; a lease that lapsed meanwhile is the reaper's to settle. */
  async #completeJob(jobId: string | undefined, leaseId: string, outcome: JobOutcome) {
    if (jobId === undefined) return;
    try {
      await this.#context.deps.jobs.complete({ jobId, leaseId, outcome });
    } catch (error) {
      if (!isLeaseLost(error) && !(isAppError(error) && error.kind === AppErrorKind.NotFound)) {
        throw error;
      }
    }
  }
}

export function logStreamKeyOf(build: Build): LogStreamKey | undefined {
  const { groupName, streamName } = build.logs;
  if (groupName === undefined || streamName === undefined) return undefined;
  return {
    accountId: build.accountId,
    region: build.region,
    logGroupName: groupName,
    logStreamName: streamName,
  };
}

function claimedBuild(build: Build, lease: Lease, deadline: number): ClaimedBuild {
  const { groupName, streamName } = build.logs;
  return {
    build,
    lease,
    deadline,
    buildspec: build.source.buildspec,
    environmentVariables: {
      project: build.settings.projectEnvironmentVariables,
      override: build.settings.environmentVariablesOverride,
    },
    builtins: {
      region: build.region,
      buildId: build.id,
      buildArn: build.arn,
      buildNumber: build.buildNumber,
      projectArn: build.settings.projectArn,
      image: build.environment.image,
      initiator: build.initiator,
      startTime: build.startTime,
      sourceVersion: build.sourceVersion,
      sourceRepoUrl: build.source.location,
      logPath: streamName,
      kmsKeyId: build.encryptionKey,
    },
    network: build.settings.network,
    logs:
      groupName === undefined || streamName === undefined ? undefined : { groupName, streamName },
  };
}

function withResult(artifacts: BuildArtifacts, result: ArtifactResult | undefined): BuildArtifacts {
  if (result === undefined) return artifacts;
  return {
    ...artifacts,
    location: result.location ?? artifacts.location,
    md5sum: result.md5sum ?? artifacts.md5sum,
    sha256sum: result.sha256sum ?? artifacts.sha256sum,
  };
}

function jobOutcomeOf(build: Build): JobOutcome {
  return build.buildStatus === BuildStatus.Succeeded ? JobOutcome.Succeeded : JobOutcome.Failed;
}

function checkOutcome(outcome: BuildOutcome): void {
  const problems = new Problems();
  if (!isOneOf(finalStatuses, outcome.buildStatus)) {
    problems.add('outcome.buildStatus', `must be one of ${finalStatuses.join(', ')}`);
  }
  checkContexts(problems, outcome.contexts, 'outcome.contexts');
  const exported = outcome.exportedEnvironmentVariables ?? [];
  if (exported.length > maxExportedVariables) {
    problems.add('outcome.exportedEnvironmentVariables', `at most ${maxExportedVariables}`);
  }
  exported.forEach((v, i) => {
    if (!v.name || typeof v.value !== 'string') {
      problems.add(`outcome.exportedEnvironmentVariables[${i}]`, 'needs a name and a value');
    }
  });
  checkReportInputs(problems, 'outcome.reports', outcome.reports ?? []);
  problems.throwIfAny(BuildsSubject.RunnerInput);
}

function checkContexts(
  problems: Problems,
  contexts: readonly PhaseContext[] | undefined,
  path = 'contexts',
): void {
  if (contexts === undefined) return;
  if (contexts.length > maxContexts) problems.add(path, `at most ${maxContexts} contexts`);
  contexts.forEach((c, i) => {
    if (
      typeof c.statusCode !== 'string' ||
      typeof c.message !== 'string' ||
      c.statusCode.length > 256 ||
      c.message.length > maxContextLength
    ) {
      problems.add(
        `${path}[${i}]`,
        `needs a statusCode and a message of at most ${maxContextLength}`,
      );
    }
  });
}

function checkEvents(problems: Problems, events: readonly NewLogEvent[]): void {
  if (!isList(events)) {
    problems.add('events', 'must be a list');
    return;
  }
  if (events.length > maxEventsPerChunk) {
    problems.add('events', `at most ${maxEventsPerChunk} events per chunk`);
  }
  events.forEach((e, i) => {
    if (!Number.isSafeInteger(e.timestamp) || e.timestamp < 0) {
      problems.add(`events[${i}].timestamp`, 'must be epoch milliseconds');
    }
    if (typeof e.message !== 'string') problems.add(`events[${i}].message`, 'must be a string');
  });
}

/** A lease from a second to an hour: shorter cannot survive a round trip, longer hides a lost runner. */
function checkLeaseMs(problems: Problems, leaseMs: number): void {
  if (!Number.isSafeInteger(leaseMs) || leaseMs < 1000 || leaseMs > 3_600_000) {
    problems.add('leaseMs', 'must be from 1,000 to 3,600,000 milliseconds');
  }
}

function leaseLost(buildId: string) {
  return buildsConflict(
    BuildsSubject.BuildLease,
    `The lease on build ${buildId} is no longer held (expired, or the build ended)`,
  );
}

function sequenceGap(last: number) {
  return buildsConflict(
    BuildsSubject.LogSequence,
    `Log chunk out of order: the next chunk is ${last + 1}; send the chunks in order`,
  );
}

function isLeaseLost(error: unknown): boolean {
  return isAppError(error) && error.kind === AppErrorKind.Conflict;
}
