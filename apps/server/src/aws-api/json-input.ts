import { AwsError, AwsErrors } from './aws-error.ts';

/**
 * Reads a decoded JSON request: members of the wrong type are SerializationExceptions, as the
 * AWS SDKs' server-side counterparts answer; a missing required member raises the service's own
 * `…RequiredException`, named by the caller.
 */
export class JsonInput {
  readonly #members: Record<string, unknown>;

  constructor(input: unknown) {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw AwsErrors.serialization('The request body must be a JSON object');
    }
    this.#members = input as Record<string, unknown>;
  }

  string(name: string): string | undefined {
    const value = this.#members[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw wrongType(name, 'a string');
    return value;
  }

  /** A string that must be present and non-empty, else `requiredCode`. */
  requiredString(name: string, requiredCode: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') throw required(requiredCode, name);
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.#members[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw wrongType(name, 'a boolean');
    return value;
  }

  integer(name: string): number | undefined {
    const value = this.#members[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(name, 'an integer');
    return value;
  }

  /** Base64 as the JSON protocol sends blobs; undefined when absent. */
  blob(name: string): Buffer | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 === 1) {
      throw wrongType(name, 'base64');
    }
    return Buffer.from(value, 'base64');
  }

  list(name: string): unknown[] | undefined {
    const value = this.#members[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw wrongType(name, 'a list');
    return value as unknown[];
  }

  stringList(name: string): string[] | undefined {
    const list = this.list(name);
    if (list?.some((v) => typeof v !== 'string')) throw wrongType(name, 'a list of strings');
    return list as string[] | undefined;
  }

  /** A map of string to string (tags). */
  stringMap(name: string): Record<string, string> | undefined {
    const value = this.#members[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw wrongType(name, 'a map');
    for (const v of Object.values(value)) if (typeof v !== 'string') throw wrongType(name, 'a map');
    return value as Record<string, string>;
  }

  /** Nested structures in a list, each read with its own JsonInput. */
  structures(name: string): JsonInput[] | undefined {
    return this.list(name)?.map((item) => new JsonInput(item));
  }

  structure(name: string): JsonInput | undefined {
    const value = this.#members[name];
    return value === undefined || value === null ? undefined : new JsonInput(value);
  }
}

export function required(code: string, name: string): AwsError {
  return new AwsError(code, 400, `${name} is required`);
}

function wrongType(name: string, expected: string): AwsError {
  return AwsErrors.serialization(`${name} must be ${expected}`);
}
