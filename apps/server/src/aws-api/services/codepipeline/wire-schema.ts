import { AwsError, AwsErrors } from '../../aws-error.ts';

/**
 * Request validation from shapes written after botocore's model: every member is read with its
 * path, and every problem (wrong type, missing required member, length, pattern, enum, range)
 * is collected, so one ValidationException lists them all, in the words AWS uses:
 * `2 validation errors detected: Value null at 'pipelineName' failed to satisfy constraint:
 * Member must not be null; …`. Members the model does not name are ignored, as AWS does;
 * JSON null counts as absent.
 */

/** A shape reads a value that is present (neither undefined nor null). */
export interface Shape<T> {
  readonly read: (value: unknown, at: string, problems: WireProblems) => T | undefined;
}

/** A member that must be present. */
export interface RequiredMember<T> {
  readonly required: Shape<T>;
}

type Member = Shape<unknown> | RequiredMember<unknown>;
export type Members = Readonly<Record<string, Member>>;

/** What a structure of `members` reads to: required members typed as present. */
export type StructureOf<M extends Members> = {
  -readonly [K in keyof M]: M[K] extends RequiredMember<infer T>
    ? T
    : M[K] extends Shape<infer T>
      ? T | undefined
      : never;
};

/** At most this many problems are spelled out; the count says how many there were. */
const maxListed = 50;
/** Values are quoted in messages up to this length. */
const maxQuoted = 64;
const int32 = { min: -2_147_483_648, max: 2_147_483_647 } as const;
/** The largest epoch seconds a Date can hold. */
const maxEpochSeconds = 8.64e12;

export class WireProblems {
  readonly #list: string[] = [];

  add(at: string, value: unknown, constraint: string): void {
    this.#list.push(
      `Value ${quote(value)} at '${at}' failed to satisfy constraint: Member ${constraint}`,
    );
  }

  /** The ValidationException for the problems found, if any. */
  error(): AwsError | undefined {
    const count = this.#list.length;
    if (count === 0) return undefined;
    const listed = this.#list.slice(0, maxListed).join('; ');
    const more = count > maxListed ? `; and ${count - maxListed} more` : '';
    return new AwsError(
      'ValidationException',
      400,
      `${count} validation error${count === 1 ? '' : 's'} detected: ${listed}${more}`,
    );
  }
}

/** Reads a whole request; throws ValidationException listing every problem. */
export function readRequest<T>(shape: Shape<T>, raw: unknown): T {
  if (!isRecord(raw)) throw AwsErrors.serialization('Request body must be a JSON object.');
  const problems = new WireProblems();
  const value = shape.read(raw, '', problems);
  const error = problems.error();
  if (error !== undefined) throw error;
  return value as T;
}

/** One problem found after reading (a rule across members), as its ValidationException. */
export function validationError(at: string, value: unknown, constraint: string): AwsError {
  const problems = new WireProblems();
  problems.add(at, value, constraint);
  return problems.error() as AwsError;
}

export function required<T>(shape: Shape<T>): RequiredMember<T> {
  return { required: shape };
}

export interface StringRule {
  readonly min?: number;
  readonly max?: number;
  /** botocore's pattern text; applied to the whole value, as AWS does. */
  readonly pattern?: string;
}

export function string(rule: StringRule = {}): Shape<string> {
  const pattern = rule.pattern === undefined ? undefined : new RegExp(`^(?:${rule.pattern})$`);
  return {
    read: (value, at, problems) => {
      if (typeof value !== 'string') return wrongType(problems, at, value, 'a string');
      let ok = true;
      if (rule.min !== undefined && value.length < rule.min) {
        problems.add(at, value, `must have length greater than or equal to ${rule.min}`);
        ok = false;
      }
      if (rule.max !== undefined && value.length > rule.max) {
        problems.add(at, value, `must have length less than or equal to ${rule.max}`);
        ok = false;
      }
      if (pattern !== undefined && !pattern.test(value)) {
        problems.add(at, value, `must satisfy regular expression pattern: ${rule.pattern}`);
        ok = false;
      }
      return ok ? value : undefined;
    },
  };
}

export function enumOf<const V extends string>(values: readonly V[]): Shape<V> {
  const allowed: ReadonlySet<string> = new Set(values);
  return {
    read: (value, at, problems) => {
      if (typeof value !== 'string') return wrongType(problems, at, value, 'a string');
      if (allowed.has(value)) return value as V;
      problems.add(at, value, `must satisfy enum value set: [${values.join(', ')}]`);
      return undefined;
    },
  };
}

export interface RangeRule {
  readonly min?: number;
  readonly max?: number;
}

