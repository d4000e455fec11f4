import { AppErrorKind, isAppError } from '../errors/app-error.ts';
import type { EventRecord } from '../events/event.model.ts';
import { SourceEventType, type ReferenceUpdatedData } from '../source/source.events.ts';
import { startExecution } from './execution-starts.ts';
import { TriggerType } from './execution.model.ts';
import type { Pipeline } from './pipeline.model.ts';
import {
  findMatchingPushFilter,
  pushMatchesBranchName,
  type GitPush,
} from './resolution/push-trigger.ts';
import type { PipelinesContext } from './pipelines.context.ts';

/**
 * Slipway's change detection: a `source.reference-updated` event starts every pipeline whose
 * CodeCommit source watches that repository and branch — the part AWS's EventBridge rule plays
 * (`PollForSourceChanges` true or false alike) — or whose V2 trigger's push filters match
 * (honoured for CodeCommit sources, a Slipway extension). One execution per pipeline and
 * event: the start is idempotent on the event's sequence number, so replaying an event after
 * a crash starts nothing twice.
 */
export async function handleReferenceUpdated(
  context: PipelinesContext,
  event: EventRecord,
): Promise<string[]> {
  if (event.type !== SourceEventType.ReferenceUpdated) return [];
  const data = event.data as unknown as ReferenceUpdatedData;
  if (data.newCommitId === null) return [];
  const scope = { accountId: data.accountId, region: data.region };
  let files: string[] | undefined;
  const push = async (): Promise<GitPush> => {
    files ??= await context.deps.pushedFiles.changedFiles({
      repositoryId: data.repositoryId,
      oldCommitId: data.oldCommitId ?? undefined,
      newCommitId: data.newCommitId ?? '',
    });
    return {
      ref: data.ref,
      oldCommitId: data.oldCommitId ?? undefined,
      newCommitId: data.newCommitId ?? undefined,
      changedFilePaths: files,
    };
  };
  const started: string[] = [];
  for (const pipeline of await allPipelines(context, scope)) {
    const match = await matchingSource(context, pipeline, data, push);
    if (match === undefined) continue;
    const execution = await startExecution(context, scope, {
      pipelineName: pipeline.name,
      trigger: {
        triggerType: match.triggerType,
        triggerDetail: `${event.subject} ${data.ref} ${data.newCommitId}`,
      },
      requireVariables: false,
      sourceRevisions: [
        {
          actionName: match.actionName,
          revisionType: 'COMMIT_ID',
          revisionValue: data.newCommitId,
        },
      ],
      idempotencyToken: `push:${event.seq}`,
    }).catch((error: unknown) => {
      // Deleted since it was listed: nothing to start.
      if (isAppError(error) && error.kind === AppErrorKind.NotFound) return undefined;
      throw error;
    });
    if (execution !== undefined) started.push(execution.id);
  }
  return started;
}

async function matchingSource(
  context: PipelinesContext,
  pipeline: Pipeline,
  data: ReferenceUpdatedData,
  push: () => Promise<GitPush>,
): Promise<{ actionName: string; triggerType: TriggerType } | undefined> {
  const validated = context.validated.of(pipeline);
  for (const action of validated.stages[0]?.actions ?? []) {
    const type = action.actionTypeId;
    if (type.provider !== 'CodeCommit' || type.category !== 'Source') continue;
    if (action.configuration['RepositoryName'] !== data.repositoryName) continue;
    const trigger = validated.triggers.find((t) => t.sourceActionName === action.name);
    const filters = trigger?.declaration.gitConfiguration.push;
    if (trigger !== undefined) {
      if (filters === undefined || filters.length === 0) {
        // A trigger without push filters: pull requests only, or AWS's "no filter" (any push).
        if (trigger.declaration.gitConfiguration.pullRequest !== undefined) continue;
        if (pushMatchesBranchName(await push(), action.configuration['BranchName'] ?? '')) {
          return { actionName: action.name, triggerType: TriggerType.WebhookV2 };
        }
        continue;
      }
      if (findMatchingPushFilter(await push(), filters) !== undefined) {
        return { actionName: action.name, triggerType: TriggerType.WebhookV2 };
      }
      continue;
    }
    const branch = action.configuration['BranchName'] ?? '';
    const pushed = {
      ref: data.ref,
      newCommitId: data.newCommitId ?? undefined,
      changedFilePaths: [],
    };
    if (pushMatchesBranchName(pushed, branch)) {
      // As AWS reports it: polling sources start by PollForSourceChanges, the others by the
      // EventBridge rule (CloudWatchEvent) that Slipway's change detection stands in for.
      const polling = action.configuration['PollForSourceChanges'] === 'true';
      return {
        actionName: action.name,
        triggerType: polling ? TriggerType.PollForSourceChanges : TriggerType.CloudWatchEvent,
      };
    }
  }
  return undefined;
}

async function allPipelines(
  context: PipelinesContext,
  scope: { accountId: string; region: string },
): Promise<Pipeline[]> {
  const out: Pipeline[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await context.deps.store.listPipelines({ ...scope, after, limit: 500 });
    out.push(...page);
    if (page.length < 500) return out;
    after = page.at(-1)?.name;
  }
}
