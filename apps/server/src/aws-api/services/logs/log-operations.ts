import type { BuildsService, Scope } from '@slipway/core';
import { AwsError } from '../../aws-error.ts';
import type { AwsOperation, OperationContext } from '../../service-definition.ts';
import { JsonInput } from '../../json-input.ts';
import { logGroupShape, logStreamShape, outputEventShape } from './logs-shapes.ts';

export interface LogsDeps {
  readonly builds: BuildsService;
}

const invalidParameter = 'InvalidParameterException';
const logGroupClasses = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'];

const scopeOf = (context: OperationContext): Scope => ({
  accountId: context.principal.accountId,
  region: context.region,
});

/** The group a request names, by `logGroupName` or `logGroupIdentifier` (checked by the core). */
const groupRef = (input: JsonInput) => ({
  logGroupName: input.string('logGroupName'),
  logGroupIdentifier: input.string('logGroupIdentifier'),
});

/**
 * GetLogEvents, FilterLogEvents, DescribeLogGroups, DescribeLogStreams over the build logs the
 * builds component keeps. `unmask` and `interleaved` are accepted and change nothing: Slipway
 * has no data protection policies, and FilterLogEvents always interleaves.
 */
export function logOperations({ builds }: LogsDeps): Record<string, AwsOperation> {
  return {
    GetLogEvents: async (raw, context) => {
      const input = new JsonInput(raw);
      const logStreamName = input.requiredString('logStreamName', invalidParameter);
      input.boolean('unmask');
      const read = await builds.getLogEvents(scopeOf(context), {
        ...groupRef(input),
        logStreamName,
        startTime: input.integer('startTime'),
        endTime: input.integer('endTime'),
        nextToken: input.string('nextToken'),
        limit: input.integer('limit'),
        startFromHead: input.boolean('startFromHead'),
      });
      return {
        events: read.events.map(outputEventShape),
        nextForwardToken: read.nextForwardToken,
        nextBackwardToken: read.nextBackwardToken,
      };
    },

    FilterLogEvents: async (raw, context) => {
      const input = new JsonInput(raw);
      input.boolean('unmask');
      input.boolean('interleaved');
      const found = await builds.filterLogEvents(scopeOf(context), {
        ...groupRef(input),
        logStreamNames: input.stringList('logStreamNames'),
        logStreamNamePrefix: input.string('logStreamNamePrefix'),
        startTime: input.integer('startTime'),
        endTime: input.integer('endTime'),
        filterPattern: input.string('filterPattern'),
        nextToken: input.string('nextToken'),
        limit: input.integer('limit'),
      });
      return {
        events: found.events.map((e) => ({
          logStreamName: e.logStreamName,
          ...outputEventShape(e),
          eventId: e.eventId,
        })),
        searchedLogStreams: [],
        nextToken: found.nextToken,
      };
    },

    DescribeLogGroups: async (raw, context) => {
      const input = new JsonInput(raw);
      refuseCrossAccount(input);
      const pattern = input.string('logGroupNamePattern');
      if (pattern !== undefined && pattern !== '') {
        throw invalid('logGroupNamePattern is not supported by Slipway; use logGroupNamePrefix');
      }
      if (input.stringList('logGroupIdentifiers') !== undefined) {
        throw invalid('logGroupIdentifiers is not supported by Slipway; use logGroupNamePrefix');
      }
      const logGroupClass = input.string('logGroupClass');
      if (logGroupClass !== undefined && !logGroupClasses.includes(logGroupClass)) {
        throw invalid(`logGroupClass must be one of ${logGroupClasses.join(', ')}`);
      }
      const listed = await builds.describeLogGroups(scopeOf(context), {
        logGroupNamePrefix: input.string('logGroupNamePrefix'),
        limit: input.integer('limit'),
        nextToken: input.string('nextToken'),
      });
      // Every group Slipway keeps is STANDARD.
      if (logGroupClass !== undefined && logGroupClass !== 'STANDARD') return { logGroups: [] };
      return { logGroups: listed.logGroups.map(logGroupShape), nextToken: listed.nextToken };
    },

    DescribeLogStreams: async (raw, context) => {
      const input = new JsonInput(raw);
      const listed = await builds.describeLogStreams(scopeOf(context), {
        ...groupRef(input),
        logStreamNamePrefix: input.string('logStreamNamePrefix'),
        orderBy: input.string('orderBy'),
        descending: input.boolean('descending'),
        limit: input.integer('limit'),
        nextToken: input.string('nextToken'),
      });
      return { logStreams: listed.logStreams.map(logStreamShape), nextToken: listed.nextToken };
    },
  };
}

/** Cross-account observability (monitoring accounts) has no meaning in Slipway. */
function refuseCrossAccount(input: JsonInput): void {
  const accounts = input.stringList('accountIdentifiers');
  if (input.boolean('includeLinkedAccounts') === true || (accounts?.length ?? 0) > 0) {
    throw invalid('Linked accounts are not supported by Slipway');
  }
}

function invalid(message: string): AwsError {
  return new AwsError(invalidParameter, 400, message);
}
