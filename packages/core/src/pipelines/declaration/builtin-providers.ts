import {
  ActionProviderRegistry,
  type ActionProviderSpec,
  type ConfigurationReport,
} from './action-providers.ts';

/**
 * The AWS-owned providers Slipway runs, with the configuration keys and artifact counts of
 * AWS's action reference pages ("Valid input and output artifacts for each action type").
 */
const booleanValues = ['true', 'false'] as const;

function checkOneOf(
  config: Readonly<Record<string, string>>,
  key: string,
  allowed: readonly string[],
  report: ConfigurationReport,
): void {
  const value = config[key];
  // A value with a variable reference is only known at run time.
  if (value === undefined || value.includes('#{')) return;
  // AWS compares these case-insensitively in practice ("True" works for PollForSourceChanges).
  if (!allowed.some((a) => a.toLowerCase() === value.toLowerCase())) {
    report(key, `must be one of ${allowed.join(', ')}`);
  }
}

export const codeCommitSource: ActionProviderSpec = {
  category: 'Source',
  owner: 'AWS',
  provider: 'CodeCommit',
  versions: ['1'],
  requiredKeys: ['RepositoryName', 'BranchName'],
  optionalKeys: ['PollForSourceChanges', 'OutputArtifactFormat'],
  inputArtifacts: { min: 0, max: 0 },
  outputArtifacts: { min: 1, max: 1 },
  checkConfiguration: (config, _action, report) => {
    checkOneOf(config, 'PollForSourceChanges', booleanValues, report);
    checkOneOf(config, 'OutputArtifactFormat', ['CODE_ZIP', 'CODEBUILD_CLONE_REF'], report);
  },
};

export const s3Source: ActionProviderSpec = {
  category: 'Source',
  owner: 'AWS',
  provider: 'S3',
  versions: ['1'],
  requiredKeys: ['S3Bucket', 'S3ObjectKey'],
  optionalKeys: ['PollForSourceChanges'],
  inputArtifacts: { min: 0, max: 0 },
  outputArtifacts: { min: 1, max: 1 },
  checkConfiguration: (config, _action, report) =>
    checkOneOf(config, 'PollForSourceChanges', booleanValues, report),
};

const environmentVariableTypes = ['PLAINTEXT', 'PARAMETER_STORE', 'SECRETS_MANAGER'];

/** CodeBuild's EnvironmentVariables: a JSON array string of {name, value, type?}. */
function checkEnvironmentVariablesJson(text: string | undefined, report: ConfigurationReport) {
  if (text === undefined) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    report('EnvironmentVariables', 'must be a JSON array of {name, value, type}');
    return;
  }
  const ok =
    Array.isArray(parsed) &&
    parsed.every((item: unknown) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) return false;
      const v = item as Record<string, unknown>;
      return (
        typeof v.name === 'string' &&
        v.name.length > 0 &&
        typeof v.value === 'string' &&
        (v.type === undefined ||
          (typeof v.type === 'string' && environmentVariableTypes.includes(v.type)))
      );
    });
  if (!ok) {
    report(
      'EnvironmentVariables',
      'must be a JSON array of {name, value, type}, type PLAINTEXT, PARAMETER_STORE or SECRETS_MANAGER',
    );
  }
}

function codeBuild(category: 'Build' | 'Test'): ActionProviderSpec {
  return {
    category,
    owner: 'AWS',
    provider: 'CodeBuild',
    versions: ['1'],
    requiredKeys: ['ProjectName'],
    optionalKeys: ['PrimarySource', 'EnvironmentVariables', 'BatchEnabled', 'CombineArtifacts'],
    inputArtifacts: { min: 1, max: 5 },
    outputArtifacts: { min: 0, max: 5 },
    checkConfiguration: (config, action, report) => {
      checkEnvironmentVariablesJson(config.EnvironmentVariables, report);
      checkOneOf(config, 'BatchEnabled', booleanValues, report);
      checkOneOf(config, 'CombineArtifacts', booleanValues, report);
      const primary = config.PrimarySource;
      const inputs = (action.inputArtifacts ?? []).map((a) => a.name);
      if (primary !== undefined && !inputs.includes(primary)) {
        report('PrimarySource', 'must name one of the action input artifacts');
      }
      // CodeBuild needs PrimarySource to pick CODEBUILD_SRC_DIR when there are several inputs.
      if (primary === undefined && inputs.length > 1) {
        report('PrimarySource', 'is required when the action has more than one input artifact');
      }
    },
  };
}

export const manualApproval: ActionProviderSpec = {
  category: 'Approval',
  owner: 'AWS',
  provider: 'Manual',
  versions: ['1'],
  requiredKeys: [],
  optionalKeys: ['NotificationArn', 'CustomData', 'ExternalEntityLink'],
  inputArtifacts: { min: 0, max: 0 },
  outputArtifacts: { min: 0, max: 0 },
};

const cannedAcls = [
  'private',
  'public-read',
  'public-read-write',
  'aws-exec-read',
  'authenticated-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
  'log-delivery-write',
];

export const s3Deploy: ActionProviderSpec = {
  category: 'Deploy',
  owner: 'AWS',
  provider: 'S3',
  versions: ['1'],
  requiredKeys: ['BucketName', 'Extract'],
  optionalKeys: ['ObjectKey', 'KMSEncryptionKeyARN', 'CannedACL', 'CacheControl'],
  inputArtifacts: { min: 1, max: 1 },
  outputArtifacts: { min: 0, max: 0 },
  checkConfiguration: (config, _action, report) => {
    checkOneOf(config, 'Extract', booleanValues, report);
    checkOneOf(config, 'CannedACL', cannedAcls, report);
    // The S3 deploy reference: ObjectKey is required when Extract is false.
    if (config.Extract?.toLowerCase() === 'false' && config.ObjectKey === undefined) {
      report('ObjectKey', 'is required when Extract is false');
    }
  },
};

export const codeDeploy: ActionProviderSpec = {
  category: 'Deploy',
  owner: 'AWS',
  provider: 'CodeDeploy',
  versions: ['1'],
  requiredKeys: ['ApplicationName', 'DeploymentGroupName'],
  optionalKeys: [],
  inputArtifacts: { min: 1, max: 1 },
  outputArtifacts: { min: 0, max: 0 },
};

/**
 * Commands (V2 only): its shell lines are the action-level `commands` field, not configuration.
 * AWS's action reference lists no configuration keys we implement, so any key is refused.
 */
export const commandsCompute: ActionProviderSpec = {
  category: 'Compute',
  owner: 'AWS',
  provider: 'Commands',
  versions: ['1'],
  requiredKeys: [],
  optionalKeys: [],
  inputArtifacts: { min: 1, max: 10 },
  outputArtifacts: { min: 0, max: 1 },
  v2Only: true,
  usesCommands: true,
};

export const builtinActionProviders: readonly ActionProviderSpec[] = [
  codeCommitSource,
  s3Source,
  codeBuild('Build'),
  codeBuild('Test'),
  manualApproval,
  s3Deploy,
  codeDeploy,
  commandsCompute,
];

/** A fresh registry with Slipway's built-in providers, ready to extend. */
export function defaultActionProviders(): ActionProviderRegistry {
  return new ActionProviderRegistry(builtinActionProviders);
}
