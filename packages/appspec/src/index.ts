/**
 * @slipway/appspec: CodeDeploy's appspec.yml for the Server compute platform, pure. Parsing and
 * validation, the lifecycle events an instance runs and the environment of its hook scripts,
 * shared by the host agent and the server. No I/O: callers read the bundle.
 */
export * from './appspec.model.ts';
export * from './problems.ts';
export * from './parse-appspec.ts';
export { bundlePath, hostPath, type PathCheck } from './bundle-paths.ts';
export * from './plan/lifecycle-events.ts';
export * from './plan/hook-environment.ts';
export * from './plan/file-exists-behavior.ts';
