export { FakeClock, fakeClockStart } from './fake-clock.ts';
export { SeededRandom } from './seeded-random.ts';
export { FakeSecretBox } from './fake-secret-box.ts';
export { InMemoryJobQueue, type InMemoryJobQueueDeps } from './in-memory-job-queue.ts';
export { InMemoryEventLog } from './in-memory-event-log.ts';
export { InMemoryIdentityStore } from './in-memory-identity-store.ts';
export { eventually, type EventuallyOptions } from './eventually.ts';
export {
  anAdministratorSeed,
  type AdministratorSeedOverrides,
} from './builders/administrator-seed.ts';
export type { ContractFactory, ContractHarness } from './contracts/contract-harness.ts';
export { expectAppError } from './contracts/expect-app-error.ts';
export { jobQueueContract } from './contracts/job-queue.contract.ts';
export { eventLogContract } from './contracts/event-log.contract.ts';
export { identityStoreContract } from './contracts/identity-store.contract.ts';
export { InMemoryServiceCredentialStore } from './in-memory-service-credential-store.ts';
export {
  serviceCredentialStoreContract,
  type ServiceCredentialStoreSubject,
} from './contracts/service-credential-store.contract.ts';
export {
  InMemoryRepositoryStore,
  type InMemoryRepositoryStoreDeps,
} from './in-memory-repository-store.ts';
export {
  repositoryStoreContract,
  type RepositoryStoreSubject,
} from './contracts/repository-store.contract.ts';
export { InMemoryBlobStore } from './in-memory-blob-store.ts';
export { blobStoreContract, type BlobStoreFactory } from './contracts/blob-store.contract.ts';
export { InMemoryObjectMetadataStore } from './in-memory-object-metadata-store.ts';
export {
  objectMetadataStoreContract,
  type ObjectMetadataStoreSubject,
} from './contracts/object-metadata-store.contract.ts';
export {
  bodyOf,
  failingBody,
  hashBody,
  md5Hex,
  objectsHarness,
  readBytes,
  readText,
  TrackingBlobStore,
  type ObjectsHarness,
} from './objects-harness.ts';
export { InMemoryProjectStore } from './in-memory-project-store.ts';
export { InMemoryBuildStore, type InMemoryBuildStoreDeps } from './in-memory-build-store.ts';
export { InMemoryReportStore } from './in-memory-report-store.ts';
export { InMemoryLogStore } from './in-memory-log-store.ts';
export {
  aProjectInput,
  buildsHarness,
  claimNextBuild,
  runClaimedBuild,
  type BuildsHarness,
} from './builds-harness.ts';
export {
  projectStoreContract,
  type ProjectStoreSubject,
} from './contracts/project-store.contract.ts';
export { buildStoreContract, type BuildStoreSubject } from './contracts/build-store.contract.ts';
export { reportStoreContract, type ReportStoreSubject } from './contracts/report-store.contract.ts';
export { logStoreContract, type LogStoreSubject } from './contracts/log-store.contract.ts';
export {
  InMemoryPipelineStore,
  type InMemoryPipelineStoreDeps,
} from './in-memory-pipeline-store.ts';
export { InMemoryCustomActionTypeStore } from './in-memory-custom-action-type-store.ts';
export {
  InMemoryDeploymentStore,
  type InMemoryDeploymentStoreDeps,
} from './in-memory-deployment-store.ts';
export {
  aCustomActionType,
  customActionTypeStoreContract,
  type CustomActionTypeStoreSubject,
} from './contracts/custom-action-type-store.contract.ts';
export {
  pipelineStoreContract,
  type PipelineStoreSubject,
} from './contracts/pipeline-store.contract.ts';
export {
  aPipelineDeclaration,
  executionOf,
  pipelinesHarness,
  runReadyActions,
  taskKey,
  type FakeOutcome,
  type PipelinesHarness,
} from './pipelines-harness.ts';
export * from './deployments-harness.ts';
