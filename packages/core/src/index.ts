export * from './errors/app-error.ts';
export * from './platform/clock.ts';
export * from './platform/random.ts';
export * from './platform/json.ts';
export * from './identity/identity.model.ts';
export * from './identity/identity.ports.ts';
export * from './identity/identity.service.ts';
export * from './events/event.model.ts';
export * from './events/events.ports.ts';
export * from './jobs/job.model.ts';
export * from './jobs/jobs.ports.ts';
export * from './source/git.model.ts';
export * from './source/git.ports.ts';
export * from './source/repository.model.ts';
export * from './source/source.events.ts';
export * from './source/repository.ports.ts';
export * from './source/source.errors.ts';
export * from './source/source.deps.ts';
export * from './source/source.service.ts';
export * from './source/commit-reader.ts';
export * from './source/commit-writer.ts';
export * from './source/trigger.model.ts';
export * from './identity/service-credential.model.ts';
export * from './identity/service-credential.ports.ts';
export * from './identity/service-credential.service.ts';
export * from './objects/blob.ports.ts';
export * from './objects/object.model.ts';
export * from './objects/objects.errors.ts';
export * from './objects/objects.ports.ts';
export * from './objects/object-keys.ts';
export * from './objects/objects.deps.ts';
export * from './objects/preconditions.ts';
export * from './objects/object-bytes.ts';
export * from './objects/buckets.ts';
export * from './objects/object-reads.ts';
export * from './objects/object-writes.ts';
export * from './objects/object-listing.ts';
export * from './objects/multipart.ts';
export * from './objects/objects.service.ts';
export * from './builds/builds.errors.ts';
export * from './builds/project.model.ts';
export * from './builds/build.model.ts';
export * from './builds/report.model.ts';
export * from './builds/log.model.ts';
export * from './builds/paging.ts';
export * from './builds/builds.ports.ts';
export * from './builds/builds.deps.ts';
export * from './builds/build-phases.ts';
export * from './builds/build-ending.ts';
export * from './builds/project-fields.ts';
export * from './builds/project-validation.ts';
export * from './builds/build-request.ts';
export * from './builds/build-reports.ts';
export * from './builds/log-chunks.ts';
export * from './builds/log-tokens.ts';
export * from './builds/log-filter-pattern.ts';
export * from './builds/projects.ts';
export * from './builds/build-operations.ts';
export * from './builds/runner-operations.ts';
export * from './builds/log-operations.ts';
export * from './builds/log-watch.ts';
export * from './builds/report-operations.ts';
export * from './builds/builds.service.ts';
export * from './pipelines/pipeline.model.ts';
export * from './pipelines/execution.model.ts';
export * from './pipelines/pipelines.ports.ts';
export * from './pipelines/pipelines.deps.ts';
export * from './pipelines/pipelines.errors.ts';
export * from './pipelines/pipeline-requests.ts';
export * from './pipelines/action-executor.ports.ts';
export * from './pipelines/pipelines.service.ts';
export * from './pipelines/custom-action-types.ports.ts';
export {
  maxCustomActionTypes,
  type CreateCustomActionTypeInput,
} from './pipelines/custom-action-types.ts';
export * from './pipelines/declaration/declaration-problems.ts';
export * from './pipelines/declaration/action-providers.ts';
export * from './pipelines/declaration/builtin-providers.ts';
export { ResolutionSubject } from './pipelines/resolution/resolution.errors.ts';
export {
  actionCategories,
  actionOwners,
  executionModes,
  pipelineTypes,
  type ActionCategory,
  type ActionDeclaration,
  type ActionOwner,
  type ActionTypeId,
  type ExecutionMode,
  type PipelineDeclaration,
  type PipelineType,
  type StageDeclaration,
} from './pipelines/declaration/declaration.model.ts';
export * from './deployments/deployment-config.model.ts';
export * from './deployments/deployments.errors.ts';
export * from './deployments/deployment-configs.ts';
export * from './deployments/deployment-health.ts';
export * from './deployments/deployment-tags.ts';
export * from './deployments/application.model.ts';
export * from './deployments/applications.ts';
export * from './deployments/deployment-group.model.ts';
export * from './deployments/deployment-group-fields.ts';
export * from './deployments/deployment-groups.ts';
export * from './deployments/on-premises-instance.model.ts';
export * from './deployments/on-premises-instances.ts';
export * from './deployments/instance-selection.ts';
export {
  DeploymentCreator,
  deploymentIdPattern,
  DeploymentStatus,
  deploymentStatuses,
  FileExistsBehavior,
  fileExistsBehaviors,
  hostCommandQueue,
  isHostCommandQueue,
  inPlaceLifecycleEvents,
  LifecycleErrorCode,
  LifecycleEventStatus,
  maxLogTailBytes,
  terminalDeploymentStatuses,
  type Deployment,
  type DeploymentErrorInformation,
  type DeploymentTarget,
  type HostCommandName,
  type HostCommandPayload,
  type LifecycleDiagnostics,
  type LifecycleEvent,
  type RevisionLocation,
  type RollbackInfo,
  type S3RevisionLocation,
  // The pipelines' StopRequest keeps the plain name.
  type StopRequest as DeploymentStopRequest,
} from './deployments/deployment.model.ts';
export * from './deployments/revision.model.ts';
export type * from './deployments/deployments.ports.ts';
export * from './deployments/deployments.service.ts';
export type * from './deployments/deployments.deps.ts';
export type * from './deployments/deployment-requests.ts';
export type * from './deployments/host-command-spec.ts';
export {
  hostCommandLeaseMs,
  hostCommandPickupTimeoutMs,
  type HostCommandAnswer,
  type HostCommandCompletion,
  type PolledHostCommand,
} from './deployments/host-commands.ts';