/** A 32-bit integer, as AWS's models mean by `integer`. */
export function integer(rule: RangeRule = {}): Shape<number> {
  return {
    read: (value, at, problems) => {
      if (
        typeof value !== 'number' ||
        !Number.isInteger(value) ||
        value < int32.min ||
        value > int32.max
      ) {
        return wrongType(problems, at, value, 'a 32-bit integer');
      }
      if (rule.min !== undefined && value < rule.min) {
        problems.add(at, value, `must have value greater than or equal to ${rule.min}`);
        return undefined;
      }
      if (rule.max !== undefined && value > rule.max) {
        problems.add(at, value, `must have value less than or equal to ${rule.max}`);
        return undefined;
      }
      return value;
    },
  };
}

export const boolean: Shape<boolean> = {
  read: (value, at, problems) =>
    typeof value === 'boolean' ? value : wrongType(problems, at, value, 'a boolean'),
};

/** The JSON protocol's timestamp: epoch seconds as a number (fractions allowed); read as ms. */
export const timestamp: Shape<number> = {
  read: (value, at, problems) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > maxEpochSeconds) {
      return wrongType(problems, at, value, 'a timestamp in epoch seconds');
    }
    return Math.round(value * 1000);
  },
};

/** A structure the door passes on whole, for the service to validate (a pipeline declaration). */
export const document: Shape<Readonly<Record<string, unknown>>> = {
  read: (value, at, problems) =>
    isRecord(value) ? value : wrongType(problems, at, value, 'a structure'),
};

export function list<T>(member: Shape<T>, rule: RangeRule = {}): Shape<T[]> {
  return {
    read: (value, at, problems) => {
      if (!Array.isArray(value)) return wrongType(problems, at, value, 'a list');
      const items = value as unknown[];
      checkLength(problems, at, items, items.length, rule);
      return items.map((item, i) => readPresent(member, item, `${at}[${i}]`, problems)) as T[];
    },
  };
}

/** A map with string keys; keys are checked by `key`, values by `value`. */
export function map<V>(
  key: Shape<string>,
  value: Shape<V>,
  rule: RangeRule = {},
): Shape<Record<string, V>> {
  return {
    read: (input, at, problems) => {
      if (!isRecord(input)) return wrongType(problems, at, input, 'a map');
      const entries = Object.entries(input);
      checkLength(problems, at, input, entries.length, rule);
      return Object.fromEntries(
        entries.map(([k, v]) => {
          key.read(k, `${at} (key)`, problems);
          return [k, readPresent(value, v, `${at}.${k}`, problems)];
        }),
      ) as Record<string, V>;
    },
  };
}

/** A structure shape keeps its members, so tests can walk a request's members. */
export interface StructureShape<M extends Members> extends Shape<StructureOf<M>> {
  readonly members: M;
}

export function structure<M extends Members>(members: M): StructureShape<M> {
  return {
    members,
    read: (value, at, problems) => {
      if (!isRecord(value)) return wrongType(problems, at, value, 'a structure');
      const read = Object.entries(members).map(([name, member]) => {
        const path = at === '' ? name : `${at}.${name}`;
        const raw = Object.hasOwn(value, name) ? value[name] : undefined;
        const isRequired = 'required' in member;
        const shape = isRequired ? member.required : member;
        if (raw === undefined || raw === null) {
          if (isRequired) problems.add(path, null, 'must not be null');
          return [name, undefined];
        }
        return [name, shape.read(raw, path, problems)];
      });
      return Object.fromEntries(read) as StructureOf<M>;
    },
  };
}

function readPresent<T>(shape: Shape<T>, value: unknown, at: string, problems: WireProblems) {
  if (value === undefined || value === null) {
    problems.add(at, null, 'must not be null');
    return undefined;
  }
  return shape.read(value, at, problems);
}

function checkLength(
  problems: WireProblems,
  at: string,
  value: unknown,
  length: number,
  rule: RangeRule,
): void {
  if (rule.min !== undefined && length < rule.min) {
    problems.add(at, value, `must have length greater than or equal to ${rule.min}`);
  }
  if (rule.max !== undefined && length > rule.max) {
    problems.add(at, value, `must have length less than or equal to ${rule.max}`);
  }
}

function wrongType(
  problems: WireProblems,
  at: string,
  value: unknown,
  expected: string,
): undefined {
  problems.add(at, value, `must be ${expected}`);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a value appears in a message: quoted, cut short, never the whole of a huge input. */
function quote(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  const text = typeof value === 'string' ? value : summarize(value);
  return `'${text.length > maxQuoted ? `${text.slice(0, maxQuoted)}…` : text}'`;
}

function summarize(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[…${value.length} items]`;
  if (isRecord(value)) return '{…}';
  return String(value);
}
