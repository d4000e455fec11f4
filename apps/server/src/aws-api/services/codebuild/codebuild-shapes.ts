import type {
  Build,
  BuildArtifacts,
  BuildPhase,
  EnvironmentVariable,
  LogsConfig,
  LogsLocation,
  Project,
  ProjectArtifacts,
  ProjectCache,
  ProjectEnvironment,
  ProjectSource,
  ProjectSourceVersion,
  Report,
  ReportGroup,
  Tag,
  TestCase,
} from '@slipway/core';

/**
 * The core's models as CodeBuild's wire shapes (botocore codebuild 2016-10-06): timestamps in
 * epoch seconds (the JSON protocol's, which the CLI prints as they come), optional members left
 * undefined so they are omitted, and Slipway's own bookkeeping (scope, dispatch, leases,
 * versions) left out.
 */
const seconds = (ms: number) => ms / 1000;
const optionalSeconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

export function projectShape(project: Project) {
  return {
    name: project.name,
    arn: project.arn,
    description: project.description,
    source: sourceShape(project.source),
    secondarySources: project.secondarySources.map(sourceShape),
    sourceVersion: project.sourceVersion,
    secondarySourceVersions: project.secondarySourceVersions.map(sourceVersionShape),
    artifacts: artifactsShape(project.artifacts),
    secondaryArtifacts: project.secondaryArtifacts.map(artifactsShape),
    cache: cacheShape(project.cache),
    environment: environmentShape(project.environment),
    serviceRole: project.serviceRole,
    timeoutInMinutes: project.timeoutInMinutes,
    queuedTimeoutInMinutes: project.queuedTimeoutInMinutes,
    encryptionKey: project.encryptionKey,
    tags: project.tags.map(tagShape),
    created: seconds(project.created),
    lastModified: seconds(project.lastModified),
    badge: { badgeEnabled: project.badgeEnabled },
    logsConfig: logsConfigShape(project.logsConfig),
    concurrentBuildLimit: project.concurrentBuildLimit,
    projectVisibility: 'PRIVATE',
  };
}

function sourceShape(source: ProjectSource) {
  return {
    type: source.type,
    location: source.location,
    gitCloneDepth: source.gitCloneDepth,
    gitSubmodulesConfig: source.gitSubmodulesConfig,
    buildspec: source.buildspec,
    reportBuildStatus: source.reportBuildStatus,
    insecureSsl: source.insecureSsl,
    sourceIdentifier: source.sourceIdentifier,
  };
}

function artifactsShape(artifacts: ProjectArtifacts) {
  return {
    type: artifacts.type,
    location: artifacts.location,
    path: artifacts.path,
    namespaceType: artifacts.namespaceType,
    name: artifacts.name,
    packaging: artifacts.packaging,
    overrideArtifactName: artifacts.overrideArtifactName,
    encryptionDisabled: artifacts.encryptionDisabled,
    artifactIdentifier: artifacts.artifactIdentifier,
  };
}

function sourceVersionShape(version: ProjectSourceVersion) {
  return { sourceIdentifier: version.sourceIdentifier, sourceVersion: version.sourceVersion };
}

function tagShape(tag: Tag) {
  return { key: tag.key, value: tag.value };
}

function cacheShape(cache: ProjectCache) {
  return { type: cache.type, modes: cache.modes };
}

function environmentShape(environment: ProjectEnvironment) {
  return {
    type: environment.type,
    image: environment.image,
    computeType: environment.computeType,
    environmentVariables: environment.environmentVariables.map(variableShape),
    privilegedMode: environment.privilegedMode,
    certificate: environment.certificate,
    imagePullCredentialsType: environment.imagePullCredentialsType,
  };
}

function variableShape(variable: EnvironmentVariable) {
  return { name: variable.name, value: variable.value, type: variable.type };
}

function logsConfigShape(config: LogsConfig) {
  const { status, groupName, streamName } = config.cloudWatchLogs;
  return {
    cloudWatchLogs: { status, groupName, streamName },
    s3Logs: { status: config.s3Logs.status },
  };
}

