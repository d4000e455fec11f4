/**
 * Reads YAML text into a small tree that keeps each node's line and each scalar's text as
 * written. CodeBuild's agent is written in Go and decodes buildspec scalars into strings from
 * their source text, so `nodejs: 18`, `python: 3.10` and `DEBUG: yes` arrive as "18", "3.10" and
 * "yes"; reading `source` rather than the resolved JavaScript value keeps that (3.10 would
 * otherwise become 3.1).
 *
 * Aliases and `<<` merge keys are expanded here, under a node budget and a depth limit, so a
 * "billion laughs" document or a self-referencing anchor is refused instead of exhausting memory.
 */
import { LineCounter, parseDocument, isAlias, isMap, isScalar, isSeq, Scalar } from 'yaml';
import type { Node as YamlNode, Pair } from 'yaml';
import type { FieldPath } from './problems.ts';

/**
 * Where the reader reports what it finds: buildspec's and appspec's problem collectors both
 * fit, so the two packages share this one reader.
 */
export interface YamlProblems {
  error(line: number | undefined, path: FieldPath, message: string): void;
  warn(line: number | undefined, path: FieldPath, message: string): void;
}

export interface YScalar {
  readonly kind: 'scalar';
  readonly line: number;
  /** The scalar as written (after quote and escape processing), never resolved to a type. */
  readonly text: string;
  /** A plain `~`, `null` or empty value. */
  readonly isNull: boolean;
}

export interface YSeq {
  readonly kind: 'seq';
  readonly line: number;
  readonly items: readonly YNode[];
}

export interface YEntry {
  readonly key: string;
  readonly keyLine: number;
  readonly value: YNode;
}

export interface YMap {
  readonly kind: 'map';
  readonly line: number;
  readonly entries: readonly YEntry[];
}

export type YNode = YScalar | YSeq | YMap;

export interface YamlLimits {
  /** Nodes built, counting every expansion of an alias. */
  readonly maxNodes: number;
  /** Nesting depth, counting the levels an alias expands into. */
  readonly maxDepth: number;
}

class LimitExceeded extends Error {
  readonly line: number;
  readonly path: FieldPath;

  constructor(message: string, line: number, path: FieldPath) {
    super(message);
    this.line = line;
    this.path = path;
  }
}

/**
 * The document's root node, or undefined when the text is not well-formed YAML or exceeds the
 * limits; the reasons are added to `problems`.
 */
export function readYaml(
  text: string,
  limits: YamlLimits,
  problems: YamlProblems,
): YNode | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    merge: true,
    uniqueKeys: true,
  });
  const lineOf = (offset: number): number => Math.max(1, lineCounter.linePos(offset).line);
  for (const error of doc.errors) problems.error(lineOf(error.pos[0]), [], error.message);
  if (doc.errors.length > 0) return undefined;
  for (const warning of doc.warnings) problems.warn(lineOf(warning.pos[0]), [], warning.message);
  const builder = new ViewBuilder(limits, lineOf, problems);
  try {
    return builder.build(doc.contents, [], 0, 1);
  } catch (error) {
    if (!(error instanceof LimitExceeded)) throw error;
    problems.error(error.line, error.path, error.message);
    return undefined;
  }
}

class ViewBuilder {
  private readonly limits: YamlLimits;
  private readonly lineOf: (offset: number) => number;
  private readonly problems: YamlProblems;
  private readonly anchors = new Map<string, YamlNode>();
  private nodes = 0;
  /** Inside an alias expansion anchors are not re-registered: a later redefinition stands. */
  private aliasDepth = 0;

  constructor(limits: YamlLimits, lineOf: (offset: number) => number, problems: YamlProblems) {
    this.limits = limits;
    this.lineOf = lineOf;
    this.problems = problems;
  }

