/**
 * Typed reads of appspec fields from the YAML tree. Each reader reports a wrong shape as an error
 * at the node's line and path and returns undefined, so the caller carries on and every problem
 * in the document is found in one pass.
 */
import type { FieldPath, Problems } from './problems.ts';
import type { YMap, YNode, YSeq } from './yaml-view.ts';

export function found(node: YNode): string {
  if (node.kind === 'map') return 'found a mapping (subkeys) instead';
  if (node.kind === 'seq') return 'found a sequence instead';
  return `found '${node.text}' instead`;
}

export function isNull(node: YNode): boolean {
  return node.kind === 'scalar' && node.isNull;
}

/** A mapping; a null value counts as absent. */
export function readMap(node: YNode, path: FieldPath, problems: Problems): YMap | undefined {
  if (node.kind === 'map') return node;
  if (isNull(node)) return undefined;
  problems.error(node.line, path, `expected a mapping, ${found(node)}`);
  return undefined;
}

/** A sequence; a null value counts as absent. */
export function readSeq(node: YNode, path: FieldPath, problems: Problems): YSeq | undefined {
  if (node.kind === 'seq') return node;
  if (isNull(node)) return undefined;
  problems.error(node.line, path, `expected a sequence, ${found(node)}`);
  return undefined;
}

// eslint-disable-next-line no-control-regex
const controlCharacter = /[\u0000-\u001f\u007f]/;

/** Any scalar as written, trimmed as the agent trims; null counts as absent. */
export function readString(node: YNode, path: FieldPath, problems: Problems): string | undefined {
  if (node.kind !== 'scalar') {
    problems.error(node.line, path, `expected a string, ${found(node)}`);
    return undefined;
  }
  if (node.isNull) return undefined;
  const text = node.text.trim();
  if (controlCharacter.test(text)) {
    problems.error(node.line, path, 'must not contain control characters (NUL, newline …)');
    return undefined;
  }
  return text;
}

/** A string that must be present and not empty. */
export function readRequiredString(
  node: YNode | undefined,
  at: { readonly line: number; readonly path: FieldPath; readonly what: string },
  problems: Problems,
): string | undefined {
  const text = node && readString(node, at.path, problems);
  if (text === '' || (text === undefined && (node === undefined || isNull(node)))) {
    problems.error(node?.line ?? at.line, at.path, `${at.what} is required`);
    return undefined;
  }
  return text;
}

const truthy = new Set(['y', 'yes', 'true', 'on']);
const falsy = new Set(['n', 'no', 'false', 'off']);

/** yes/no, true/false, on/off in any case (YAML 1.1 booleans, as Ruby reads them). */
export function readBoolean(node: YNode, path: FieldPath, problems: Problems): boolean | undefined {
  if (node.kind === 'scalar') {
    if (node.isNull) return undefined;
    const word = node.text.toLowerCase();
    if (truthy.has(word)) return true;
    if (falsy.has(word)) return false;
  }
  problems.error(node.line, path, `expected true or false, ${found(node)}`);
  return undefined;
}

/** A sequence of strings; null counts as absent. */
export function readStringList(
  node: YNode,
  path: FieldPath,
  problems: Problems,
): string[] | undefined {
  const seq = readSeq(node, path, problems);
  if (seq === undefined) return undefined;
  const out: string[] = [];
  seq.items.forEach((item, i) => {
    const value = readString(item, [...path, i], problems);
    if (value !== undefined) out.push(value);
  });
  return out;
}

/**
 * Looks up the known keys of a mapping; the others are errors (`strict`) or warnings. A typo at
 * the top level (`hook:`) would silently skip every script, so the parser makes those errors.
 */
export function fieldsOf(
  map: YMap,
  known: readonly string[],
  path: FieldPath,
  problems: Problems,
  options: { readonly strict?: boolean } = {},
): ReadonlyMap<string, YNode> {
  const out = new Map<string, YNode>();
  for (const entry of map.entries) {
    if (known.includes(entry.key)) out.set(entry.key, entry.value);
    else if (options.strict === true) {
      problems.error(
        entry.keyLine,
        [...path, entry.key],
        `unknown key: expected ${known.join(', ')}`,
      );
    } else problems.warn(entry.keyLine, [...path, entry.key], 'unknown key, ignored');
  }
  return out;
}
