import type { Scope } from '../source/source.deps.ts';
import type { BuildsContext } from './builds.context.ts';
import { BuildsSubject, buildsNotFound, invalidBuildsInput } from './builds.errors.ts';
import { LogStreamOrder } from './builds.ports.ts';
import { parseFilterPattern } from './log-filter-pattern.ts';
import { backwardToken, decodeLogToken, forwardToken, type LogPosition } from './log-tokens.ts';
import { utf8Length } from './log-chunks.ts';
import {
  logGroupNamePattern,
  logStreamNamePattern,
  type LogEvent,
  type LogGroup,
  type LogStream,
} from './log.model.ts';
import { decodePageToken, encodePageToken, isPageCursor, pageOf } from './paging.ts';
import { isOneOf } from './problems.ts';

/** Names the group by `logGroupName` or `logGroupIdentifier` (a name or ARN), not both. */
export interface LogGroupRef {
  readonly logGroupName?: string | undefined;
  readonly logGroupIdentifier?: string | undefined;
}

export interface GetLogEventsInput extends LogGroupRef {
  readonly logStreamName: string;
  /** Inclusive. */
  readonly startTime?: number | undefined;
  /** Exclusive. */
  readonly endTime?: number | undefined;
  readonly nextToken?: string | undefined;
  /** 1 to 10,000; default as many as fit in 1 MB. */
  readonly limit?: number | undefined;
  /** Default false: the latest events first (the page holds the last ones, oldest first). */
  readonly startFromHead?: boolean | undefined;
}

export interface OutputLogEvent {
  readonly timestamp: number;
  readonly message: string;
  readonly ingestionTime: number;
}

export interface GetLogEventsOutput {
  readonly events: OutputLogEvent[];
  readonly nextForwardToken: string;
  readonly nextBackwardToken: string;
}

export interface FilterLogEventsInput extends LogGroupRef {
  readonly logStreamNames?: readonly string[] | undefined;
  readonly logStreamNamePrefix?: string | undefined;
  /** Both inclusive. */
  readonly startTime?: number | undefined;
  readonly endTime?: number | undefined;
  /** See `parseFilterPattern` for the subset implemented. */
  readonly filterPattern?: string | undefined;
  readonly nextToken?: string | undefined;
  readonly limit?: number | undefined;
}

export interface FilteredLogEvent extends OutputLogEvent {
  readonly logStreamName: string;
  readonly eventId: string;
}

export interface FilterLogEventsOutput {
  readonly events: FilteredLogEvent[];
  /** Always empty: CloudWatch stopped filling it in 2020. */
  readonly searchedLogStreams: [];
  readonly nextToken: string | undefined;
}

export interface DescribeLogGroupsInput {
  readonly logGroupNamePrefix?: string | undefined;
  readonly limit?: number | undefined;
  readonly nextToken?: string | undefined;
}

export interface DescribeLogStreamsInput extends LogGroupRef {
  readonly logStreamNamePrefix?: string | undefined;
  /** LogStreamName (the default) or LastEventTime; the latter takes no prefix. */
  readonly orderBy?: string | undefined;
  readonly descending?: boolean | undefined;
  readonly limit?: number | undefined;
  readonly nextToken?: string | undefined;
}

/** CloudWatch's page limits: 10,000 events or 1 MB; 50 groups or streams. */
const maxEvents = 10_000;
const maxPageBytes = 1024 * 1024;
const maxDescribe = 50;
/** CloudWatch counts 26 bytes of overhead per event towards a page's size. */
const eventOverhead = 26;

/** GetLogEvents, FilterLogEvents, DescribeLogGroups, DescribeLogStreams (CloudWatch Logs). */
export class LogOperations {
  readonly #context: BuildsContext;

  constructor(context: BuildsContext) {
    this.#context = context;
  }