  build(node: unknown, path: FieldPath, depth: number, fallbackLine: number): YNode {
    const line = this.lineOfNode(node, fallbackLine);
    this.nodes += 1;
    if (this.nodes > this.limits.maxNodes) {
      throw new LimitExceeded(
        `the document expands to more than ${this.limits.maxNodes} nodes (aliases count each time they are used)`,
        line,
        path,
      );
    }
    if (depth > this.limits.maxDepth) {
      throw new LimitExceeded(
        `nesting is deeper than ${this.limits.maxDepth} levels (or an alias refers to itself)`,
        line,
        path,
      );
    }
    if (isAlias(node)) return this.expandAlias(node.source, path, depth, line);
    if (isScalar(node) || isMap(node) || isSeq(node)) {
      if (node.anchor !== undefined && this.aliasDepth === 0) this.anchors.set(node.anchor, node);
    }
    if (isScalar(node)) return scalarOf(node, line);
    if (isSeq(node)) {
      const items = node.items.map((item, i) => this.build(item, [...path, i], depth + 1, line));
      return { kind: 'seq', line, items };
    }
    if (isMap(node)) return this.buildMap(node.items, path, depth, line);
    // An empty document or a missing value.
    return { kind: 'scalar', line, text: '', isNull: true };
  }

  private expandAlias(name: string, path: FieldPath, depth: number, line: number): YNode {
    const target = this.anchors.get(name);
    if (target === undefined) {
      this.problems.error(line, path, `alias *${name} refers to no anchor defined before it`);
      return { kind: 'scalar', line, text: '', isNull: true };
    }
    this.aliasDepth += 1;
    try {
      return this.build(target, path, depth + 1, line);
    } finally {
      this.aliasDepth -= 1;
    }
  }

  private buildMap(
    pairs: readonly Pair<unknown, unknown>[],
    path: FieldPath,
    depth: number,
    line: number,
  ): YMap {
    const explicit: YEntry[] = [];
    const seen = new Set<string>();
    const merged: YEntry[] = [];
    for (const pair of pairs) {
      const keyLine = this.lineOfNode(pair.key, line);
      if (isMergeKey(pair.key)) {
        merged.push(...this.mergeSources(pair.value, path, depth, keyLine));
        continue;
      }
      const key = this.keyText(pair.key, path, depth, keyLine);
      if (key === undefined) continue;
      if (seen.has(key)) {
        this.problems.error(keyLine, [...path, key], `duplicate key '${key}'`);
        continue;
      }
      seen.add(key);
      const built = this.build(pair.value, [...path, key], depth + 1, keyLine);
      // A collection under a key is placed on the key's line, where a reader looks for it.
      const value = built.kind === 'scalar' ? built : { ...built, line: keyLine };
      explicit.push({ key, keyLine, value });
    }
    // Keys written in the map win over merged ones; among merged maps the first wins (YAML 1.1).
    const entries = explicit;
    for (const entry of merged) {
      if (seen.has(entry.key)) continue;
      seen.add(entry.key);
      entries.push(entry);
    }
    return { kind: 'map', line, entries };
  }

  private mergeSources(value: unknown, path: FieldPath, depth: number, line: number): YEntry[] {
    const source = this.build(value, path, depth + 1, line);
    const maps = source.kind === 'seq' ? source.items : [source];
    const entries: YEntry[] = [];
    const seen = new Set<string>();
    for (const map of maps) {
      if (map.kind !== 'map') {
        this.problems.error(map.line, path, 'a << merge key takes a mapping or a list of them');
        continue;
      }
      for (const entry of map.entries) {
        if (seen.has(entry.key)) continue;
        seen.add(entry.key);
        entries.push(entry);
      }
    }
    return entries;
  }

  private keyText(key: unknown, path: FieldPath, depth: number, line: number): string | undefined {
    const node = this.build(key, path, depth + 1, line);
    if (node.kind !== 'scalar') {
      this.problems.error(line, path, 'a mapping key must be a plain value, not a collection');
      return undefined;
    }
    if (node.isNull) {
      this.problems.error(line, path, 'a mapping key is empty');
      return undefined;
    }
    return node.text;
  }

  private lineOfNode(node: unknown, fallback: number): number {
    if (typeof node === 'object' && node !== null && 'range' in node) {
      const range = (node as { range?: readonly number[] | null }).range;
      if (range?.[0] !== undefined) return this.lineOf(range[0]);
    }
    return fallback;
  }
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && key.type === Scalar.PLAIN && key.source === '<<';
}

function scalarOf(node: Scalar, line: number): YScalar {
  const text = typeof node.source === 'string' ? node.source : String(node.value);
  return { kind: 'scalar', line, text, isNull: node.value === null };
}
