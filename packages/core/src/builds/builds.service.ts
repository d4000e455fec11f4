import type { Scope } from '../source/source.deps.ts';
import { buildJobQueue, type Build } from './build.model.ts';
import { BuildExpiry } from './build-expiry.ts';
import {
  BuildOperations,
  type BatchDeleteBuildsOutput,
  type BatchGetBuildsOutput,
  type ListBuildsInput,
  type ListBuildsOutput,
  type RetryBuildInput,
} from './build-operations.ts';
import type { StartBuildInput } from './build-request.ts';
import type { BuildsContext } from './builds.context.ts';
import { resolveBuildsOptions, type BuildsDeps, type BuildsOptions } from './builds.deps.ts';
import {
  LogOperations,
  type DescribeLogGroupsInput,
  type DescribeLogStreamsInput,
  type FilterLogEventsInput,
  type FilterLogEventsOutput,
  type GetLogEventsInput,
  type GetLogEventsOutput,
} from './log-operations.ts';
import { watchBuildLogs, type WatchLogsOptions } from './log-watch.ts';
import type { LogEvent, LogGroup, LogStream } from './log.model.ts';
import type { ProjectInput, ProjectUpdate } from './project-validation.ts';
import type { Project } from './project.model.ts';
import {
  ProjectOperations,
  type BatchGetProjectsOutput,
  type ListProjectsInput,
  type ListProjectsOutput,
} from './projects.ts';
import {
  ReportOperations,
  type ArnPage,
  type CreateReportGroupInput,
  type DescribeTestCasesInput,
  type ListReportGroupsInput,
  type ListReportsInput,
} from './report-operations.ts';
import type { Report, ReportGroup, TestCase } from './report.model.ts';
import {
  RunnerOperations,
  type AppendLogsInput,
  type AppendLogsOutput,
  type ClaimBuildInput,
  type ClaimedBuild,
  type CompleteBuildInput,
  type HeartbeatInput,
  type HeartbeatOutput,
  type LeaseInput,
  type RecordPhaseInput,
} from './runner-operations.ts';

/**
 * CodeBuild's model without its wire shapes: projects, builds and their lifecycle, reports, and
 * build logs in CloudWatch Logs' model; plus the runner-facing calls the job protocol makes
 * and the server's own reconcile pass. Every refusal is an AppError whose resource is a
 * `BuildsSubject` (see builds.errors.ts for how the doors map them).
 */
export class BuildsService {
  readonly #context: BuildsContext;
  readonly #projects: ProjectOperations;
  readonly #builds: BuildOperations;
  readonly #runner: RunnerOperations;
  readonly #expiry: BuildExpiry;
  readonly #logs: LogOperations;
  readonly #reports: ReportOperations;

  constructor(deps: BuildsDeps, options: BuildsOptions = {}) {
    this.#context = { deps, options: resolveBuildsOptions(options) };
    this.#projects = new ProjectOperations(this.#context);
    this.#builds = new BuildOperations(this.#context);
    this.#runner = new RunnerOperations(this.#context);
    this.#expiry = new BuildExpiry(this.#context);
    this.#logs = new LogOperations(this.#context);
    this.#reports = new ReportOperations(this.#context);
  }

  // Projects

  createProject(scope: Scope, input: ProjectInput): Promise<Project> {
    return this.#projects.createProject(scope, input);
  }

  updateProject(scope: Scope, update: ProjectUpdate): Promise<Project> {
    return this.#projects.updateProject(scope, update);
  }

  deleteProject(scope: Scope, nameOrArn: string): Promise<boolean> {
    return this.#projects.deleteProject(scope, nameOrArn);
  }

  findProject(scope: Scope, nameOrArn: string): Promise<Project | undefined> {
    return this.#projects.findProject(scope, nameOrArn);
  }

  getProject(scope: Scope, nameOrArn: string): Promise<Project> {
    return this.#projects.getProject(scope, nameOrArn);
  }

  batchGetProjects(scope: Scope, names: readonly string[]): Promise<BatchGetProjectsOutput> {
    return this.#projects.batchGetProjects(scope, names);
  }

  listProjects(scope: Scope, input?: ListProjectsInput): Promise<ListProjectsOutput> {
    return this.#projects.listProjects(scope, input);
  }

  // Builds

  startBuild(scope: Scope, input: StartBuildInput): Promise<Build> {
    return this.#builds.startBuild(scope, input);
  }

  retryBuild(scope: Scope, input: RetryBuildInput): Promise<Build> {
    return this.#builds.retryBuild(scope, input);
  }

  stopBuild(scope: Scope, idOrArn: string): Promise<Build> {
    return this.#builds.stopBuild(scope, idOrArn);
  }

  findBuild(scope: Scope, idOrArn: string): Promise<Build | undefined> {
    return this.#builds.findBuild(scope, idOrArn);
  }

  getBuild(scope: Scope, idOrArn: string): Promise<Build> {
    return this.#builds.getBuild(scope, idOrArn);
  }

  batchGetBuilds(scope: Scope, ids: readonly string[]): Promise<BatchGetBuildsOutput> {
    return this.#builds.batchGetBuilds(scope, ids);
  }