  async getLogEvents(scope: Scope, input: GetLogEventsInput): Promise<GetLogEventsOutput> {
    const logGroupName = await this.#group(scope, input);
    checkStreamName(input.logStreamName);
    const limit = checkLimit(input.limit, maxEvents);
    checkTime('startTime', input.startTime);
    checkTime('endTime', input.endTime);
    const key = { ...scope, logGroupName, logStreamName: input.logStreamName };
    const { logs } = this.#context.deps;
    const stream = await logs.findStream(key);
    if (stream === undefined) {
      throw buildsNotFound(BuildsSubject.LogStream, 'The specified log stream does not exist.');
    }
    const position: LogPosition =
      input.nextToken !== undefined
        ? decodeLogToken(input.nextToken)
        : input.startFromHead === true
          ? { direction: 'forward', after: 0 }
          : { direction: 'backward', before: stream.eventCount + 1 };
    const read = await logs.readStream({
      key,
      direction: position.direction,
      afterSeq: position.direction === 'forward' ? position.after : undefined,
      beforeSeq: position.direction === 'backward' ? position.before : undefined,
      startTime: input.startTime,
      endTime: input.endTime,
      limit,
    });
    const events = withinPageBytes(read, position.direction);
    const first = events[0];
    const last = events.at(-1);
    if (first !== undefined && last !== undefined) {
      return {
        events: events.map(outputEvent),
        nextForwardToken: forwardToken(last.seq),
        nextBackwardToken: backwardToken(first.seq),
      };
    }
    // Nothing this way: the token given comes back, which tells the client it is at the end.
    if (position.direction === 'forward') {
      return {
        events: [],
        nextForwardToken: input.nextToken ?? forwardToken(position.after),
        nextBackwardToken: backwardToken(position.after + 1),
      };
    }
    return {
      events: [],
      nextForwardToken: forwardToken(Math.max(0, position.before - 1)),
      nextBackwardToken: input.nextToken ?? backwardToken(position.before),
    };
  }

  async filterLogEvents(scope: Scope, input: FilterLogEventsInput): Promise<FilterLogEventsOutput> {
    const logGroupName = await this.#group(scope, input);
    if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
      throw invalidParameter('logStreamNames and logStreamNamePrefix cannot both be given');
    }
    const names = input.logStreamNames;
    if (names !== undefined) {
      if (names.length < 1 || names.length > 100) {
        throw invalidParameter('logStreamNames must hold 1 to 100 names');
      }
      names.forEach(checkStreamName);
    }
    if (input.logStreamNamePrefix !== undefined) checkStreamName(input.logStreamNamePrefix);
    checkTime('startTime', input.startTime);
    checkTime('endTime', input.endTime);
    const limit = checkLimit(input.limit, maxEvents);
    const after = decodePageToken(input.nextToken, isEventCursor, BuildsSubject.LogParameter);
    const found = await this.#context.deps.logs.filterEvents({
      ...scope,
      logGroupName,
      logStreamNames: names,
      logStreamNamePrefix: input.logStreamNamePrefix,
      startTime: input.startTime,
      endTime: input.endTime,
      match: parseFilterPattern(input.filterPattern),
      after: after === undefined ? undefined : { timestamp: after.t, eventId: after.e },
      limit: limit + 1,
    });
    const { page, more } = pageOf(found, limit);
    const events = withinPageBytes(page, 'forward');
    const last = events.at(-1);
    const cut = more || events.length < page.length;
    return {
      events: events.map((e) => ({
        logStreamName: e.logStreamName,
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
        eventId: e.eventId,
      })),
      searchedLogStreams: [],
      nextToken:
        cut && last !== undefined
          ? encodePageToken({ t: last.timestamp, e: Number(last.eventId) })
          : undefined,
    };
  }

  async describeLogGroups(
    scope: Scope,
    input: DescribeLogGroupsInput = {},
  ): Promise<{ logGroups: LogGroup[]; nextToken: string | undefined }> {
    const prefix = input.logGroupNamePrefix;
    if (prefix !== undefined) checkGroupName(prefix);
    const limit = checkLimit(input.limit, maxDescribe);
    const after = decodePageToken(input.nextToken, isNameCursor, BuildsSubject.LogParameter);
    const groups = await this.#context.deps.logs.listGroups({
      ...scope,
      prefix,
      after: after?.after,
      limit: limit + 1,
    });
    const { page, more } = pageOf(groups, limit);
    const last = page.at(-1);
    return {
      logGroups: page,
      nextToken:
        more && last !== undefined ? encodePageToken({ after: last.logGroupName }) : undefined,
    };
  }

  async describeLogStreams(
    scope: Scope,
    input: DescribeLogStreamsInput,
  ): Promise<{ logStreams: LogStream[]; nextToken: string | undefined }> {
    const logGroupName = await this.#group(scope, input);
    const orderBy = input.orderBy ?? LogStreamOrder.LogStreamName;
    if (!isOneOf(Object.values(LogStreamOrder), orderBy)) {
      throw invalidParameter('orderBy must be LogStreamName or LastEventTime');
    }
    const prefix = input.logStreamNamePrefix;
    if (prefix !== undefined) {
      if (orderBy === LogStreamOrder.LastEventTime) {
        throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
      }
      checkStreamName(prefix);
    }
    const limit = checkLimit(input.limit, maxDescribe);
    const after = decodePageToken(input.nextToken, isPageCursor, BuildsSubject.LogParameter);
    const streams = await this.#context.deps.logs.listStreams({
      ...scope,
      logGroupName,
      prefix,
      orderBy,
      descending: input.descending ?? false,
      after,
      limit: limit + 1,
    });
    const { page, more } = pageOf(streams, limit);
    const last = page.at(-1);
    return {
      logStreams: page,
      nextToken:
        more && last !== undefined
          ? encodePageToken({
              key:
                orderBy === LogStreamOrder.LastEventTime
                  ? (last.lastEventTimestamp ?? -1)
                  : last.logStreamName,
              id: last.logStreamName,
            })
          : undefined,
    };
  }

  /** The group's name, once it is known to exist; InvalidParameter or ResourceNotFound. */
  async #group(scope: Scope, ref: LogGroupRef): Promise<string> {
    const name = logGroupNameOf(scope, ref);
    const group = await this.#context.deps.logs.findGroup(scope.accountId, scope.region, name);
    if (group === undefined) {
      throw buildsNotFound(BuildsSubject.LogGroup, 'The specified log group does not exist.');
    }
    return name;
  }
}

