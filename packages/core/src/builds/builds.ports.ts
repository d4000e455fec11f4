import type { Build } from './build.model.ts';
import type { LogEvent, LogGroup, LogStream, LogStreamKey } from './log.model.ts';
import type { PageCursor, SortOrderType } from './paging.ts';
import type { Project } from './project.model.ts';
import type { Report, ReportGroup, ReportStatus, TestCase } from './report.model.ts';

export const ProjectSortBy = {
  Name: 'NAME',
  CreatedTime: 'CREATED_TIME',
  LastModifiedTime: 'LAST_MODIFIED_TIME',
} as const;
export type ProjectSortBy = (typeof ProjectSortBy)[keyof typeof ProjectSortBy];

/** Keyset paging on (sort key, name): the key is the name or a time in epoch ms. */
export interface ListProjectsQuery {
  readonly accountId: string;
  readonly region: string;
  readonly sortBy: ProjectSortBy;
  readonly sortOrder: SortOrderType;
  readonly after: PageCursor | undefined;
  readonly limit: number;
}

/** Build projects. A project's build counter lives with it but is the BuildStore's to take. */
export interface ProjectStore {
  /** AlreadyExists (`project`) when the account has the name in that region. */
  insert(project: Project): Promise<void>;
  find(accountId: string, region: string, name: string): Promise<Project | undefined>;
  list(query: ListProjectsQuery): Promise<Project[]>;
  /** Replaces the stored project (its build counter stays); NotFound (`project`) when gone. */
  update(project: Project): Promise<Project>;
  /** False when there was nothing to delete. Its builds stay. */
  delete(accountId: string, region: string, name: string): Promise<boolean>;
}

/** A new build as the service made it; the store fills in what it decides atomically. */
export interface CreateBuild {
  /**
   * The build as it starts. The store sets `buildNumber` (the project's next), `run.dispatch`
   * (`queued` with a job when the project has a free slot, else `held`), `run.jobId` and
   * `version`, all in one transaction with the project's counter and the job.
   */
  readonly build: Build;
  /** StartBuild's idempotency token, recorded with the build. */
  readonly idempotency: IdempotencyRecord | undefined;
  /** Held builds allowed per unit of concurrentBuildLimit before StartBuild is refused. */
  readonly maxHeldPerSlot: number;
}

export interface IdempotencyRecord {
  readonly token: string;
  /** The request, canonically: the same token with another request is refused. */
  readonly fingerprint: string;
  /** Tokens recorded before this time (epoch ms) have expired and are replaced. */
  readonly validSince: number;
}

export type CreateBuildResult =
  | { readonly kind: 'created'; readonly build: Build }
  /** The token was used for the same request within its window: that request's build. */
  | { readonly kind: 'replayed'; readonly build: Build }
  | { readonly kind: 'token-mismatch' }
  | { readonly kind: 'project-missing' }
  | { readonly kind: 'queue-full'; readonly limit: number; readonly held: number };

/** A report a finishing build produced, with its group, created when missing. */
export interface NewReport {
  readonly group: ReportGroup;
  readonly report: Report;
  readonly testCases: readonly TestCase[];
}

export interface FinishBuild {
  /** The ended build; written only if the stored version still equals `build.version`. */
  readonly build: Build;
  readonly reports: readonly NewReport[];
}

export interface FinishedBuild {
  readonly build: Build;
  /** Held builds of the project dispatched into the slot it freed, in the same transaction. */
  readonly released: readonly Build[];
}

export interface ListBuildsQuery {
  readonly accountId: string;
  readonly region: string;
  /** Every project's builds when undefined. */
  readonly projectName: string | undefined;
  readonly sortOrder: SortOrderType;
  /** The `seq` of the last build of the previous page. */
  readonly after: number | undefined;
  readonly limit: number;
}

/** A build in start order: `seq` grows with every build created in the installation. */
export interface BuildListing {
  readonly id: string;
  readonly seq: number;
}

export interface DueBuildsQuery {
  /** Builds still QUEUED whose queued deadline is at or before this. */
  readonly queuedBefore: number;
  /** Running builds whose deadline is at or before this. */
  readonly runningBefore: number;
  readonly limit: number;
}

