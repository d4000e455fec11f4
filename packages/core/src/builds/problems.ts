import type { FieldProblem } from '../errors/app-error.ts';
import { BuildsSubject, invalidBuildsInput } from './builds.errors.ts';

/**
 * Collects every problem of an input with its path, so one error reports them all (STYLE:
 * "Validation reports every problem at once, with its path"). Features Slipway does not
 * implement are problems too, marked so the error's subject says so when they are the only ones.
 */
export class Problems {
  readonly #list: FieldProblem[] = [];
  #onlyUnsupported = true;

  add(path: string, message: string): void {
    this.#list.push({ path, message });
    this.#onlyUnsupported = false;
  }

  unsupported(path: string, message: string): void {
    this.#list.push({ path, message });
  }

  get count(): number {
    return this.#list.length;
  }

  /** Throws InvalidInput with every problem when there is one; `subject` unless unsupported. */
  throwIfAny(subject: BuildsSubject): void {
    if (this.#list.length === 0) return;
    const message = this.#list.map((p) => `${p.path}: ${p.message}`).join('; ');
    throw invalidBuildsInput(
      this.#onlyUnsupported ? BuildsSubject.Unsupported : subject,
      message,
      this.#list,
    );
  }
}

/** True when `value` is one of `allowed`, narrowing it. */
export function isOneOf<T extends string>(allowed: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

export function checkIntegerRange(
  problems: Problems,
  path: string,
  value: number | undefined,
  min: number,
  max: number,
): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    problems.add(path, `must be an integer from ${min} to ${max}`);
  }
}

export function checkLength(
  problems: Problems,
  path: string,
  value: string | undefined,
  min: number,
  max: number,
): void {
  if (value === undefined) return;
  if (value.length < min || value.length > max) {
    problems.add(
      path,
      min === max ? `must be ${min} characters` : `must be ${min} to ${max} characters`,
    );
  }
}

/** Control characters have no place in names, locations and the like. */
// eslint-disable-next-line no-control-regex
export const controlCharacters = /[\x00-\x1f\x7f]/;

/** Whether a value from a door is a list, without narrowing a typed input to `any[]`. */
export function isList(value: unknown): boolean {
  return Array.isArray(value);
}
