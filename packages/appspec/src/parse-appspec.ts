/**
 * Parses appspec.yml text (version 0.0, os linux) into an AppSpec, or into every problem found
 * with its line and field path. Unlike CodeDeploy's agent, which stops at the first problem and
 * ignores keys it does not know, unknown top-level keys are errors: a misspelt `hook:` would
 * otherwise deploy without running a single script. The input is hostile: its size, the nodes
 * aliases expand into and the nesting are bounded.
 */
import {
  appSpecVersion,
  fileExistsBehaviors,
  type AppSpec,
  type AppSpecOperatingSystem,
  type FileExistsBehavior,
} from './appspec.model.ts';
import { fieldsOf, readString } from './fields.ts';
import { parseFiles } from './parse-files.ts';
import { parseHooks } from './parse-hooks.ts';
import { parsePermissions } from './parse-permissions.ts';
import { Problems, sortProblems, type AppSpecError, type AppSpecWarning } from './problems.ts';
import { readYaml, type YNode } from './yaml-view.ts';

export interface ParseAppSpecOptions {
  /** Largest accepted text, in UTF-8 bytes. Default 1 MiB. */
  readonly maxBytes?: number;
  /** Most nodes the document may expand into, aliases counted at each use. Default 100,000. */
  readonly maxNodes?: number;
  /** Deepest nesting, aliases included. Default 32; an appspec needs 5. */
  readonly maxDepth?: number;
}

export const defaultAppSpecLimits = {
  maxBytes: 1024 * 1024,
  maxNodes: 100_000,
  maxDepth: 32,
} as const;

export type ParseAppSpecResult =
  | {
      readonly ok: true;
      readonly appSpec: AppSpec;
      readonly warnings: readonly AppSpecWarning[];
    }
  | {
      readonly ok: false;
      readonly errors: readonly AppSpecError[];
      readonly warnings: readonly AppSpecWarning[];
    };

const topLevelKeys = ['version', 'os', 'files', 'file_exists_behavior', 'permissions', 'hooks'];

export function parseAppSpec(text: string, options: ParseAppSpecOptions = {}): ParseAppSpecResult {
  const limits = {
    maxBytes: options.maxBytes ?? defaultAppSpecLimits.maxBytes,
    maxNodes: options.maxNodes ?? defaultAppSpecLimits.maxNodes,
    maxDepth: options.maxDepth ?? defaultAppSpecLimits.maxDepth,
  };
  const problems = new Problems();
  // UTF-8 never takes fewer bytes than UTF-16 code units, so a long text is refused unencoded.
  if (text.length > limits.maxBytes || utf8Length(text) > limits.maxBytes) {
    problems.error(undefined, [], `the appspec is over the limit of ${limits.maxBytes} bytes`);
    return answer(undefined, problems);
  }
  const root = readYaml(text, limits, problems);
  if (root === undefined) return answer(undefined, problems);
  return answer(buildFromRoot(root, problems), problems);
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

function answer(appSpec: AppSpec | undefined, problems: Problems): ParseAppSpecResult {
  const warnings = sortProblems(problems.warnings);
  if (appSpec === undefined || problems.errors.length > 0) {
    return { ok: false, errors: sortProblems(problems.errors), warnings };
  }
  return { ok: true, appSpec, warnings };
}

function buildFromRoot(root: YNode, problems: Problems): AppSpec | undefined {
  if (root.kind !== 'map') {
    problems.error(root.line, [], 'an appspec is a mapping with at least version and os');
    return undefined;
  }
  const fields = fieldsOf(root, topLevelKeys, [], problems, { strict: true });
  const version = parseVersion(fields.get('version'), root.line, problems);
  const os = parseOs(fields.get('os'), root.line, problems);
  const behaviorNode = fields.get('file_exists_behavior');
  const fileExistsBehavior = behaviorNode && parseFileExistsBehavior(behaviorNode, problems);
  const filesNode = fields.get('files');
  const permissionsNode = fields.get('permissions');
  const hooksNode = fields.get('hooks');
  const appSpec: AppSpec = {
    version: appSpecVersion,
    os: os ?? 'linux',
    files: filesNode ? parseFiles(filesNode, problems) : [],
    fileExistsBehavior,
    permissions: permissionsNode ? parsePermissions(permissionsNode, problems) : [],
    hooks: hooksNode ? parseHooks(hooksNode, problems) : {},
  };
  return version === undefined || os === undefined ? undefined : appSpec;
}

/**
 * `0.0` as the agent compares it: Ruby reads the plain scalar as the float 0.0, so `0` and
 * `0.00` pass too. A quoted "0.0" is accepted as well, although Ruby's string would not be.
 */
function parseVersion(
  node: YNode | undefined,
  rootLine: number,
  problems: Problems,
): typeof appSpecVersion | undefined {
  const text = node && readString(node, ['version'], problems);
  if (text === undefined || text === '') {
    if (node === undefined || node.kind === 'scalar') {
      problems.error(node?.line ?? rootLine, ['version'], 'version is required: use 0.0');
    }
    return undefined;
  }
  if (/^0(?:\.0*)?$/.test(text)) return appSpecVersion;
  problems.error(node?.line, ['version'], `unsupported appspec version '${text}': use 0.0`);
  return undefined;
}

function parseOs(
  node: YNode | undefined,
  rootLine: number,
  problems: Problems,
): AppSpecOperatingSystem | undefined {
  const text = node && readString(node, ['os'], problems);
  if (text === undefined || text === '') {
    if (node === undefined || node.kind === 'scalar') {
      problems.error(node?.line ?? rootLine, ['os'], 'os is required: use linux');
    }
    return undefined;
  }
  if (text === 'linux') return 'linux';
  const message =
    text === 'windows'
      ? 'os windows is not supported: Slipway deploys to Linux hosts only, use linux'
      : text.toLowerCase() === 'linux'
        ? `unsupported os '${text}': use linux (lower case)`
        : `unsupported os '${text}': use linux`;
  problems.error(node?.line, ['os'], message);
  return undefined;
}

function parseFileExistsBehavior(node: YNode, problems: Problems): FileExistsBehavior | undefined {
  const text = readString(node, ['file_exists_behavior'], problems);
  if (text === undefined || text === '') return undefined;
  const behavior = fileExistsBehaviors.find((b) => b === text.toUpperCase());
  if (behavior === undefined) {
    problems.error(
      node.line,
      ['file_exists_behavior'],
      `unknown file_exists_behavior '${text}': expected ${fileExistsBehaviors.join(', ')}`,
    );
  }
  return behavior;
}
