import {
  logGroupArn,
  logStreamArn,
  type LogGroup,
  type LogStream,
  type OutputLogEvent,
} from '@slipway/core';

/**
 * Log groups, streams and events as CloudWatch Logs sends them (botocore logs 2014-03-28).
 * Unlike CodeBuild's, its times are `long`s in epoch milliseconds, which the core keeps.
 */
export function logGroupShape(group: LogGroup) {
  const arn = logGroupArn(group, group.logGroupName);
  return {
    logGroupName: group.logGroupName,
    creationTime: group.creationTime,
    metricFilterCount: 0,
    // CloudWatch's `arn` ends with `:*` (it names the group's streams); `logGroupArn` does not.
    arn: `${arn}:*`,
    storedBytes: group.storedBytes,
    logGroupClass: 'STANDARD',
    logGroupArn: arn,
  };
}

export function logStreamShape(stream: LogStream) {
  return {
    logStreamName: stream.logStreamName,
    creationTime: stream.creationTime,
    firstEventTimestamp: stream.firstEventTimestamp,
    lastEventTimestamp: stream.lastEventTimestamp,
    lastIngestionTime: stream.lastIngestionTime,
    arn: logStreamArn(stream),
    // CloudWatch has reported 0 for streams since 2019; the group carries the bytes.
    storedBytes: 0,
  };
}

export function outputEventShape(event: OutputLogEvent) {
  return { timestamp: event.timestamp, message: event.message, ingestionTime: event.ingestionTime };
}
