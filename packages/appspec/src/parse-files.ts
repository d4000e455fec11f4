/**
 * The appspec `files` section: which part of the bundle goes where on the host. A source is
 * relative to the bundle root (`/` is the whole bundle) and may not escape it; a destination is
 * an absolute path without `..`. Refusing both here means nothing is ever written outside a
 * destination, whatever the revision says.
 */
import type { FileMapping } from './appspec.model.ts';
import { bundlePath, hostPath } from './bundle-paths.ts';
import { fieldsOf, found, readBoolean, readMap, readRequiredString, readSeq } from './fields.ts';
import type { FieldPath, Problems } from './problems.ts';
import type { YNode } from './yaml-view.ts';

const fileKeys = ['source', 'destination', 'overwrite'];

export function parseFiles(node: YNode, problems: Problems): FileMapping[] {
  const seq = readSeq(node, ['files'], problems);
  if (seq === undefined) return [];
  const out: FileMapping[] = [];
  seq.items.forEach((item, i) => {
    const mapping = parseFileMapping(item, ['files', i], problems);
    if (mapping !== undefined) out.push(mapping);
  });
  return out;
}

function parseFileMapping(
  node: YNode,
  path: FieldPath,
  problems: Problems,
): FileMapping | undefined {
  if (node.kind === 'scalar') {
    problems.error(
      node.line,
      path,
      `expected a mapping with a source and a destination, ${found(node)}`,
    );
    return undefined;
  }
  const map = readMap(node, path, problems);
  if (map === undefined) return undefined;
  const fields = fieldsOf(map, fileKeys, path, problems);
  const sourceNode = fields.get('source');
  const source = readRequiredString(
    sourceNode,
    { line: map.line, path: [...path, 'source'], what: 'source' },
    problems,
  );
  const destinationNode = fields.get('destination');
  const destination = readRequiredString(
    destinationNode,
    { line: map.line, path: [...path, 'destination'], what: 'destination' },
    problems,
  );
  const overwriteNode = fields.get('overwrite');
  const overwrite = overwriteNode && readBoolean(overwriteNode, [...path, 'overwrite'], problems);

  let sourcePath: string | undefined;
  if (source !== undefined) {
    const checked = bundlePath(source, { rootAllowed: true });
    if (checked.ok) sourcePath = checked.path;
    else problems.error(sourceNode?.line, [...path, 'source'], checked.reason);
  }
  let destinationPath: string | undefined;
  if (destination !== undefined) {
    const checked = hostPath(destination);
    if (checked.ok) destinationPath = checked.path;
    else problems.error(destinationNode?.line, [...path, 'destination'], checked.reason);
  }
  if (source === undefined || sourcePath === undefined || destinationPath === undefined) {
    return undefined;
  }
  return { source, bundlePath: sourcePath, destination: destinationPath, overwrite };
}