export function buildShape(build: Build) {
  return {
    id: build.id,
    arn: build.arn,
    buildNumber: build.buildNumber,
    startTime: seconds(build.startTime),
    endTime: optionalSeconds(build.endTime),
    currentPhase: build.currentPhase,
    buildStatus: build.buildStatus,
    sourceVersion: build.sourceVersion,
    resolvedSourceVersion: build.resolvedSourceVersion,
    projectName: build.projectName,
    phases: build.phases.map(phaseShape),
    source: sourceShape(build.source),
    secondarySources: build.secondarySources.map(sourceShape),
    secondarySourceVersions: build.secondarySourceVersions.map(sourceVersionShape),
    artifacts: buildArtifactsShape(build.artifacts),
    secondaryArtifacts: build.secondaryArtifacts.map(buildArtifactsShape),
    cache: cacheShape(build.cache),
    environment: environmentShape(build.environment),
    serviceRole: build.serviceRole,
    logs: logsShape(build.logs),
    timeoutInMinutes: build.timeoutInMinutes,
    queuedTimeoutInMinutes: build.queuedTimeoutInMinutes,
    buildComplete: build.buildComplete,
    initiator: build.initiator,
    encryptionKey: build.encryptionKey,
    exportedEnvironmentVariables: build.exportedEnvironmentVariables.map((v) => ({
      name: v.name,
      value: v.value,
    })),
    reportArns: build.reportArns,
  };
}

function phaseShape(phase: BuildPhase) {
  return {
    phaseType: phase.phaseType,
    phaseStatus: phase.phaseStatus,
    startTime: seconds(phase.startTime),
    endTime: optionalSeconds(phase.endTime),
    durationInSeconds: phase.durationInSeconds,
    contexts: phase.contexts?.map((c) => ({ statusCode: c.statusCode, message: c.message })),
  };
}

function buildArtifactsShape(artifacts: BuildArtifacts) {
  return {
    location: artifacts.location,
    sha256sum: artifacts.sha256sum,
    md5sum: artifacts.md5sum,
    overrideArtifactName: artifacts.overrideArtifactName,
    encryptionDisabled: artifacts.encryptionDisabled,
    artifactIdentifier: artifacts.artifactIdentifier,
  };
}

function logsShape(logs: LogsLocation) {
  return {
    groupName: logs.groupName,
    streamName: logs.streamName,
    deepLink: logs.deepLink,
    cloudWatchLogsArn: logs.cloudWatchLogsArn,
    ...logsConfigShape(logs),
  };
}

export function reportGroupShape(group: ReportGroup) {
  return {
    arn: group.arn,
    name: group.name,
    type: group.type,
    exportConfig: { exportConfigType: group.exportConfig.exportConfigType },
    created: seconds(group.created),
    lastModified: seconds(group.lastModified),
    tags: group.tags.map(tagShape),
    status: group.status,
  };
}

export function reportShape(report: Report) {
  const summary = report.testSummary;
  return {
    arn: report.arn,
    type: report.type,
    name: report.name,
    reportGroupArn: report.reportGroupArn,
    executionId: report.executionId,
    status: report.status,
    created: seconds(report.created),
    expired: seconds(report.expired),
    exportConfig: { exportConfigType: report.exportConfig.exportConfigType },
    truncated: report.truncated,
    testSummary: {
      total: summary.total,
      statusCounts: summary.statusCounts,
      durationInNanoSeconds: summary.durationInNanoSeconds,
    },
  };
}

export function testCaseShape(testCase: TestCase) {
  return {
    reportArn: testCase.reportArn,
    testRawDataPath: testCase.testRawDataPath,
    prefix: testCase.prefix,
    name: testCase.name,
    status: testCase.status,
    durationInNanoSeconds: testCase.durationInNanoSeconds,
    message: testCase.message,
    expired: optionalSeconds(testCase.expired),
    testSuiteName: testCase.testSuiteName,
  };
}