  listBuilds(scope: Scope, input?: ListBuildsInput): Promise<ListBuildsOutput> {
    return this.#builds.listBuilds(scope, input);
  }

  listBuildsForProject(
    scope: Scope,
    projectName: string,
    input?: ListBuildsInput,
  ): Promise<ListBuildsOutput> {
    return this.#builds.listBuildsForProject(scope, projectName, input);
  }

  batchDeleteBuilds(scope: Scope, ids: readonly string[]): Promise<BatchDeleteBuildsOutput> {
    return this.#builds.batchDeleteBuilds(scope, ids);
  }

  /** Calls `listener` with a build id whenever that build may have changed, on any server. */
  watchBuilds(listener: (buildId: string) => void): () => void {
    return this.#context.deps.builds.watch(listener);
  }

  // Runners (the job protocol's use cases)

  claimBuild(input: ClaimBuildInput): Promise<ClaimedBuild | undefined> {
    return this.#runner.claimBuild(input);
  }

  /** Calls `listener` when a build may have become claimable: for claim long-polls. */
  watchClaimable(listener: () => void): () => void {
    return this.#context.deps.jobs.watch((queue) => {
      if (queue === buildJobQueue) listener();
    });
  }

  heartbeat(input: HeartbeatInput): Promise<HeartbeatOutput> {
    return this.#runner.heartbeat(input);
  }

  /** The build the lease holds; Conflict (`build-lease`) when it holds none. */
  leasedBuild(input: LeaseInput): Promise<Build> {
    return this.#runner.leasedBuild(input);
  }

  recordPhase(input: RecordPhaseInput): Promise<Build> {
    return this.#runner.recordPhase(input);
  }

  appendLogs(input: AppendLogsInput): Promise<AppendLogsOutput> {
    return this.#runner.appendLogs(input);
  }

  completeBuild(input: CompleteBuildInput): Promise<Build> {
    return this.#runner.completeBuild(input);
  }

  // The server's own (the lease reaper and a reconcile loop call these)

  failLostBuild(jobId: string): Promise<Build | undefined> {
    return this.#expiry.failLostBuild(jobId);
  }

  expireBuilds(): Promise<Build[]> {
    return this.#expiry.expireBuilds();
  }

  // Logs (CloudWatch Logs)

  getLogEvents(scope: Scope, input: GetLogEventsInput): Promise<GetLogEventsOutput> {
    return this.#logs.getLogEvents(scope, input);
  }

  filterLogEvents(scope: Scope, input: FilterLogEventsInput): Promise<FilterLogEventsOutput> {
    return this.#logs.filterLogEvents(scope, input);
  }

  describeLogGroups(
    scope: Scope,
    input?: DescribeLogGroupsInput,
  ): Promise<{ logGroups: LogGroup[]; nextToken: string | undefined }> {
    return this.#logs.describeLogGroups(scope, input);
  }

  describeLogStreams(
    scope: Scope,
    input: DescribeLogStreamsInput,
  ): Promise<{ logStreams: LogStream[]; nextToken: string | undefined }> {
    return this.#logs.describeLogStreams(scope, input);
  }

  /** A build's log events as they arrive, from any server; see `watchBuildLogs`. */
  watchLogs(
    scope: Scope,
    buildIdOrArn: string,
    options: WatchLogsOptions,
  ): AsyncGenerator<LogEvent[], void, undefined> {
    return watchBuildLogs(this.#context, scope, buildIdOrArn, options);
  }

  // Reports

  createReportGroup(scope: Scope, input: CreateReportGroupInput): Promise<ReportGroup> {
    return this.#reports.createReportGroup(scope, input);
  }

  batchGetReportGroups(
    scope: Scope,
    arns: readonly string[],
  ): Promise<{ reportGroups: ReportGroup[]; reportGroupsNotFound: string[] }> {
    return this.#reports.batchGetReportGroups(scope, arns);
  }

  listReportGroups(scope: Scope, input?: ListReportGroupsInput): Promise<ArnPage> {
    return this.#reports.listReportGroups(scope, input);
  }

  deleteReportGroup(scope: Scope, arn: string, deleteReports?: boolean): Promise<void> {
    return this.#reports.deleteReportGroup(scope, arn, deleteReports);
  }

  listReports(scope: Scope, input?: ListReportsInput): Promise<ArnPage> {
    return this.#reports.listReports(scope, input);
  }

  listReportsForReportGroup(
    scope: Scope,
    reportGroupArn: string,
    input?: ListReportsInput,
  ): Promise<ArnPage> {
    return this.#reports.listReportsForReportGroup(scope, reportGroupArn, input);
  }

  batchGetReports(
    scope: Scope,
    arns: readonly string[],
  ): Promise<{ reports: Report[]; reportsNotFound: string[] }> {
    return this.#reports.batchGetReports(scope, arns);
  }

  deleteReport(scope: Scope, arn: string): Promise<void> {
    return this.#reports.deleteReport(scope, arn);
  }

  describeTestCases(
    scope: Scope,
    input: DescribeTestCasesInput,
  ): Promise<{ testCases: TestCase[]; nextToken: string | undefined }> {
    return this.#reports.describeTestCases(scope, input);
  }
}
