/** Patterns and limits from botocore's CodePipeline model (2015-07-09) and AWS's quotas. */
export const namePattern = /^[A-Za-z0-9.@\-_]+$/;
export const artifactNamePattern = /^[a-zA-Z0-9_-]+$/;
export const namespacePattern = /^[A-Za-z0-9@\-_]+$/;
export const providerPattern = /^[0-9A-Za-z_-]+$/;
export const roleArnPattern = /^arn:aws(-[\w]+)*:iam::[0-9]{12}:role\/.*$/;
export const artifactStoreLocationPattern = /^[a-zA-Z0-9\-.]+$/;
export const environmentVariableNamePattern = /^[A-Za-z0-9_]+$/;
export const variableNamePattern = /^[A-Za-z0-9@\-_]+$/;

export const limits = {
  nameLength: 100,
  providerLength: 35,
  versionLength: 9,
  runOrder: { min: 1, max: 999 },
  configurationKeyLength: 50,
  configurationValueLength: 1000,
  ruleConfigurationValueLength: 10000,
  commands: { min: 1, max: 50, length: 1000 },
  outputVariables: { min: 1, max: 15, length: 128 },
  files: { min: 1, max: 10, length: 128 },
  environmentVariables: { min: 1, max: 10, nameLength: 128, valueLength: 2000 },
  timeoutInMinutes: { min: 5, max: 86400 },
  roleArnLength: 1024,
  regionLength: { min: 4, max: 30 },
  variables: { max: 50, nameLength: 128, valueLength: 1000, descriptionLength: 200 },
  triggers: { max: 50, filters: 3, patterns: 8, patternLength: 255 },
  rules: { min: 1, max: 5 },
  /** AWS quotas (user guide, "Quotas"): enforced as InvalidStructureException. */
  stages: { min: 2, max: 50 },
  actionsPerStage: 50,
  parallelActions: 50,
  actionsPerPipeline: 500,
} as const;
