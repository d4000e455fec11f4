/**
 * The buildspec sections that say what leaves the build: `reports`, `artifacts` (with
 * `secondary-artifacts`) and `cache`. Paths are kept as written here; whether they stay inside
 * the workspace is decided when files are selected (artifacts/select-files.ts).
 */
import {
  cacheActions,
  coverageReportFormats,
  testReportFormats,
  type ArtifactSpec,
  type ArtifactsSpec,
  type CacheAction,
  type CacheSpec,
  type ReportFileFormat,
  type ReportGroupSpec,
  type SecondaryArtifactSpec,
} from './buildspec.model.ts';
import { fieldsOf, readBoolean, readMap, readString, readStringList } from './fields.ts';
import type { FieldPath, Problems } from './problems.ts';
import type { YMap, YNode } from './yaml-view.ts';

/** CodeBuild: "A project can have a maximum of five report groups." */
export const maxReportGroups = 5;
/** CodeBuild: up to five cache fallback keys. */
export const maxCacheFallbackKeys = 5;

const reportKeys = ['files', 'base-directory', 'discard-paths', 'file-format'];
const artifactKeys = [
  'files',
  'name',
  'discard-paths',
  'base-directory',
  'exclude-paths',
  'enable-symlinks',
  's3-prefix',
];
const cacheKeys = ['paths', 'key', 'fallback-keys', 'action'];
const reportFormats: readonly ReportFileFormat[] = [...testReportFormats, ...coverageReportFormats];

export function parseReports(node: YNode, problems: Problems): ReportGroupSpec[] {
  const map = readMap(node, ['reports'], problems);
  if (map === undefined) return [];
  if (map.entries.length > maxReportGroups) {
    problems.error(
      map.line,
      ['reports'],
      `at most ${maxReportGroups} report groups, found ${map.entries.length}`,
    );
  }
  const groups: ReportGroupSpec[] = [];
  for (const entry of map.entries) {
    const group = parseReportGroup(entry.key, entry.value, problems);
    if (group !== undefined) groups.push(group);
  }
  return groups;
}

function parseReportGroup(
  name: string,
  node: YNode,
  problems: Problems,
): ReportGroupSpec | undefined {
  const path: FieldPath = ['reports', name];
  const map = requiredMap(node, path, 'a report group needs files', problems);
  if (map === undefined) return undefined;
  const fields = fieldsOf(map, reportKeys, path, problems);
  const common = fileSelection(map, fields, path, problems);
  let fileFormat: ReportFileFormat = 'JUNITXML';
  const formatNode = fields.get('file-format');
  if (formatNode !== undefined) {
    const text = readString(formatNode, [...path, 'file-format'], problems);
    if (text !== undefined) {
      const known = reportFormats.find((f) => f === text.toUpperCase());
      if (known === undefined) {
        problems.error(
          formatNode.line,
          [...path, 'file-format'],
          `unknown report format '${text}': expected one of ${reportFormats.join(', ')}`,
        );
      } else fileFormat = known;
    }
  }
  return { name, ...common, excludePaths: [], fileFormat };
}

export function parseArtifacts(node: YNode, problems: Problems): ArtifactsSpec | undefined {
  const path: FieldPath = ['artifacts'];
  const map = readMap(node, path, problems);
  if (map === undefined) return undefined;
  const fields = fieldsOf(map, [...artifactKeys, 'secondary-artifacts'], path, problems);
  // Required even when only secondary artifacts are wanted, as CodeBuild documents.
  const primary = parseArtifact(map, fields, path, problems);
  const secondaryArtifacts: SecondaryArtifactSpec[] = [];
  const secondaryNode = fields.get('secondary-artifacts');
  const secondaryMap =
    secondaryNode && readMap(secondaryNode, [...path, 'secondary-artifacts'], problems);
  for (const entry of secondaryMap?.entries ?? []) {
    const entryPath = [...path, 'secondary-artifacts', entry.key];
    const artifactMap = requiredMap(
      entry.value,
      entryPath,
      'a secondary artifact needs files',
      problems,
    );
    if (artifactMap === undefined) continue;
    const artifactFields = fieldsOf(artifactMap, artifactKeys, entryPath, problems);
    const artifact = parseArtifact(artifactMap, artifactFields, entryPath, problems);
    secondaryArtifacts.push({ identifier: entry.key, ...artifact });
  }
  return { ...primary, secondaryArtifacts };
}