export interface ProjectKey {
  readonly accountId: string;
  readonly region: string;
  readonly projectName: string;
}

/**
 * Builds. Every change is a compare-and-swap on `version`, so two servers (or a runner and
 * StopBuild) never overwrite each other: the loser re-reads and decides again. The concurrency
 * limit is the store's to apply, inside the transactions that take and free slots, so a slot
 * is never given twice and a held build is never forgotten.
 */
export interface BuildStore {
  create(input: CreateBuild): Promise<CreateBuildResult>;
  find(id: string): Promise<Build | undefined>;
  findByJob(jobId: string): Promise<Build | undefined>;
  /** The builds that exist among `ids`, in no particular order. */
  findMany(ids: readonly string[]): Promise<Build[]>;
  list(query: ListBuildsQuery): Promise<BuildListing[]>;
  /** Writes `build` (not ending it) if the stored version is `build.version`; else undefined. */
  update(build: Build): Promise<Build | undefined>;
  /**
   * Ends a build (compare-and-swap as `update`), records its reports (creating missing report
   * groups), and dispatches held builds of its project into the freed slot, atomically.
   */
  finish(input: FinishBuild): Promise<FinishedBuild | undefined>;
  /** Dispatches a project's held builds into its free slots (after a limit change, say). */
  releaseHeld(project: ProjectKey): Promise<Build[]>;
  /** Deletes the ended builds among `ids`; returns the ids it deleted. */
  delete(ids: readonly string[]): Promise<string[]>;
  /** Unfinished builds whose queued or run deadline has passed. */
  listDue(query: DueBuildsQuery): Promise<Build[]>;
  /** Unfinished builds with a job that is no longer live (lost, cancelled, done, or gone). */
  listOrphaned(limit: number): Promise<Build[]>;
  /** Projects (or deleted projects) with held builds and at least one free slot. */
  listReleasable(limit: number): Promise<ProjectKey[]>;
  /** Calls `listener` with a build id after that build changed, here or on another server. */
  watch(listener: (buildId: string) => void): () => void;
}

export const ReportGroupSortBy = ProjectSortBy;
export type ReportGroupSortBy = ProjectSortBy;

export interface ListReportGroupsQuery {
  readonly accountId: string;
  readonly region: string;
  readonly sortBy: ReportGroupSortBy;
  readonly sortOrder: SortOrderType;
  readonly after: PageCursor | undefined;
  readonly limit: number;
}

export interface ListReportsQuery {
  readonly accountId: string;
  readonly region: string;
  /** Every group's reports when undefined. */
  readonly reportGroupArn: string | undefined;
  readonly status: ReportStatus | undefined;
  readonly sortOrder: SortOrderType;
  readonly after: number | undefined;
  readonly limit: number;
}

export interface ReportListing {
  readonly arn: string;
  readonly seq: number;
}

export interface ListTestCasesQuery {
  readonly reportArn: string;
  readonly status: string | undefined;
  /** Cases whose name or prefix contains it (case-sensitive). */
  readonly keyword: string | undefined;
  /** The index of the last case of the previous page. */
  readonly after: number | undefined;
  readonly limit: number;
}

export interface ListedTestCase {
  /** Position in the report, from 0, in the order the runner sent them. */
  readonly index: number;
  readonly testCase: TestCase;
}

export type DeleteReportGroupResult = 'deleted' | 'not-empty' | 'missing';

/** Report groups, reports and test cases (reports arrive through `BuildStore.finish`). */
export interface ReportStore {
  /** AlreadyExists (`report-group`) when the name is taken in the account and region. */
  insertGroup(group: ReportGroup): Promise<void>;
  findGroup(accountId: string, region: string, name: string): Promise<ReportGroup | undefined>;
  listGroups(query: ListReportGroupsQuery): Promise<ReportGroup[]>;
  /** With `deleteReports`, its reports and their cases go too; without, it must be empty. */
  deleteGroup(arn: string, deleteReports: boolean): Promise<DeleteReportGroupResult>;
  findReport(arn: string): Promise<Report | undefined>;
  listReports(query: ListReportsQuery): Promise<ReportListing[]>;
  /** False when there was nothing to delete. */
  deleteReport(arn: string): Promise<boolean>;
  listTestCases(query: ListTestCasesQuery): Promise<ListedTestCase[]>;
}

