import {
  AppError,
  SourceSubject,
  type Actor,
  type CommitReader,
  type CommitWriter,
  type Repository,
  type Scope,
  type SourceService,
} from '@slipway/core';
import type { OperationContext } from '../../service-definition.ts';
import type { CloneUrls } from './codecommit-shapes.ts';
import { JsonInput } from '../../json-input.ts';

export interface CodeCommitDeps {
  readonly source: SourceService;
  readonly reader: CommitReader;
  readonly writer: CommitWriter;
  readonly urls: CloneUrls;
}

export const scopeOf = (context: OperationContext): Scope => ({
  accountId: context.principal.accountId,
  region: context.region,
});

export const actorOf = (context: OperationContext): Actor => ({
  arn: context.principal.arn,
  userName: context.principal.userName,
});

/** The repository named by the request's `repositoryName`, which every code operation needs. */
export async function namedRepository(
  deps: CodeCommitDeps,
  input: JsonInput,
  context: OperationContext,
  member = 'repositoryName',
): Promise<Repository> {
  const name = input.requiredString(member, 'RepositoryNameRequiredException');
  return deps.source.getRepository(scopeOf(context), name);
}

/** Opaque pagination tokens: base64url JSON, rejected as InvalidContinuationToken when forged. */
export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeToken<T>(token: string | undefined, isValid: (v: unknown) => v is T) {
  if (token === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!isValid(value)) {
    throw new AppError('InvalidInput', 'The continuation token is not valid', {
      resource: SourceSubject.ContinuationToken,
    });
  }
  return value;
}

export const isOffset = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0;

export { JsonInput };
