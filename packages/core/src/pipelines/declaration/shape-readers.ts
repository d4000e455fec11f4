import type { DeclarationProblems } from './declaration-problems.ts';

/**
 * Readers for an untrusted JSON value: each returns the typed value, or undefined after
 * recording a shape problem (ValidationException), so one pass finds every problem.
 * botocore's patterns are unanchored; AWS applies them to the whole value, so we anchor them.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface StringRule {
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: RegExp;
}

export function readString(
  p: DeclarationProblems,
  path: string,
  value: unknown,
  rule: StringRule = {},
): string | undefined {
  if (value === undefined || value === null) {
    if (rule.required) p.shape(path, 'is required');
    return undefined;
  }
  if (typeof value !== 'string') {
    p.shape(path, 'must be a string');
    return undefined;
  }
  const min = rule.min ?? 0;
  const max = rule.max ?? Infinity;
  if (value.length < min || value.length > max) {
    p.shape(path, max === Infinity ? `must be at least ${min} characters` : lengthText(min, max));
    return undefined;
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    p.shape(path, `must match ${rule.pattern.source.slice(1, -1)}`);
    return undefined;
  }
  return value;
}

function lengthText(min: number, max: number): string {
  return min === max ? `must be ${min} characters` : `must be ${min} to ${max} characters`;
}

export function readInteger(
  p: DeclarationProblems,
  path: string,
  value: unknown,
  range: { readonly min: number; readonly max: number },
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    p.shape(path, 'must be an integer');
    return undefined;
  }
  if (value < range.min || value > range.max) {
    p.shape(path, `must be from ${range.min} to ${range.max}`);
    return undefined;
  }
  return value;
}

export function readEnum<T extends string>(
  p: DeclarationProblems,
  path: string,
  value: unknown,
  allowed: readonly T[],
  required = false,
): T | undefined {
  if (value === undefined || value === null) {
    if (required) p.shape(path, 'is required');
    return undefined;
  }
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) {
    return value as T;
  }
  p.shape(path, `must be one of ${allowed.join(', ')}`);
  return undefined;
}

export interface ListRule {
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
}

/** The items that read correctly; a bad item is reported and left out. */
export function readList<T>(
  p: DeclarationProblems,
  path: string,
  value: unknown,
  rule: ListRule,
  readItem: (itemPath: string, item: unknown) => T | undefined,
): T[] | undefined {
  if (value === undefined || value === null) {
    if (rule.required) p.shape(path, 'is required');
    return undefined;
  }
  if (!Array.isArray(value)) {
    p.shape(path, 'must be a list');
    return undefined;
  }
  const list: unknown[] = value;
  const min = rule.min ?? 0;
  const max = rule.max ?? Infinity;
  if (list.length < min || list.length > max) {
    p.shape(
      path,
      max === Infinity ? `must have at least ${min} items` : `must have ${min} to ${max} items`,
    );
  }
  const items: T[] = [];
  list.forEach((item, i) => {
    const read = readItem(`${path}[${i}]`, item);
    if (read !== undefined) items.push(read);
  });
  return items;
}

/** An object field: reports a non-object, and a missing one when required. */
export function readRecord(
  p: DeclarationProblems,
  path: string,
  value: unknown,
  required = false,
): Record<string, unknown> | undefined {
  if (value === undefined || value === null) {
    if (required) p.shape(path, 'is required');
    return undefined;
  }
  if (!isRecord(value)) {
    p.shape(path, 'must be an object');
    return undefined;
  }
  return value;
}

/** A string→string map such as an action's configuration. */
export function readStringMap(
  p: DeclarationProblems,
  path: string,
  value: unknown,
  rule: { readonly keyMax: number; readonly valueMax: number; readonly maxEntries?: number },
): Record<string, string> | undefined {
  const record = readRecord(p, path, value);
  if (!record) return undefined;
  const entries = Object.entries(record);
  if (rule.maxEntries !== undefined && entries.length > rule.maxEntries) {
    p.shape(path, `must have at most ${rule.maxEntries} entries`);
  }
  const map: Record<string, string> = {};
  for (const [key, item] of entries) {
    if (key.length < 1 || key.length > rule.keyMax) {
      p.shape(`${path}.${key}`, `keys must be 1 to ${rule.keyMax} characters`);
      continue;
    }
    const read = readString(p, `${path}.${key}`, item, { min: 1, max: rule.valueMax });
    if (read !== undefined) map[key] = read;
  }
  return map;
}

/** Drops undefined members so the result reads like the JSON it came from. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
