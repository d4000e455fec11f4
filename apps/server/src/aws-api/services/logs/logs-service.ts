import type { JsonServiceDefinition } from '../../service-definition.ts';
import { logOperations, type LogsDeps } from './log-operations.ts';
import { logsErrors } from './logs-errors.ts';

export type { LogsDeps } from './log-operations.ts';

/**
 * CloudWatch Logs (JSON 1.1), read-only over build logs: GetLogEvents, FilterLogEvents,
 * DescribeLogGroups, DescribeLogStreams. Every other Logs operation (PutLogEvents,
 * CreateLogGroup, queries, subscriptions …) answers UnknownOperationException, as AWS answers
 * an operation it does not have.
 */
export function createLogsService(deps: LogsDeps): JsonServiceDefinition {
  return {
    signingName: 'logs',
    protocol: 'json1.1',
    targetPrefix: 'Logs_20140328',
    errors: logsErrors,
    operations: logOperations(deps),
  };
}
