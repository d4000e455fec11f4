import { AppError, AppErrorKind, type FieldProblem } from '../errors/app-error.ts';
import { IdentitySubject, maxUserPolicySize } from './identity.model.ts';

/** IAM's patterns, from its API model. */
const userNamePattern = /^[\w+=,.@-]{1,64}$/;
const policyNamePattern = /^[\w+=,.@-]{1,128}$/;
const pathPattern = /^(\/|\/[\u0021-\u007E]+\/)$/;
const pathPrefixPattern = /^\/[\u0021-\u007F]*$/;
const maxPathLength = 512;
// eslint-disable-next-line no-control-regex
const policyDocumentPattern = /^[\u0009\u000A\u000D\u0020-\u00FF]+$/;

/** Collects every problem of one request, then throws them together. */
export class IdentityProblems {
  readonly #list: FieldProblem[] = [];

  userName(value: string): this {
    if (!userNamePattern.test(value)) {
      this.#list.push({
        path: 'userName',
        message: 'must be 1 to 64 characters of [\\w+=,.@-]',
      });
    }
    return this;
  }

  path(value: string): this {
    if (value.length > maxPathLength || !pathPattern.test(value)) {
      this.#list.push({
        path: 'path',
        message: `must be "/" or begin and end with "/", at most ${maxPathLength} printable ASCII characters`,
      });
    }
    return this;
  }

  pathPrefix(value: string): this {
    if (value.length > maxPathLength || !pathPrefixPattern.test(value)) {
      this.#list.push({
        path: 'pathPrefix',
        message: `must begin with "/", at most ${maxPathLength} ASCII characters`,
      });
    }
    return this;
  }

  policyName(value: string): this {
    if (!policyNamePattern.test(value)) {
      this.#list.push({
        path: 'policyName',
        message: 'must be 1 to 128 characters of [\\w+=,.@-]',
      });
    }
    return this;
  }

  accessKeyId(value: string): this {
    if (!/^\w{16,128}$/.test(value)) {
      this.#list.push({ path: 'accessKeyId', message: 'must be 16 to 128 characters of [\\w]' });
    }
    return this;
  }

  /** Throws an InvalidInput error naming every problem, if there is one. */
  check(): void {
    const count = this.#list.length;
    if (count === 0) return;
    throw AppError.invalidInput(
      `${count} validation error${count === 1 ? '' : 's'} detected`,
      this.#list,
    );
  }
}

/**
 * Checks an inline policy document: JSON with a `Statement`, of the characters IAM accepts.
 * Policies are stored, not enforced, so their grammar is not checked further.
 */
export function checkPolicyDocument(document: string): void {
  if (!policyDocumentPattern.test(document)) {
    throw malformedPolicy('The policy document contains characters IAM does not accept.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    throw malformedPolicy('Syntax errors in policy.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw malformedPolicy('The policy document must be a JSON object.');
  }
  const statement = (parsed as Record<string, unknown>).Statement;
  if (typeof statement !== 'object' || statement === null) {
    throw malformedPolicy('Missing required field Statement');
  }
}

/** IAM counts a policy's size without white space. */
export function policySize(document: string): number {
  return document.replace(/\s/g, '').length;
}

/** The size check of a user's inline policies, all of them together (IAM's quota). */
export function checkUserPolicySize(userName: string, totalSize: number): void {
  if (totalSize > maxUserPolicySize) {
    throw new AppError(
      AppErrorKind.LimitExceeded,
      `Maximum policy size of ${maxUserPolicySize} bytes exceeded for user ${userName}`,
      { resource: IdentitySubject.UserPolicy },
    );
  }
}

function malformedPolicy(message: string): AppError {
  return new AppError(AppErrorKind.InvalidInput, message, {
    resource: IdentitySubject.PolicyDocument,
  });
}