export function logGroupNameOf(scope: Scope, ref: LogGroupRef): string {
  const { logGroupName, logGroupIdentifier } = ref;
  if ((logGroupName === undefined) === (logGroupIdentifier === undefined)) {
    throw invalidParameter('Specify either logGroupName or logGroupIdentifier, not both');
  }
  let name = logGroupName ?? logGroupIdentifier ?? '';
  if (name.startsWith('arn:')) {
    const prefix = `arn:aws:logs:${scope.region}:${scope.accountId}:log-group:`;
    if (!name.startsWith(prefix))
      throw invalidParameter('The log group ARN is not of this account');
    name = name.slice(prefix.length).replace(/:\*$/, '');
  }
  checkGroupName(name);
  return name;
}

/** Trims a page to CloudWatch's 1 MB, keeping the end nearest where reading started. */
function withinPageBytes(events: readonly LogEvent[], direction: 'forward' | 'backward') {
  const ordered = direction === 'forward' ? events : [...events].reverse();
  const kept: LogEvent[] = [];
  let bytes = 0;
  for (const event of ordered) {
    bytes += utf8Length(event.message) + eventOverhead;
    if (bytes > maxPageBytes && kept.length > 0) break;
    kept.push(event);
  }
  return direction === 'forward' ? kept : kept.reverse();
}

function outputEvent(event: LogEvent): OutputLogEvent {
  return { timestamp: event.timestamp, message: event.message, ingestionTime: event.ingestionTime };
}

function checkLimit(limit: number | undefined, max: number): number {
  if (limit === undefined) return max;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > max) {
    throw invalidParameter(`limit must be from 1 to ${max}`);
  }
  return limit;
}

function checkTime(path: string, time: number | undefined): void {
  if (time !== undefined && (!Number.isSafeInteger(time) || time < 0)) {
    throw invalidParameter(`${path} must be epoch milliseconds`);
  }
}

function checkGroupName(name: string): void {
  if (!logGroupNamePattern.test(name)) {
    throw invalidParameter(`${name} is not a valid log group name`);
  }
}

function checkStreamName(name: string): void {
  if (!logStreamNamePattern.test(name)) {
    throw invalidParameter(`${name} is not a valid log stream name`);
  }
}

function invalidParameter(message: string) {
  return invalidBuildsInput(BuildsSubject.LogParameter, message);
}

function isEventCursor(value: unknown): value is { t: number; e: number } {
  if (typeof value !== 'object' || value === null) return false;
  const { t, e } = value as Record<string, unknown>;
  return Number.isSafeInteger(t) && Number.isSafeInteger(e);
}

function isNameCursor(value: unknown): value is { after: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>).after === 'string'
  );
}