export interface NewLogEvent {
  readonly timestamp: number;
  readonly message: string;
}

export interface AppendLogChunk {
  readonly key: LogStreamKey;
  /** The runner's chunk number: accepted only as the stream's `lastSequence + 1`. */
  readonly sequence: number;
  readonly events: readonly NewLogEvent[];
  /** UTF-8 bytes of the messages, added to the stream's storedBytes. */
  readonly bytes: number;
  /** Sets the stream's `truncated` flag (the total limit was reached with this chunk). */
  readonly truncated: boolean;
  readonly ingestionTime: number;
}

export type AppendLogResult =
  | { readonly kind: 'appended'; readonly stream: LogStream }
  | { readonly kind: 'duplicate'; readonly stream: LogStream }
  | { readonly kind: 'out-of-order'; readonly stream: LogStream }
  | { readonly kind: 'missing' };

export interface ReadStreamQuery {
  readonly key: LogStreamKey;
  /** `forward` reads the first `limit` events with seq > `afterSeq`; `backward` the last
   * `limit` with seq < `beforeSeq`. Either way they come back in seq order. */
  readonly direction: 'forward' | 'backward';
  readonly afterSeq?: number | undefined;
  readonly beforeSeq?: number | undefined;
  /** Inclusive. */
  readonly startTime?: number | undefined;
  /** Exclusive, as GetLogEvents has it. */
  readonly endTime?: number | undefined;
  readonly limit: number;
}

/** Pattern terms, all plain substrings matched case-sensitively. */
export interface MessageMatch {
  readonly allOf: readonly string[];
  /** At least one, when not empty. */
  readonly anyOf: readonly string[];
  readonly noneOf: readonly string[];
}

export interface FilterEventsQuery {
  readonly accountId: string;
  readonly region: string;
  readonly logGroupName: string;
  readonly logStreamNames: readonly string[] | undefined;
  readonly logStreamNamePrefix: string | undefined;
  /** Both inclusive, as FilterLogEvents has them. */
  readonly startTime: number | undefined;
  readonly endTime: number | undefined;
  readonly match: MessageMatch;
  /** Events after this (timestamp, eventId) in that order. */
  readonly after: { readonly timestamp: number; readonly eventId: number } | undefined;
  readonly limit: number;
}

export interface ListLogGroupsQuery {
  readonly accountId: string;
  readonly region: string;
  readonly prefix: string | undefined;
  /** The name of the last group of the previous page. */
  readonly after: string | undefined;
  readonly limit: number;
}

export const LogStreamOrder = {
  LogStreamName: 'LogStreamName',
  LastEventTime: 'LastEventTime',
} as const;
export type LogStreamOrder = (typeof LogStreamOrder)[keyof typeof LogStreamOrder];

export interface ListLogStreamsQuery {
  readonly accountId: string;
  readonly region: string;
  readonly logGroupName: string;
  readonly prefix: string | undefined;
  readonly orderBy: LogStreamOrder;
  readonly descending: boolean;
  /** Key: the name, or the last event time (-1 for a stream without events); id: the name. */
  readonly after: PageCursor | undefined;
  readonly limit: number;
}

/**
 * Log groups, streams and events. Appends are idempotent by the runner's chunk sequence, and
 * wake watchers on every server (`watch` gets the stream's `logStreamKeyText`).
 */
export interface LogStore {
  /** Creates the stream, and its group when missing; nothing when it exists. */
  createStream(key: LogStreamKey, now: number): Promise<void>;
  findGroup(accountId: string, region: string, name: string): Promise<LogGroup | undefined>;
  findStream(key: LogStreamKey): Promise<LogStream | undefined>;
  append(chunk: AppendLogChunk): Promise<AppendLogResult>;
  readStream(query: ReadStreamQuery): Promise<LogEvent[]>;
  /** Ordered by (timestamp, eventId). */
  filterEvents(query: FilterEventsQuery): Promise<LogEvent[]>;
  listGroups(query: ListLogGroupsQuery): Promise<LogGroup[]>;
  listStreams(query: ListLogStreamsQuery): Promise<LogStream[]>;
  watch(listener: (streamKey: string) => void): () => void;
}
