import type { Scope } from '../../source/source.deps.ts';
import type { ActionTypeId } from '../declaration/declaration.model.ts';
import type { ValidatedAction } from '../declaration/validated-pipeline.ts';
import { pipelineActionQueue, type PipelineActionJobPayload } from '../action-executor.ports.ts';
import {
  ActionStatus,
  type ActionRun,
  type ProducedArtifact,
  type StageRun,
} from '../execution.model.ts';
import {
  CODEBUILD_JSON_STRING_KEYS,
  resolveActionConfiguration,
  type VariableScope,
} from '../resolution/variable-resolution.ts';
import type { Draft } from './draft.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** CodePipeline's default action timeouts (reference/aws-compat.md §3.9). */
export function defaultTimeoutMs(type: ActionTypeId): number {
  if (type.owner === 'Custom') return day;
  switch (type.provider) {
    case 'Manual':
      return 7 * day;
    case 'CodeBuild':
      return 8 * hour;
    case 'CodeDeploy':
      return 5 * day;
    case 'S3':
      return type.category === 'Deploy' ? 40 * minute : hour;
    default:
      return hour;
  }
}

export function isManualApproval(type: ActionTypeId): boolean {
  return type.category === 'Approval' && type.owner === 'AWS' && type.provider === 'Manual';
}

/** The queue a custom action type's jobs wait on for PollForJobs. */
export function customActionQueue(scope: Scope, type: ActionTypeId): string {
  return `codepipeline-job:${scope.accountId}:${scope.region}:${type.category}:${type.owner}:${type.provider}:${type.version}`;
}

/** The variables an action may reference: pipeline-level, execution id, earlier namespaces. */
export function variableScopeOf(draft: Draft): VariableScope {
  const e = draft.execution;
  return {
    pipelineExecutionId: e.id,
    pipelineVariables: new Map(Object.entries(e.variables)),
    namespaces: new Map(
      Object.entries(e.namespaces).map(([ns, vars]) => [ns, new Map(Object.entries(vars))]),
    ),
  };
}

/**
 * Starts one action attempt: resolves its configuration (and commands and environment), finds
 * its input artifacts, assigns its output locations, and dispatches it — a `pipeline-action`
 * job for the server's executors, a custom job for PollForJobs, or an approval token with a
 * deadline. A resolution failure fails the attempt at once, as CodePipeline does.
 */
export function dispatchAction(draft: Draft, run: StageRun, action: ValidatedAction): void {
  const env = draft.env;
  const e = draft.execution;
  const actionExecutionId = env.newId();
  const declaration = action.declaration;
  const toResolve: Record<string, string> = { ...action.configuration };
  (declaration.commands ?? []).forEach((c, i) => (toResolve[`\u0000commands.${i}`] = c));
  for (const v of declaration.environmentVariables ?? []) {
    toResolve[`\u0000env.${v.name}`] = v.value;
  }
  const resolution = resolveActionConfiguration({
    actionName: action.name,
    configuration: toResolve,
    scope: variableScopeOf(draft),
    jsonStringKeys: CODEBUILD_JSON_STRING_KEYS,
  });
  const inputs: ProducedArtifact[] = [];
  const missing: string[] = [];
  for (const name of action.inputArtifacts) {
    const produced = e.artifacts[name];
    if (produced === undefined) missing.push(name);
    else inputs.push(produced);
  }
  const bucket = env.pipeline.declaration.artifactStore?.location ?? '';
  const outputs: ProducedArtifact[] = action.outputArtifacts.map((name) => ({
    name,
    location: {
      bucket,
      key: `${e.pipelineName.slice(0, 20)}/${name.slice(0, 10)}/${actionExecutionId.replaceAll('-', '').slice(0, 12)}`,
    },
  }));
  const resolved = resolution.ok ? resolution.configuration : {};
  const configuration = Object.fromEntries(
    Object.entries(resolved).filter(([key]) => !key.startsWith('\u0000')),
  );
  const base: ActionRun = {
    actionExecutionId,
    stageName: run.stageName,
    actionName: action.name,
    runOrder: action.runOrder,
    actionTypeId: action.actionTypeId,
    stageAttempt: run.attempt,
    status: ActionStatus.InProgress,
    startTime: draft.now,
    lastUpdateTime: draft.now,
    configuration: action.configuration,
    roleArn: declaration.roleArn,
    region: declaration.region,
    resolvedConfiguration: resolution.ok ? configuration : action.configuration,
    ...(declaration.commands === undefined
      ? {}
      : {
          resolvedCommands: declaration.commands.map(
            (_, i) => resolved[`\u0000commands.${i}`] ?? '',
          ),
        }),
    ...(declaration.environmentVariables === undefined
      ? {}
      : {
          resolvedEnvironment: declaration.environmentVariables.map((v) => ({
            name: v.name,
            value: resolved[`\u0000env.${v.name}`] ?? v.value,
            type: v.type,
          })),
        }),
    namespace: action.namespace,
    inputArtifacts: inputs,
    outputArtifacts: outputs,
    outputVariables: {},
  };
  let started: ActionRun;
  if (!resolution.ok || missing.length > 0) {
    const message = resolution.ok
      ? `Input artifact(s) ${missing.join(', ')} were not produced in this execution`
      : resolution.failure.message;
    started = {
      ...base,
      status: ActionStatus.Failed,
      summary: message,
      errorDetails: { code: resolution.ok ? 'JobFailed' : resolution.failure.code, message },
    };
  } else {
    const timeoutMs =
      declaration.timeoutInMinutes !== undefined
        ? declaration.timeoutInMinutes * minute
        : defaultTimeoutMs(action.actionTypeId);
    const deadline = draft.now + timeoutMs;
    if (isManualApproval(action.actionTypeId)) {
      started = { ...base, token: env.newId(), deadline };
    } else {
      const jobId = env.newId();
      const custom = action.actionTypeId.owner === 'Custom';
      const scope = { accountId: e.accountId, region: e.region };
      draft.jobs.push({
        id: jobId,
        queue: custom ? customActionQueue(scope, action.actionTypeId) : pipelineActionQueue,
        payload: {
          executionId: e.id,
          actionExecutionId,
        } satisfies PipelineActionJobPayload,
        maxAttempts: custom ? 1 : env.options.actionJobAttempts,
      });
      started = { ...base, jobId, deadline };
    }
  }
  draft.updateStageRun(run.stageName, (r) => ({
    ...r,
    lastUpdateTime: draft.now,
    actions: [...r.actions, started],
  }));
}
