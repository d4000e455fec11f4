/**
 * A parsed appspec.yml for CodeDeploy's Server compute platform (version 0.0, os linux): plain
 * data the host agent plans from. Field names are the camelCase of the appspec keys; paths are
 * normalized and already checked to stay inside the bundle (sources, hook locations) or to be
 * absolute without `..` (destinations, permission objects). See reference/aws-compat.md §5.2.
 */

/** The only version CodeDeploy accepts. */
export const appSpecVersion = '0.0';

/** CodeDeploy also accepts `windows`; Slipway's agents run on Linux hosts only. */
export const appSpecOperatingSystems = ['linux'] as const;
export type AppSpecOperatingSystem = (typeof appSpecOperatingSystems)[number];

/**
 * What the agent does with a file already at a destination that the last successful deployment
 * did not put there: fail the deployment, replace it, or keep it (§5.2).
 */
export const fileExistsBehaviors = ['DISALLOW', 'OVERWRITE', 'RETAIN'] as const;
export type FileExistsBehavior = (typeof fileExistsBehaviors)[number];

/**
 * Every lifecycle event of a Server deployment, in CodeDeploy's order (§5.3, the agent's
 * DEFAULT_ORDERED_LIFECYCLE_EVENTS). The traffic events run only with a load balancer.
 */
export const lifecycleEventNames = [
  'BeforeBlockTraffic',
  'BlockTraffic',
  'AfterBlockTraffic',
  'ApplicationStop',
  'DownloadBundle',
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
] as const;
export type LifecycleEventName = (typeof lifecycleEventNames)[number];

/** The events the agent or the service performs itself; an appspec cannot hook them. */
export const reservedLifecycleEvents = [
  'DownloadBundle',
  'Install',
  'BlockTraffic',
  'AllowTraffic',
] as const satisfies readonly LifecycleEventName[];
export type ReservedLifecycleEvent = (typeof reservedLifecycleEvents)[number];

/** The events an appspec's `hooks` may name, in the order they run. */
export type HookEventName = Exclude<LifecycleEventName, ReservedLifecycleEvent>;
export const hookEventNames = lifecycleEventNames.filter(
  (name): name is HookEventName => !(reservedLifecycleEvents as readonly string[]).includes(name),
);

/** CodeDeploy's default and ceiling for one lifecycle event's scripts, in seconds. */
export const defaultHookTimeoutSeconds = 3600;
export const maxLifecycleEventSeconds = 3600;

export interface AppSpec {
  readonly version: typeof appSpecVersion;
  readonly os: AppSpecOperatingSystem;
  readonly files: readonly FileMapping[];
  /** The appspec's `file_exists_behavior`; it overrides the deployment's fileExistsBehavior. */
  readonly fileExistsBehavior: FileExistsBehavior | undefined;
  readonly permissions: readonly PermissionSpec[];
  /** Only the events the appspec names, each with its scripts in the order written. */
  readonly hooks: Readonly<Partial<Record<HookEventName, readonly HookScript[]>>>;
}

export interface FileMapping {
  /** As written, e.g. `/` or `Config/config.txt`. */
  readonly source: string;
  /** Normalized, relative to the bundle root, no `.` or `..`; the empty string is the bundle. */
  readonly bundlePath: string;
  /** Normalized absolute path, without a trailing slash (except `/` itself). */
  readonly destination: string;
  /**
   * A per-mapping `overwrite: true|false` that blog posts write; CodeDeploy's agent ignores it.
   * Slipway reads it (see fileExistsBehaviorFor); undefined when absent.
   */
  readonly overwrite: boolean | undefined;
}

export const permissionObjectTypes = ['file', 'directory'] as const;
export type PermissionObjectType = (typeof permissionObjectTypes)[number];

export interface PermissionSpec {
  /** Normalized absolute path of a file or directory the deployment installed. */
  readonly object: string;
  /** Glob for the objects under `object`; `**` (everything) when unset. */
  readonly pattern: string;
  readonly except: readonly string[];
  readonly owner: string | undefined;
  readonly group: string | undefined;
  /** Octal digits as written, 3 or 4 long (`644` → `644`, `4755`); undefined leaves the mode. */
  readonly mode: string | undefined;
  /** ACL entries as setfacl takes them, e.g. `u:bob:rw`, `d:g::r-x`. */
  readonly acls: readonly string[];
  /** SELinux context; accepted for compatibility, not applied by Slipway's agent. */
  readonly context: SelinuxContext | undefined;
  /** Which kinds of object the permission applies to; both when unset. */
  readonly type: readonly PermissionObjectType[];
}

export interface SelinuxContext {
  /** The docs' `user`; the agent reads `name`. Either is accepted. */
  readonly user: string | undefined;
  readonly type: string;
  readonly range: string | undefined;
}

export interface HookScript {
  /** As written, e.g. `scripts/install_dependencies`. */
  readonly location: string;
  /** Normalized, relative to the bundle root. */
  readonly bundlePath: string;
  readonly timeoutSeconds: number;
  /** The Linux user to run the script as; undefined runs it as the agent's user. */
  readonly runAs: string | undefined;
}
