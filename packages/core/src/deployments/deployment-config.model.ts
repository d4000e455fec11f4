/**
 * A CodeDeploy deployment configuration for the Server (EC2/on-premises) compute platform:
 * botocore codedeploy 2014-10-06 `DeploymentConfigInfo`, with its field names. Times are epoch
 * milliseconds. Lambda and ECS configurations (traffic routing) and zonal configurations are not
 * modelled: Slipway deploys to Server instances only.
 */
export interface DeploymentConfig {
  readonly name: string;
  readonly id: string;
  readonly minimumHealthyHosts: MinimumHealthyHosts;
  readonly computePlatform: DeploymentComputePlatform;
  readonly createTime: number;
  /** One of CodeDeploy's `CodeDeployDefault.*` configurations, present in every account. */
  readonly predefined: boolean;
}

/** botocore `ComputePlatform`. */
export const DeploymentComputePlatform = {
  Server: 'Server',
  Lambda: 'Lambda',
  ECS: 'ECS',
} as const;
export type DeploymentComputePlatform =
  (typeof DeploymentComputePlatform)[keyof typeof DeploymentComputePlatform];
export const deploymentComputePlatforms: readonly DeploymentComputePlatform[] =
  Object.values(DeploymentComputePlatform);

/**
 * botocore `MinimumHealthyHostsType` is HOST_COUNT | FLEET_PERCENT, the two a caller may set.
 * MOST_CONCURRENCY is what GetDeploymentConfig reports for CodeDeployDefault.OneAtATime (value 1);
 * it cannot be set (botocore `MinimumHealthyHosts.type` documentation; reference §5.5).
 */
export const MinimumHealthyHostsType = {
  HostCount: 'HOST_COUNT',
  FleetPercent: 'FLEET_PERCENT',
  MostConcurrency: 'MOST_CONCURRENCY',
} as const;
export type MinimumHealthyHostsType =
  (typeof MinimumHealthyHostsType)[keyof typeof MinimumHealthyHostsType];
/** The types CreateDeploymentConfig accepts. */
export const settableMinimumHealthyHostsTypes = [
  MinimumHealthyHostsType.HostCount,
  MinimumHealthyHostsType.FleetPercent,
] as const;
export type SettableMinimumHealthyHostsType = (typeof settableMinimumHealthyHostsTypes)[number];

/**
 * - HOST_COUNT n: at least n instances stay healthy.
 * - FLEET_PERCENT p: at least p % of the fleet, converted at the start of the deployment with
 *   fractional instances rounded up.
 * - MOST_CONCURRENCY n: at most n instances out at a time, i.e. fleet size − n stay healthy.
 */
export interface MinimumHealthyHosts {
  readonly type: MinimumHealthyHostsType;
  readonly value: number;
}

export const oneAtATimeConfigName = 'CodeDeployDefault.OneAtATime';
export const halfAtATimeConfigName = 'CodeDeployDefault.HalfAtATime';
export const allAtOnceConfigName = 'CodeDeployDefault.AllAtOnce';

/**
 * CodeDeploy's default when neither the deployment nor its group names a configuration
 * (botocore `CreateDeploymentGroupInput.deploymentConfigName`; reference §5.5).
 */
export const defaultDeploymentConfigName = oneAtATimeConfigName;

/**
 * When the predefined configurations report being created: Slipway's choice (AWS's value is not
 * documented), CodeDeploy's launch day, 2014-11-12.
 */
export const predefinedConfigCreateTime = Date.UTC(2014, 10, 12);

function predefined(name: string, id: string, minimumHealthyHosts: MinimumHealthyHosts) {
  return Object.freeze({
    name,
    id,
    minimumHealthyHosts: Object.freeze(minimumHealthyHosts),
    computePlatform: DeploymentComputePlatform.Server,
    createTime: predefinedConfigCreateTime,
    predefined: true,
  } satisfies DeploymentConfig);
}

/**
 * The three predefined Server configurations, with the values reference/aws-compat.md §5.5 gives
 * (from the archived `deployment-configurations.md` and botocore's `MinimumHealthyHosts` notes):
 *
 * - AllAtOnce: HOST_COUNT 0 — as many instances at once as possible; succeeds if at least one
 *   instance succeeds.
 * - HalfAtATime: FLEET_PERCENT 50 — up to half at a time (rounded down); succeeds if at least
 *   half succeed (rounded up).
 * - OneAtATime: MOST_CONCURRENCY 1 — one at a time, every instance but one kept healthy, so a
 *   failure on the last instance still succeeds. (The old user guide's table shows it as "99%",
 *   which rounded up would leave no instance to take out; the behaviour it describes is n − 1.)
 *
 * The ids are Slipway's own fixed values; AWS's are not documented.
 */
export const predefinedDeploymentConfigs: readonly DeploymentConfig[] = Object.freeze([
  predefined(oneAtATimeConfigName, 'codedeploydefault-oneatatime', {
    type: MinimumHealthyHostsType.MostConcurrency,
    value: 1,
  }),
  predefined(halfAtATimeConfigName, 'codedeploydefault-halfatatime', {
    type: MinimumHealthyHostsType.FleetPercent,
    value: 50,
  }),
  predefined(allAtOnceConfigName, 'codedeploydefault-allatonce', {
    type: MinimumHealthyHostsType.HostCount,
    value: 0,
  }),
]);

/**
 * Every `CodeDeployDefault.*` name AWS predefines, Lambda and ECS included (archived
 * `deployment-configurations.md`; reference §5.5): none can be created or deleted.
 */
export const predefinedDeploymentConfigNames: ReadonlySet<string> = new Set([
  ...predefinedDeploymentConfigs.map((c) => c.name),
  'CodeDeployDefault.ECSAllAtOnce',
  'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
  'CodeDeployDefault.ECSLinear10PercentEvery3Minutes',
  'CodeDeployDefault.ECSCanary10Percent5Minutes',
  'CodeDeployDefault.ECSCanary10Percent15Minutes',
  'CodeDeployDefault.LambdaAllAtOnce',
  'CodeDeployDefault.LambdaCanary10Percent5Minutes',
  'CodeDeployDefault.LambdaCanary10Percent10Minutes',
  'CodeDeployDefault.LambdaCanary10Percent15Minutes',
  'CodeDeployDefault.LambdaCanary10Percent30Minutes',
  'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
  'CodeDeployDefault.LambdaLinear10PercentEvery2Minutes',
  'CodeDeployDefault.LambdaLinear10PercentEvery3Minutes',
  'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes',
]);

/** The predefined Server configuration of that name, or undefined. */
export function findPredefinedDeploymentConfig(name: string): DeploymentConfig | undefined {
  return predefinedDeploymentConfigs.find((c) => c.name === name);
}

export function isPredefinedDeploymentConfigName(name: string): boolean {
  return predefinedDeploymentConfigNames.has(name);
}
