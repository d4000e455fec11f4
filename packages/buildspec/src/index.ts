/**
 * @slipway/buildspec: CodeBuild's buildspec, pure. Parsing and validation, the build's
 * environment variables, artifact and report file selection, and test report parsing, shared by
 * the runner and `slipway build`. No I/O: callers read the files and list the directories.
 */
export * from './buildspec.model.ts';
export * from './problems.ts';
export * from './parse-buildspec.ts';
export { parseOnFailure } from './parse-phases.ts';
export { emptyEnv, parseSecretReference, reservedVariablePrefix } from './parse-env.ts';
export { maxCacheFallbackKeys, maxReportGroups } from './parse-outputs.ts';
export * from './environment/builtin-variables.ts';
export * from './environment/build-environment.ts';
export * from './environment/exported-variables.ts';
export * from './artifacts/select-files.ts';
export { maxGlobstars, maxPatternLength } from './artifacts/workspace-paths.ts';
export * from './reports/test-case.model.ts';
export * from './reports/parse-test-report.ts';
export * from './reports/report-summary.ts';
