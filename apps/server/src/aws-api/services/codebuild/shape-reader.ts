import { AwsError, AwsErrors } from '../../aws-error.ts';
import { JsonInput } from '../../json-input.ts';

/**
 * Reads one structure of a JSON 1.1 request, nested ones included, with the path of every
 * member: a member of the wrong type is a SerializationException naming it
 * (`source.gitCloneDepth must be an integer`); a missing required member, or one Slipway does
 * not implement, is recorded in the shared `problems`, so one error reports them all.
 * `problems.throwIfAny()` raises the service's own code for them.
 */
export class ShapeReader {
  readonly #input: JsonInput;
  readonly #path: string;
  readonly problems: ReaderProblems;

  constructor(input: JsonInput, path: string, problems: ReaderProblems) {
    this.#input = input;
    this.#path = path;
    this.problems = problems;
  }

  /** The request body; `code` is what missing or unsupported members are answered with. */
  static of(raw: unknown, code: string): ShapeReader {
    return new ShapeReader(new JsonInput(raw), '', new ReaderProblems(code));
  }

  at(name: string): string {
    return this.#path === '' ? name : `${this.#path}.${name}`;
  }

  string(name: string): string | undefined {
    return this.#typed(name, () => this.#input.string(name));
  }

  /** A string that must be present and non-empty; recorded as missing (and '') otherwise. */
  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') this.problems.missing(this.at(name));
    return value ?? '';
  }

  boolean(name: string): boolean | undefined {
    return this.#typed(name, () => this.#input.boolean(name));
  }

  requiredBoolean(name: string): boolean {
    const value = this.boolean(name);
    if (value === undefined) this.problems.missing(this.at(name));
    return value ?? false;
  }

  integer(name: string): number | undefined {
    return this.#typed(name, () => this.#input.integer(name));
  }

  stringList(name: string): string[] | undefined {
    return this.#typed(name, () => this.#input.stringList(name));
  }

  /** A list of strings that must be present (it may be empty: the core checks its size). */
  requiredStringList(name: string): string[] {
    const value = this.stringList(name);
    if (value === undefined) this.problems.missing(this.at(name));
    return value ?? [];
  }

  structure(name: string): ShapeReader | undefined {
    const inner = this.#typed(name, () => this.#input.structure(name), 'a structure');
    return inner === undefined ? undefined : new ShapeReader(inner, this.at(name), this.problems);
  }

  requiredStructure(name: string): ShapeReader | undefined {
    const inner = this.structure(name);
    if (inner === undefined) this.problems.missing(this.at(name));
    return inner;
  }

  structures(name: string): ShapeReader[] | undefined {
    return this.list(name)?.map((item, i) => {
      const path = `${this.at(name)}[${i}]`;
      const inner = this.#typed(name, () => new JsonInput(item), 'a list of structures');
      return new ShapeReader(inner, path, this.problems);
    });
  }

  /**
   * A member Slipway does not implement: recorded when the client set it to anything but
   * `unless` (a value that means the feature is off, such as NONE or false).
   */
  refuse(name: string, kind: keyof typeof memberKinds, unless?: unknown): void {
    const value = memberKinds[kind](this, name);
    if (value === undefined || value === unless) return;
    if (Array.isArray(value) && value.length === 0) return;
    this.problems.unsupported(this.at(name));
  }

  list(name: string): unknown[] | undefined {
    return this.#typed(name, () => this.#input.list(name));
  }

  #typed<T>(name: string, read: () => T, expected?: string): T {
    try {
      return read();
    } catch (error) {
      if (error instanceof AwsError && error.code === 'SerializationException') {
        const message = expected === undefined ? error.message : `${name} must be ${expected}`;
        throw AwsErrors.serialization(this.#path === '' ? message : `${this.#path}.${message}`);
      }
      throw error;
    }
  }
}

/** How `refuse` reads a member of each kind, type-checking it as it goes. */
const memberKinds = {
  structure: (input: ShapeReader, name: string) => input.structure(name),
  list: (input: ShapeReader, name: string) => input.list(name),
  boolean: (input: ShapeReader, name: string) => input.boolean(name),
  integer: (input: ShapeReader, name: string) => input.integer(name),
  string: (input: ShapeReader, name: string) => input.string(name),
} as const;

/** Missing and unsupported members of one request, raised together. */
export class ReaderProblems {
  readonly #code: string;
  readonly #missing: string[] = [];
  readonly #unsupported: string[] = [];

  constructor(code: string) {
    this.#code = code;
  }

  missing(path: string): void {
    this.#missing.push(path);
  }

  unsupported(path: string): void {
    this.#unsupported.push(path);
  }

  throwIfAny(): void {
    const parts = [
      ...this.#missing.map((p) => `${p}: is required`),
      ...this.#unsupported.map((p) => `${p}: is not supported by Slipway`),
    ];
    if (parts.length > 0) throw new AwsError(this.#code, 400, parts.join('; '));
  }
}
