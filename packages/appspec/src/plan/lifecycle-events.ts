/**
 * Which lifecycle events run on an instance, in which order, and whose appspec each takes its
 * scripts from (reference/aws-compat.md §5.3). The agent walks this list; the server shows the
 * same list as the instance's lifecycle events before they run.
 */
import {
  reservedLifecycleEvents,
  type AppSpec,
  type HookEventName,
  type HookScript,
  type LifecycleEventName,
} from '../appspec.model.ts';

/**
 * `inPlace`: the instance is deployed where it stands (also the rollback of an in-place
 * deployment). `replacement` and `original`: the green and blue instances of a blue/green
 * deployment.
 */
export const instanceRoles = ['inPlace', 'replacement', 'original'] as const;
export type InstanceRole = (typeof instanceRoles)[number];

export interface LifecycleEventsOptions {
  /** Default `inPlace`. */
  readonly role?: InstanceRole;
  /** Whether the deployment group has a load balancer; in-place only adds traffic events then. */
  readonly loadBalanced: boolean;
  /** A blue/green rollback: the originals allow traffic again and the replacements block it. */
  readonly blueGreenRollback?: boolean;
}

/**
 * `revision`: the scripts of the revision being deployed. `lastSuccessful`: the scripts of the
 * last revision deployed successfully to this instance (ApplicationStop, BeforeBlockTraffic,
 * AfterBlockTraffic); nothing runs when there is none. `none`: the agent or the service performs
 * the event itself.
 */
export type ScriptSource = 'revision' | 'lastSuccessful' | 'none';

export interface PlannedLifecycleEvent {
  readonly name: LifecycleEventName;
  readonly scriptSource: ScriptSource;
  /** With ignoreApplicationStopFailures, a failure of this event does not fail the instance. */
  readonly failureIgnorable: boolean;
}

const blockTraffic = ['BeforeBlockTraffic', 'BlockTraffic', 'AfterBlockTraffic'] as const;
const install = [
  'ApplicationStop',
  'DownloadBundle',
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
] as const;
const allowTraffic = ['BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic'] as const;

/** The events whose scripts come from the last successful revision's appspec (§5.3). */
const fromLastSuccessful: readonly LifecycleEventName[] = [
  'ApplicationStop',
  'BeforeBlockTraffic',
  'AfterBlockTraffic',
];

export function lifecycleEvents(options: LifecycleEventsOptions): PlannedLifecycleEvent[] {
  const role = options.role ?? 'inPlace';
  const rollback = options.blueGreenRollback === true;
  let names: readonly LifecycleEventName[];
  switch (role) {
    case 'inPlace':
      names = options.loadBalanced ? [...blockTraffic, ...install, ...allowTraffic] : install;
      break;
    case 'replacement':
      names = rollback ? blockTraffic : [...install, ...allowTraffic];
      break;
    case 'original':
      names = rollback ? allowTraffic : blockTraffic;
      break;
  }
  return names.map((name) => ({
    name,
    scriptSource: scriptSourceOf(name),
    failureIgnorable: fromLastSuccessful.includes(name),
  }));
}

function scriptSourceOf(name: LifecycleEventName): ScriptSource {
  if ((reservedLifecycleEvents as readonly string[]).includes(name)) return 'none';
  return fromLastSuccessful.includes(name) ? 'lastSuccessful' : 'revision';
}

export interface HookRun extends PlannedLifecycleEvent {
  /** The scripts to run in order; empty for agent events and events the appspec leaves out. */
  readonly scripts: readonly HookScript[];
}

/**
 * The lifecycle events with the scripts each runs, taken from the new revision's appspec or,
 * for ApplicationStop and the BlockTraffic hooks, from the last successful one (none on the
 * first deployment to an instance).
 */
export function planHookRuns(
  events: readonly PlannedLifecycleEvent[],
  appSpecs: { readonly revision: AppSpec; readonly lastSuccessful: AppSpec | undefined },
): HookRun[] {
  return events.map((event) => {
    const appSpec =
      event.scriptSource === 'lastSuccessful' ? appSpecs.lastSuccessful : appSpecs.revision;
    const scripts =
      event.scriptSource === 'none' || appSpec === undefined
        ? []
        : (appSpec.hooks[event.name as HookEventName] ?? []);
    return { ...event, scripts };
  });
}
