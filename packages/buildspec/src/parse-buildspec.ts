/**
 * Parses buildspec text (versions 0.1 and 0.2) into a Buildspec, or into every problem found
 * with its line and field path. Unknown keys are warnings, as CodeBuild logs them ("Found
 * possible syntax errors in buildspec … The following keys cannot be identified") and runs on.
 * The input is hostile: its size, the nodes aliases expand into and the nesting are bounded.
 */
import {
  buildspecVersions,
  type Buildspec,
  type BuildspecVersion,
  type PlainValue,
} from './buildspec.model.ts';
import { fieldsOf, readBoolean, readMap, readString } from './fields.ts';
import { emptyEnv, parseEnv } from './parse-env.ts';
import { parseArtifacts, parseCache, parseReports } from './parse-outputs.ts';
import { parsePhases } from './parse-phases.ts';
import { Problems, sortProblems, type BuildspecError, type BuildspecWarning } from './problems.ts';
import { readYaml, type YNode } from './yaml-view.ts';

export interface ParseBuildspecOptions {
  /** Largest accepted text, in UTF-8 bytes. Default 1 MiB. */
  readonly maxBytes?: number;
  /** Most nodes the document may expand into, aliases counted at each use. Default 100,000. */
  readonly maxNodes?: number;
  /** Deepest nesting, aliases included. Default 64. */
  readonly maxDepth?: number;
}

export const defaultBuildspecLimits = {
  maxBytes: 1024 * 1024,
  maxNodes: 100_000,
  maxDepth: 64,
} as const;

export type ParseBuildspecResult =
  | {
      readonly ok: true;
      readonly buildspec: Buildspec;
      readonly warnings: readonly BuildspecWarning[];
    }
  | {
      readonly ok: false;
      readonly errors: readonly BuildspecError[];
      readonly warnings: readonly BuildspecWarning[];
    };

const topLevelKeys = [
  'version',
  'run-as',
  'env',
  'proxy',
  'batch',
  'phases',
  'reports',
  'artifacts',
  'cache',
];

export function parseBuildspec(
  text: string,
  options: ParseBuildspecOptions = {},
): ParseBuildspecResult {
  const limits = {
    maxBytes: options.maxBytes ?? defaultBuildspecLimits.maxBytes,
    maxNodes: options.maxNodes ?? defaultBuildspecLimits.maxNodes,
    maxDepth: options.maxDepth ?? defaultBuildspecLimits.maxDepth,
  };
  const problems = new Problems();
  // UTF-8 never takes fewer bytes than UTF-16 code units, so a long text is refused unencoded.
  if (text.length > limits.maxBytes || utf8Length(text) > limits.maxBytes) {
    problems.error(undefined, [], `the buildspec is over the limit of ${limits.maxBytes} bytes`);
    return answer(undefined, problems);
  }
  const root = readYaml(text, limits, problems);
  if (root === undefined) return answer(undefined, problems);
  return answer(buildFromRoot(root, problems), problems);
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

function answer(buildspec: Buildspec | undefined, problems: Problems): ParseBuildspecResult {
  const warnings = sortProblems(problems.warnings);
  if (buildspec === undefined || problems.errors.length > 0) {
    return { ok: false, errors: sortProblems(problems.errors), warnings };
  }
  return { ok: true, buildspec, warnings };
}

function buildFromRoot(root: YNode, problems: Problems): Buildspec | undefined {
  if (root.kind !== 'map') {
    problems.error(root.line, [], 'a buildspec is a mapping with at least version and phases');
    return undefined;
  }
  const fields = fieldsOf(root, topLevelKeys, [], problems);
  const version = parseVersion(fields.get('version'), root.line, problems);

  const runAsNode = fields.get('run-as');
  const envNode = fields.get('env');
  const proxyNode = fields.get('proxy');
  const batchNode = fields.get('batch');
  const phasesNode = fields.get('phases');
  const reportsNode = fields.get('reports');
  const artifactsNode = fields.get('artifacts');
  const cacheNode = fields.get('cache');

  // A batch buildspec may leave the phases to the builds it lists.
  const noPhases = phasesNode === undefined || (phasesNode.kind === 'scalar' && phasesNode.isNull);
  if (noPhases && batchNode === undefined) {
    problems.error(phasesNode?.line ?? root.line, ['phases'], 'phases is required');
  }
  const buildspec: Buildspec = {
    version: version ?? '0.2',
    runAs: runAsNode && readString(runAsNode, ['run-as'], problems),
    env: envNode ? parseEnv(envNode, problems) : emptyEnv,
    proxy: proxyNode && parseProxy(proxyNode, problems),
    batch: batchNode && plainValue(batchNode),
    phases: phasesNode ? parsePhases(phasesNode, problems) : {},
    reports: reportsNode ? parseReports(reportsNode, problems) : [],
    artifacts: artifactsNode && parseArtifacts(artifactsNode, problems),
    cache: cacheNode && parseCache(cacheNode, problems),
  };
  return version === undefined ? undefined : buildspec;
}

function parseVersion(
  node: YNode | undefined,
  rootLine: number,
  problems: Problems,
): BuildspecVersion | undefined {
  if (node === undefined) {
    problems.error(rootLine, ['version'], 'version is required: use 0.2');
    return undefined;
  }
  const text = readString(node, ['version'], problems);
  if (text === undefined) {
    if (node.kind === 'scalar')
      problems.error(node.line, ['version'], 'version is required: use 0.2');
    return undefined;
  }
  const version = buildspecVersions.find((v) => v === text.trim());
  if (version === undefined) {
    problems.error(
      node.line,
      ['version'],
      `unsupported buildspec version '${text}': expected 0.2 (or 0.1)`,
    );
  }
  return version;
}

function parseProxy(node: YNode, problems: Problems): Buildspec['proxy'] {
  const map = readMap(node, ['proxy'], problems);
  if (map === undefined) return undefined;
  const fields = fieldsOf(map, ['upload-artifacts', 'logs'], ['proxy'], problems);
  const flag = (key: string): boolean => {
    const n = fields.get(key);
    return (n && readBoolean(n, ['proxy', key], problems)) ?? false;
  };
  return { uploadArtifacts: flag('upload-artifacts'), logs: flag('logs') };
}

/** The node as plain data: scalars as written, null for null. */
function plainValue(node: YNode): PlainValue {
  if (node.kind === 'scalar') return node.isNull ? null : node.text;
  if (node.kind === 'seq') return node.items.map(plainValue);
  const out: Record<string, PlainValue> = {};
  for (const entry of node.entries) {
    Object.defineProperty(out, entry.key, {
      value: plainValue(entry.value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
