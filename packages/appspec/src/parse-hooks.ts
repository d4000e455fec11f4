/**
 * The appspec `hooks` section: for each lifecycle event a Server deployment can hook, the scripts
 * to run in order, each with a location in the bundle, a timeout and an optional user. The
 * agent's own events (DownloadBundle, Install) and the service's (BlockTraffic, AllowTraffic)
 * cannot have scripts; ECS and Lambda event names are refused with a hint.
 */
import {
  defaultHookTimeoutSeconds,
  hookEventNames,
  maxLifecycleEventSeconds,
  reservedLifecycleEvents,
  type HookEventName,
  type HookScript,
} from './appspec.model.ts';
import { bundlePath } from './bundle-paths.ts';
import { fieldsOf, found, readMap, readRequiredString, readSeq, readString } from './fields.ts';
import type { FieldPath, Problems } from './problems.ts';
import type { YNode } from './yaml-view.ts';

const scriptKeys = ['location', 'timeout', 'runas', 'sudo'];
const ecsAndLambdaEvents = ['AllowTestTraffic', 'AfterAllowTestTraffic'];

/** A Linux user name as useradd accepts it; never an option (`-c …`) for su or sudo. */
const userName = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/;

export function parseHooks(
  node: YNode,
  problems: Problems,
): Partial<Record<HookEventName, HookScript[]>> {
  const hooks: Partial<Record<HookEventName, HookScript[]>> = {};
  const map = readMap(node, ['hooks'], problems);
  if (map === undefined) return hooks;
  for (const entry of map.entries) {
    const event = hookEventOf(entry.key, entry.keyLine, problems);
    if (event === undefined) continue;
    const { scripts, explicitSeconds } = parseScripts(entry.value, ['hooks', event], problems);
    checkEventTimeout(explicitSeconds, entry.keyLine, ['hooks', event], problems);
    hooks[event] = scripts;
  }
  return hooks;
}

function hookEventOf(key: string, line: number, problems: Problems): HookEventName | undefined {
  const event = hookEventNames.find((name) => name === key);
  if (event !== undefined) return event;
  let message: string;
  if ((reservedLifecycleEvents as readonly string[]).includes(key)) {
    message = `${key} is run by CodeDeploy itself and cannot have hooks`;
  } else if (ecsAndLambdaEvents.includes(key)) {
    message = `${key} is an ECS lifecycle event; a Server deployment cannot hook it`;
  } else {
    const near = hookEventNames.find((name) => name.toLowerCase() === key.toLowerCase());
    message =
      near === undefined
        ? `unknown lifecycle event: expected one of ${hookEventNames.join(', ')}`
        : `unknown lifecycle event: did you mean ${near}? (names are case-sensitive)`;
  }
  problems.error(line, ['hooks', key], message);
  return undefined;
}

/** The scripts, and the sum of the timeouts written out (defaults are not counted). */
function parseScripts(
  node: YNode,
  path: FieldPath,
  problems: Problems,
): { scripts: HookScript[]; explicitSeconds: number } {
  const scripts: HookScript[] = [];
  let explicitSeconds = 0;
  const seq = readSeq(node, path, problems);
  seq?.items.forEach((item, i) => {
    const script = parseScript(item, [...path, i], problems);
    if (script === undefined) return;
    scripts.push(script.script);
    explicitSeconds += script.explicitTimeout ? script.script.timeoutSeconds : 0;
  });
  return { scripts, explicitSeconds };
}

function parseScript(
  node: YNode,
  path: FieldPath,
  problems: Problems,
): { script: HookScript; explicitTimeout: boolean } | undefined {
  if (node.kind === 'scalar') {
    problems.error(
      node.line,
      path,
      `expected a mapping with a location (- location: …), ${found(node)}`,
    );
    return undefined;
  }
  const map = readMap(node, path, problems);
  if (map === undefined) return undefined;
  const fields = fieldsOf(map, scriptKeys, path, problems);
  const locationNode = fields.get('location');
  const location = readRequiredString(
    locationNode,
    { line: map.line, path: [...path, 'location'], what: 'location' },
    problems,
  );
  let scriptPath: string | undefined;
  if (location !== undefined) {
    const checked = bundlePath(location, { rootAllowed: false });
    if (checked.ok) scriptPath = checked.path;
    else problems.error(locationNode?.line, [...path, 'location'], checked.reason);
  }
  const timeoutNode = fields.get('timeout');
  const timeoutSeconds = timeoutNode && readTimeout(timeoutNode, [...path, 'timeout'], problems);
  const runAsNode = fields.get('runas');
  const runAs = runAsNode && readRunAs(runAsNode, [...path, 'runas'], problems);
  const sudoNode = fields.get('sudo');
  if (sudoNode !== undefined) {
    problems.warn(sudoNode.line, [...path, 'sudo'], 'sudo is not supported, ignored: use runas');
  }
  if (location === undefined || scriptPath === undefined) return undefined;
  const script: HookScript = {
    location,
    bundlePath: scriptPath,
    timeoutSeconds: timeoutSeconds ?? defaultHookTimeoutSeconds,
    runAs,
  };
  return { script, explicitTimeout: timeoutSeconds !== undefined };
}

function readTimeout(node: YNode, path: FieldPath, problems: Problems): number | undefined {
  if (node.kind !== 'scalar') {
    problems.error(node.line, path, `expected a number of seconds, ${found(node)}`);
    return undefined;
  }
  if (node.isNull) return undefined;
  const text = node.text.trim();
  const seconds = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(seconds) || seconds <= 0) {
    problems.error(
      node.line,
      path,
      `expected a whole number of seconds above 0, found '${text}' instead`,
    );
    return undefined;
  }
  if (seconds > maxLifecycleEventSeconds) {
    problems.error(
      node.line,
      path,
      `${seconds} seconds is over CodeDeploy's limit of ${maxLifecycleEventSeconds} seconds for a lifecycle event`,
    );
    return undefined;
  }
  return seconds;
}

function readRunAs(node: YNode, path: FieldPath, problems: Problems): string | undefined {
  const text = readString(node, path, problems);
  if (text === undefined || text === '') return undefined;
  if (!userName.test(text)) {
    problems.error(node.line, path, `'${text}' is not a Linux user name`);
    return undefined;
  }
  return text;
}

/** CodeDeploy stops an event whose scripts run longer than an hour in total (§5.2). */
function checkEventTimeout(total: number, line: number, path: FieldPath, problems: Problems): void {
  if (total <= maxLifecycleEventSeconds) return;
  problems.warn(
    line,
    path,
    `the timeouts add up to ${total} seconds; the event fails if its scripts run longer than ${maxLifecycleEventSeconds} seconds in total`,
  );
}
