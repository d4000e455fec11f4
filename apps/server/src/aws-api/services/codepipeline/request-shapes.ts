import { actionCategories, actionOwners, customPropertyTypes } from '@slipway/core';
import {
  boolean,
  document,
  enumOf,
  integer,
  list,
  map,
  required,
  string,
  structure,
  timestamp,
} from './wire-schema.ts';

/**
 * CodePipeline's request shapes, member for member from botocore's model (codepipeline
 * 2015-07-09, service-2.json): required members, lengths, patterns, enums and ranges. The
 * names are the model's shape names. The pipeline declaration is the exception: the door
 * passes it whole to the service, whose validator knows its every rule.
 */

const name = { min: 1, max: 100, pattern: '[A-Za-z0-9.@\\-_]+' } as const;
const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const PipelineName = string(name);
const StageName = string(name);
const ActionName = string(name);
const PipelineVersion = integer({ min: 1 });
const PipelineExecutionId = string({ pattern: uuid });
const NextToken = string({ min: 1, max: 2048 });
const MaxResults = integer({ min: 1, max: 100 });
const TagKey = string({ min: 1, max: 128 });
const Tag = structure({
  key: required(TagKey),
  value: required(string({ min: 0, max: 256 })),
});
const TagList = list(Tag);
const ResourceArn = string({ pattern: 'arn:aws(-[\\w]+)*:codepipeline:.+:[0-9]{12}:.+' });
const ActionCategory = enumOf(actionCategories);
const ActionProvider = string({ min: 1, max: 35, pattern: '[0-9A-Za-z_-]+' });
const Version = string({ min: 1, max: 9, pattern: '[0-9A-Za-z_-]+' });
const ActionTypeId = structure({
  category: required(ActionCategory),
  owner: required(enumOf(actionOwners)),
  provider: required(ActionProvider),
  version: required(Version),
});
const Url = string({ min: 1, max: 2048 });
const ArtifactDetails = structure({
  minimumCount: required(integer({ min: 0, max: 5 })),
  maximumCount: required(integer({ min: 0, max: 5 })),
});
const JobId = string({ pattern: uuid });
const ExecutionId = string({ min: 1, max: 1500 });
const Revision = string({ min: 1, max: 1500 });
const TransitionType = enumOf(['Inbound', 'Outbound']);