function parseArtifact(
  map: YMap,
  fields: ReadonlyMap<string, YNode>,
  path: FieldPath,
  problems: Problems,
): ArtifactSpec {
  const common = fileSelection(map, fields, path, problems);
  const text = (key: string): string | undefined => {
    const n = fields.get(key);
    return n && readString(n, [...path, key], problems);
  };
  const excludeNode = fields.get('exclude-paths');
  const excludePaths =
    excludeNode &&
    readStringList(excludeNode, [...path, 'exclude-paths'], problems, { scalarAllowed: true });
  return {
    ...common,
    excludePaths: excludePaths ?? [],
    name: text('name'),
    enableSymlinks: flag(fields, 'enable-symlinks', path, problems),
    s3Prefix: text('s3-prefix'),
  };
}

/** `files` (required), `base-directory` and `discard-paths`. */
function fileSelection(
  map: YMap,
  fields: ReadonlyMap<string, YNode>,
  path: FieldPath,
  problems: Problems,
): { files: string[]; baseDirectory: string | undefined; discardPaths: boolean } {
  const filesNode = fields.get('files');
  const files = filesNode && readStringList(filesNode, [...path, 'files'], problems);
  if (filesNode === undefined || (filesNode.kind === 'scalar' && filesNode.isNull)) {
    problems.error(filesNode?.line ?? map.line, [...path, 'files'], 'files is required');
  } else if (files?.length === 0) {
    problems.error(filesNode.line, [...path, 'files'], 'files lists no paths');
  }
  const baseNode = fields.get('base-directory');
  return {
    files: files ?? [],
    baseDirectory: baseNode && readString(baseNode, [...path, 'base-directory'], problems),
    discardPaths: flag(fields, 'discard-paths', path, problems),
  };
}

export function parseCache(node: YNode, problems: Problems): CacheSpec | undefined {
  const path: FieldPath = ['cache'];
  const map = readMap(node, path, problems);
  if (map === undefined) return undefined;
  const fields = fieldsOf(map, cacheKeys, path, problems);
  const pathsNode = fields.get('paths');
  const paths = pathsNode && readStringList(pathsNode, [...path, 'paths'], problems);
  if (pathsNode === undefined) problems.error(map.line, [...path, 'paths'], 'paths is required');
  const keyNode = fields.get('key');
  const key = keyNode && readString(keyNode, [...path, 'key'], problems);
  const fallbackNode = fields.get('fallback-keys');
  const fallbackKeys =
    (fallbackNode && readStringList(fallbackNode, [...path, 'fallback-keys'], problems)) ?? [];
  if (fallbackNode !== undefined && fallbackKeys.length > maxCacheFallbackKeys) {
    problems.error(
      fallbackNode.line,
      [...path, 'fallback-keys'],
      `at most ${maxCacheFallbackKeys} fallback keys, found ${fallbackKeys.length}`,
    );
  }
  if (fallbackNode !== undefined && key === undefined) {
    problems.warn(fallbackNode.line, [...path, 'fallback-keys'], 'ignored without a key');
  }
  let action: CacheAction | undefined;
  const actionNode = fields.get('action');
  if (actionNode !== undefined) {
    const text = readString(actionNode, [...path, 'action'], problems);
    if (text !== undefined) {
      action = cacheActions.find((a) => a === text.toLowerCase());
      if (action === undefined) {
        problems.error(
          actionNode.line,
          [...path, 'action'],
          `unknown cache action '${text}': expected restore or save`,
        );
      }
    }
  }
  return { paths: paths ?? [], key, fallbackKeys, action };
}

function flag(
  fields: ReadonlyMap<string, YNode>,
  key: string,
  path: FieldPath,
  problems: Problems,
): boolean {
  const n = fields.get(key);
  return (n && readBoolean(n, [...path, key], problems)) ?? false;
}

/** A mapping that must be there; a null value gets `missing` as its error. */
function requiredMap(
  node: YNode,
  path: FieldPath,
  missing: string,
  problems: Problems,
): YMap | undefined {
  const map = readMap(node, path, problems);
  if (map === undefined && node.kind === 'scalar' && node.isNull)
    problems.error(node.line, path, missing);
  return map;
}
