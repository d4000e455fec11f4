/**
 * The build engine: runs a buildspec with CodeBuild's semantics in the build sandbox. Shared by
 * the server's runner and `slipway build` (the `@slipway/server/build-engine` subpath keeps the
 * CLI from loading the server).
 */
export * from './build-model.ts';
export * from './build-reporter.ts';
export * from './artifact-sink.ts';
export * from './build-run.ts';
export * from './build-workspace.ts';
export { runBuild, type BuildEngineDeps } from './run-build.ts';
export { DirectoryArtifactSink } from './directory-artifact-sink.ts';
export { formatLogTime } from './log-format.ts';
export { createExecutor, type SandboxConfig } from '../sandbox/create-executor.ts';
export type { Executor, WarningLog } from '../sandbox/executor.ts';
export { resolveSandboxUser, type SandboxUser } from '../sandbox/sandbox-user.ts';
export { createWorkspace, handOverTree } from '../sandbox/workspace.ts';
export type { TypedVariable } from '@slipway/buildspec';