export const requestShapes = {
  CreatePipeline: structure({ pipeline: required(document), tags: TagList }),
  GetPipeline: structure({ name: required(PipelineName), version: PipelineVersion }),
  UpdatePipeline: structure({ pipeline: required(document) }),
  DeletePipeline: structure({ name: required(PipelineName) }),
  ListPipelines: structure({
    nextToken: NextToken,
    maxResults: integer({ min: 1, max: 1000 }),
  }),

  StartPipelineExecution: structure({
    name: required(PipelineName),
    variables: list(
      structure({
        name: required(string({ min: 1, max: 128, pattern: '[A-Za-z0-9@\\-_]+' })),
        value: required(string({ min: 1, max: 1000, pattern: '.*' })),
      }),
      { min: 1, max: 50 },
    ),
    clientRequestToken: string({ min: 1, max: 128, pattern: '^[a-zA-Z0-9-]+$' }),
    sourceRevisions: list(
      structure({
        actionName: required(ActionName),
        revisionType: required(
          enumOf(['COMMIT_ID', 'IMAGE_DIGEST', 'S3_OBJECT_VERSION_ID', 'S3_OBJECT_KEY']),
        ),
        revisionValue: required(Revision),
      }),
      { min: 0, max: 50 },
    ),
  }),
  StopPipelineExecution: structure({
    pipelineName: required(PipelineName),
    pipelineExecutionId: required(PipelineExecutionId),
    abandon: boolean,
    reason: string({ max: 200 }),
  }),
  GetPipelineState: structure({ name: required(PipelineName) }),
  GetPipelineExecution: structure({
    pipelineName: required(PipelineName),
    pipelineExecutionId: required(PipelineExecutionId),
  }),
  ListPipelineExecutions: structure({
    pipelineName: required(PipelineName),
    maxResults: MaxResults,
    filter: structure({ succeededInStage: structure({ stageName: StageName }) }),
    nextToken: NextToken,
  }),
  ListActionExecutions: structure({
    pipelineName: required(PipelineName),
    filter: structure({
      pipelineExecutionId: PipelineExecutionId,
      latestInPipelineExecution: structure({
        pipelineExecutionId: required(PipelineExecutionId),
        startTimeRange: required(enumOf(['Latest', 'All'])),
      }),
    }),
    maxResults: MaxResults,
    nextToken: NextToken,
  }),

  PutApprovalResult: structure({
    pipelineName: required(PipelineName),
    stageName: required(StageName),
    actionName: required(ActionName),
    result: required(
      structure({
        summary: required(string({ min: 0, max: 512 })),
        status: required(enumOf(['Approved', 'Rejected'])),
      }),
    ),
    token: required(string({ pattern: uuid })),
  }),
  RetryStageExecution: structure({
    pipelineName: required(PipelineName),
    stageName: required(StageName),
    pipelineExecutionId: required(PipelineExecutionId),
    retryMode: required(enumOf(['FAILED_ACTIONS', 'ALL_ACTIONS'])),
  }),
  RollbackStage: structure({
    pipelineName: required(PipelineName),
    stageName: required(StageName),
    targetPipelineExecutionId: required(PipelineExecutionId),
  }),
  EnableStageTransition: structure({
    pipelineName: required(PipelineName),
    stageName: required(StageName),
    transitionType: required(TransitionType),
  }),
  DisableStageTransition: structure({
    pipelineName: required(PipelineName),
    stageName: required(StageName),
    transitionType: required(TransitionType),
    reason: required(string({ min: 1, max: 300, pattern: '[a-zA-Z0-9!@ \\(\\)\\.\\*\\?\\-]+' })),
  }),

  ListActionTypes: structure({
    actionOwnerFilter: enumOf(actionOwners),
    nextToken: NextToken,
    regionFilter: string({ min: 4, max: 30 }),
  }),
  /** `owner` is `ActionTypeOwner` here: custom action types are not described by GetActionType. */
  GetActionType: structure({
    category: required(ActionCategory),
    owner: required(enumOf(['AWS', 'ThirdParty'])),
    provider: required(ActionProvider),
    version: required(Version),
  }),

  CreateCustomActionType: structure({
    category: required(ActionCategory),
    provider: required(ActionProvider),
    version: required(Version),
    settings: structure({
      thirdPartyConfigurationUrl: Url,
      entityUrlTemplate: Url,
      executionUrlTemplate: Url,
      revisionUrlTemplate: Url,
    }),
    configurationProperties: list(
      structure({
        name: required(string({ min: 1, max: 50 })),
        required: required(boolean),
        key: required(boolean),
        secret: required(boolean),
        queryable: boolean,
        description: string({ min: 1, max: 160 }),
        type: enumOf(customPropertyTypes),
      }),
      { max: 10 },
    ),
    inputArtifactDetails: required(ArtifactDetails),
    outputArtifactDetails: required(ArtifactDetails),
    tags: TagList,
  }),
  DeleteCustomActionType: structure({
    category: required(ActionCategory),
    provider: required(ActionProvider),
    version: required(Version),
  }),

  TagResource: structure({ resourceArn: required(ResourceArn), tags: required(TagList) }),
  UntagResource: structure({
    resourceArn: required(ResourceArn),
    tagKeys: required(list(TagKey)),
  }),
  ListTagsForResource: structure({
    resourceArn: required(ResourceArn),
    nextToken: NextToken,
    maxResults: MaxResults,
  }),

  PollForJobs: structure({
    actionTypeId: required(ActionTypeId),
    maxBatchSize: integer({ min: 1 }),
    queryParam: map(
      string({ min: 1, max: 50 }),
      string({ min: 1, max: 50, pattern: '[a-zA-Z0-9_-]+' }),
      { min: 0, max: 1 },
    ),
  }),
  AcknowledgeJob: structure({
    jobId: required(JobId),
    nonce: required(string({ min: 1, max: 50 })),
  }),
  GetJobDetails: structure({ jobId: required(JobId) }),
  PutJobSuccessResult: structure({
    jobId: required(JobId),
    currentRevision: structure({
      revision: required(Revision),
      changeIdentifier: required(string({ min: 1, max: 100 })),
      created: timestamp,
      revisionSummary: string({ min: 1, max: 2048 }),
    }),
    continuationToken: string({ min: 1, max: 2048 }),
    executionDetails: structure({
      summary: string({ min: 1, max: 2048 }),
      externalExecutionId: ExecutionId,
      percentComplete: integer({ min: 0, max: 100 }),
    }),
    outputVariables: map(string({ pattern: '[A-Za-z0-9@\\-_]+' }), string()),
  }),
  PutJobFailureResult: structure({
    jobId: required(JobId),
    failureDetails: required(
      structure({
        type: required(
          enumOf([
            'JobFailed',
            'ConfigurationError',
            'PermissionError',
            'RevisionOutOfSync',
            'RevisionUnavailable',
            'SystemUnavailable',
          ]),
        ),
        message: required(string({ min: 1, max: 5000 })),
        externalExecutionId: ExecutionId,
      }),
    ),
  }),
} as const;

export type CodePipelineOperation = keyof typeof requestShapes;
