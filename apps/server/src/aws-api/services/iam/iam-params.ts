import {
  AccessKeyStatus,
  AppError,
  isAccessKeyStatus,
  isServiceCredentialStatus,
  ServiceCredentialStatus,
  type FieldProblem,
} from '@slipway/core';

/** IAM writes timestamps as ISO 8601 in UTC without fractions: `2026-11-22T10:00:00Z`. */
export function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const userNamePattern = /^[\w+=,.@-]{1,64}$/;
const credentialIdPattern = /^\w{20,128}$/;
const policyNamePattern = /^[\w+=,.@-]{1,128}$/;
const accessKeyIdPattern = /^\w{16,128}$/;
const pathPattern = /^(\/|\/[\u0021-\u007E]+\/)$/;
const pathPrefixPattern = /^\/[\u0021-\u007F]*$/;
const maxPathLength = 512;

/** Reads query parameters and collects every problem, as AWS reports them all at once. */
export class Params {
  readonly #values: Readonly<Record<string, string>>;
  readonly #problems: FieldProblem[] = [];

  constructor(input: unknown) {
    this.#values =
      typeof input === 'object' && input !== null ? (input as Record<string, string>) : {};
  }

  optional(name: string): string | undefined {
    return Object.hasOwn(this.#values, name) ? this.#values[name] : undefined;
  }

  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined || value === '') {
      this.problem(name, 'Member must not be null');
      return '';
    }
    return value;
  }

  userName(name: string, required: true): string;
  userName(name: string, required: false): string | undefined;
  userName(name: string, required: boolean): string | undefined {
    const value = required ? this.required(name) : this.optional(name);
    const reported = required && value === '';
    if (value !== undefined && !reported && !userNamePattern.test(value)) {
      this.problem(name, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+');
    }
    return value;
  }

  credentialId(name: string): string {
    const value = this.required(name);
    if (value !== '' && !credentialIdPattern.test(value)) {
      this.problem(name, 'Member must have length between 20 and 128 and match [\\w]+');
    }
    return value;
  }

  status(name: string): ServiceCredentialStatus {
    const value = this.required(name);
    if (isServiceCredentialStatus(value)) return value;
    if (value !== '') this.problem(name, 'Member must satisfy enum value set: [Active, Inactive]');
    return ServiceCredentialStatus.Active;
  }

  /** An optional path (`/` or `/…/`), `/` when absent. */
  path(name: string): string {
    const value = this.optional(name);
    if (value === undefined) return '/';
    if (value.length > maxPathLength || !pathPattern.test(value)) {
      this.problem(
        name,
        'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
      );
    }
    return value;
  }

  pathPrefix(name: string): string | undefined {
    const value = this.optional(name);
    if (value !== undefined && (value.length > maxPathLength || !pathPrefixPattern.test(value))) {
      this.problem(
        name,
        'Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*',
      );
    }
    return value;
  }

  policyName(name: string): string {
    const value = this.required(name);
    if (value !== '' && !policyNamePattern.test(value)) {
      this.problem(name, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+');
    }
    return value;
  }

  accessKeyId(name: string): string {
    const value = this.required(name);
    if (value !== '' && !accessKeyIdPattern.test(value)) {
      this.problem(name, 'Member must have length between 16 and 128 and match [\\w]+');
    }
    return value;
  }

  accessKeyStatus(name: string): AccessKeyStatus {
    const value = this.required(name);
    if (isAccessKeyStatus(value)) return value;
    if (value !== '') this.problem(name, 'Member must satisfy enum value set: [Active, Inactive]');
    return AccessKeyStatus.Active;
  }

  /** Reports members Slipway does not keep (all parameters named `<prefix>…`), rather than dropping them. */
  unsupported(prefix: string, what: string): void {
    if (Object.keys(this.#values).some((key) => key.startsWith(prefix))) {
      this.problem(prefix.replace(/\.$/, ''), `${what} are not supported`);
    }
  }

  problem(name: string, message: string): void {
    this.#problems.push({ path: name.charAt(0).toLowerCase() + name.slice(1), message });
  }

  /** Throws a ValidationError naming every problem found so far. */
  check(): void {
    const count = this.#problems.length;
    if (count === 0) return;
    const details = this.#problems
      .map((p) => `Value at '${p.path}' failed to satisfy constraint: ${p.message}`)
      .join('; ');
    // The message already names each problem in AWS's words, so none are attached to repeat it.
    throw AppError.invalidInput(
      `${count} validation error${count === 1 ? '' : 's'} detected: ${details}`,
    );
  }
}
