/**
 * Build logs in CloudWatch Logs' model (botocore logs 2014-03-28): groups hold streams, streams
 * hold events. A build writes one stream, `<uuid>` in group `/aws/codebuild/<project>` unless
 * the project's logsConfig names others. Times are epoch milliseconds.
 */
export interface LogGroup {
  readonly accountId: string;
  readonly region: string;
  readonly logGroupName: string;
  readonly creationTime: number;
  /** The bytes of every message in the group's streams. */
  readonly storedBytes: number;
}

export interface LogStream {
  readonly accountId: string;
  readonly region: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly creationTime: number;
  /** Unset until the stream has events. */
  readonly firstEventTimestamp: number | undefined;
  readonly lastEventTimestamp: number | undefined;
  readonly lastIngestionTime: number | undefined;
  /** CloudWatch reports 0 for streams; kept so the console can show a build's log size. */
  readonly storedBytes: number;
  readonly eventCount: number;
  /** The last log chunk the runner sent (0 before the first): appends are idempotent by it. */
  readonly lastSequence: number;
  /** The build's total log limit was reached: one notice was written, later output dropped. */
  readonly truncated: boolean;
}

/** One stored event; `seq` numbers a stream's events 1, 2, 3… in the order they arrived. */
export interface LogEvent {
  readonly logStreamName: string;
  readonly seq: number;
  readonly timestamp: number;
  readonly message: string;
  readonly ingestionTime: number;
  /** Unique in the installation, as FilterLogEvents' `eventId`. */
  readonly eventId: string;
}

/** Names a stream across every server: the payload of the logs wake-up signal. */
export interface LogStreamKey {
  readonly accountId: string;
  readonly region: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
}

/** Group names exclude `:` and stream names exclude `:` and `*`, so this is unambiguous. */
export function logStreamKeyText(key: LogStreamKey): string {
  return `${key.accountId}:${key.region}:${key.logGroupName}:${key.logStreamName}`;
}

export function logGroupArn(scope: { accountId: string; region: string }, groupName: string) {
  return `arn:aws:logs:${scope.region}:${scope.accountId}:log-group:${groupName}`;
}

export function logStreamArn(key: LogStreamKey): string {
  return `${logGroupArn(key, key.logGroupName)}:log-stream:${key.logStreamName}`;
}

/** CloudWatch's console link for a stream, which CodeBuild puts in `logs.deepLink`. */
export function logsDeepLink(region: string, groupName: string, streamName: string): string {
  return (
    `https://console.aws.amazon.com/cloudwatch/home?region=${region}` +
    `#logEvent:group=${groupName};stream=${streamName}`
  );
}

export const logGroupNamePattern = /^[.\-_/#A-Za-z0-9]{1,512}$/;
export const logStreamNamePattern = /^[^:*]{1,512}$/;

/** CloudWatch Logs' per-event limit (256 KiB), in UTF-8 bytes of the message. */
export const maxLogEventBytes = 256 * 1024;
