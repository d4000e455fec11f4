/**
 * Typed reads of buildspec fields from the YAML tree. Each reader reports a wrong shape as an
 * error at the node's line and path and returns undefined, so the caller carries on and every
 * problem in the document is found in one pass.
 */
import type { FieldPath, Problems } from './problems.ts';
import type { YMap, YNode } from './yaml-view.ts';

function found(node: YNode): string {
  if (node.kind === 'map') return 'found a mapping (subkeys) instead';
  if (node.kind === 'seq') return 'found a sequence instead';
  return `found '${node.text}' instead`;
}

/** A mapping; a null value counts as absent. */
export function readMap(node: YNode, path: FieldPath, problems: Problems): YMap | undefined {
  if (node.kind === 'map') return node;
  if (node.kind === 'scalar' && node.isNull) return undefined;
  problems.error(node.line, path, `expected a mapping, ${found(node)}`);
  return undefined;
}

/** Any scalar as written; null counts as absent. */
export function readString(node: YNode, path: FieldPath, problems: Problems): string | undefined {
  if (node.kind === 'scalar') return node.isNull ? undefined : node.text;
  problems.error(node.line, path, `expected a string, ${found(node)}`);
  return undefined;
}

/**
 * A command: any scalar as written, so `- 1` or `- true` run as the text `1` and `true` (Go's
 * YAML decoder gives CodeBuild the same). A null item is an empty command. The usual mistake, an
 * unquoted `: ` that turns the command into a mapping, gets a hint.
 */
export function readCommand(node: YNode, path: FieldPath, problems: Problems): string | undefined {
  if (node.kind === 'scalar') return node.isNull ? '' : node.text;
  const hint = node.kind === 'map' ? ' (quote a command that contains ": ")' : '';
  problems.error(node.line, path, `expected a string, ${found(node)}${hint}`);
  return undefined;
}

const truthy = new Set(['y', 'yes', 'true', 'on']);
const falsy = new Set(['n', 'no', 'false', 'off']);

/** yes/no, true/false, on/off in any case (YAML 1.1 booleans, as CodeBuild reads them). */
export function readBoolean(node: YNode, path: FieldPath, problems: Problems): boolean | undefined {
  if (node.kind === 'scalar') {
    if (node.isNull) return undefined;
    const word = node.text.toLowerCase();
    if (truthy.has(word)) return true;
    if (falsy.has(word)) return false;
  }
  problems.error(node.line, path, `expected yes or no, ${found(node)}`);
  return undefined;
}

/** A sequence of scalars; with `scalarAllowed`, a lone scalar is a list of one. */
export function readStringList(
  node: YNode,
  path: FieldPath,
  problems: Problems,
  options: { readonly scalarAllowed?: boolean } = {},
): string[] | undefined {
  if (node.kind === 'scalar' && node.isNull) return undefined;
  if (node.kind === 'scalar' && options.scalarAllowed === true) return [node.text];
  if (node.kind !== 'seq') {
    problems.error(node.line, path, `expected a sequence, ${found(node)}`);
    return undefined;
  }
  const out: string[] = [];
  node.items.forEach((item, i) => {
    const value = readString(item, [...path, i], problems);
    if (value !== undefined) out.push(value);
  });
  return out;
}

/** A sequence of commands (see readCommand). */
export function readCommands(
  node: YNode,
  path: FieldPath,
  problems: Problems,
): string[] | undefined {
  if (node.kind === 'scalar' && node.isNull) return undefined;
  if (node.kind !== 'seq') {
    problems.error(node.line, path, `expected a sequence of commands, ${found(node)}`);
    return undefined;
  }
  const out: string[] = [];
  node.items.forEach((item, i) => {
    const command = readCommand(item, [...path, i], problems);
    if (command !== undefined) out.push(command);
  });
  return out;
}

/** Name → scalar pairs in order, e.g. `env.variables`; a null value is the empty string. */
export function readNameValues(
  node: YNode,
  path: FieldPath,
  problems: Problems,
): { name: string; value: string; line: number }[] {
  const map = readMap(node, path, problems);
  if (map === undefined) return [];
  const out: { name: string; value: string; line: number }[] = [];
  for (const entry of map.entries) {
    const { value } = entry;
    if (value.kind !== 'scalar') {
      problems.error(value.line, [...path, entry.key], `expected a string, ${found(value)}`);
      continue;
    }
    out.push({ name: entry.key, value: value.isNull ? '' : value.text, line: entry.keyLine });
  }
  return out;
}

/**
 * Looks up the known keys of a mapping and warns about the others, as CodeBuild logs "The
 * following keys cannot be identified" and goes on.
 */
export function fieldsOf(
  map: YMap,
  known: readonly string[],
  path: FieldPath,
  problems: Problems,
): ReadonlyMap<string, YNode> {
  const out = new Map<string, YNode>();
  for (const entry of map.entries) {
    if (known.includes(entry.key)) out.set(entry.key, entry.value);
    else problems.warn(entry.keyLine, [...path, entry.key], 'unknown key, ignored');
  }
  return out;
}
