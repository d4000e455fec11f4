import {
  AppError,
  isServiceCredentialStatus,
  ServiceCredentialStatus,
  ServiceCredentialSubject,
  type FieldProblem,
  type ServiceCredentialService,
  type ServiceCredentialSummary,
} from '@slipway/core';
import { commonQueryErrors, type AwsErrorTable } from '../../error-table.ts';
import type { OperationContext, QueryServiceDefinition } from '../../service-definition.ts';

export interface IamServiceDeps {
  readonly credentials: ServiceCredentialService;
}

export const iamApiVersion = '2010-05-08';
export const iamXmlNamespace = 'https://iam.amazonaws.com/doc/2010-05-08/';

/**
 * IAM's codes, from botocore's model: an unsupported service is `NotSupportedService` (404),
 * which SDKs raise as `ServiceNotSupportedException`.
 */
export const iamErrors: AwsErrorTable = {
  ...commonQueryErrors,
  NotFound: { code: 'NoSuchEntity', status: 404 },
  LimitExceeded: { code: 'LimitExceeded', status: 409 },
  InvalidInput: {
    byResource: {
      [ServiceCredentialSubject.ServiceName]: { code: 'NotSupportedService', status: 404 },
    },
    otherwise: { code: 'ValidationError', status: 400 },
  },
};

/** IAM, reduced to service-specific credentials: the static git passwords for CodeCommit. */
export function createIamService(deps: IamServiceDeps): QueryServiceDefinition {
  const { credentials } = deps;
  return {
    signingName: 'iam',
    protocol: 'query',
    apiVersion: iamApiVersion,
    xmlNamespace: iamXmlNamespace,
    errors: iamErrors,
    operations: {
      CreateServiceSpecificCredential: async (input: unknown, context: OperationContext) => {
        const params = new Params(input);
        const userName = params.userName('UserName', true);
        const serviceName = params.required('ServiceName');
        params.check();
        const issued = await credentials.create({
          accountId: context.principal.accountId,
          userName,
          serviceName,
        });
        return { ServiceSpecificCredential: withPassword(issued.credential, issued.password) };
      },
      ListServiceSpecificCredentials: async (input: unknown, context: OperationContext) => {
        const params = new Params(input);
        const userName = params.userName('UserName', false);
        const serviceName = params.optional('ServiceName');
        if (params.optional('AllUsers') === 'true') {
          params.problem('allUsers', 'listing the credentials of all users is not supported');
        }
        params.check();
        const listed = await credentials.list({
          ...owner(context, userName),
          serviceName,
        });
        return { ServiceSpecificCredentials: listed.map(metadata), IsTruncated: false };
      },
      ResetServiceSpecificCredential: async (input: unknown, context: OperationContext) => {
        const params = new Params(input);
        const ref = credentialRef(params, context);
        params.check();
        const issued = await credentials.reset(ref);
        return { ServiceSpecificCredential: withPassword(issued.credential, issued.password) };
      },
      UpdateServiceSpecificCredential: async (input: unknown, context: OperationContext) => {
        const params = new Params(input);
        const ref = credentialRef(params, context);
        const status = params.status('Status');
        params.check();
        await credentials.updateStatus({ ...ref, status });
        return undefined;
      },
      DeleteServiceSpecificCredential: async (input: unknown, context: OperationContext) => {
        const params = new Params(input);
        const ref = credentialRef(params, context);
        params.check();
        await credentials.delete(ref);
        return undefined;
      },
    },
  };
}

function owner(context: OperationContext, userName: string | undefined) {
  return {
    accountId: context.principal.accountId,
    userName,
    callerUserName: context.principal.userName,
  };
}

function credentialRef(params: Params, context: OperationContext) {
  const userName = params.userName('UserName', false);
  const credentialId = params.credentialId('ServiceSpecificCredentialId');
  return { ...owner(context, userName), credentialId };
}

/** The `ServiceSpecificCredentialMetadata` shape of a listing. */
function metadata(credential: ServiceCredentialSummary) {
  return {
    UserName: credential.userName,
    Status: credential.status,
    ServiceUserName: credential.serviceUserName,
    CreateDate: isoDate(credential.createdAt),
    ServiceSpecificCredentialId: credential.id,
    ServiceName: credential.serviceName,
  };
}

/** The `ServiceSpecificCredential` shape: the only one with the password. */
function withPassword(credential: ServiceCredentialSummary, password: string) {
  return {
    CreateDate: isoDate(credential.createdAt),
    ServiceName: credential.serviceName,
    ServiceUserName: credential.serviceUserName,
    ServicePassword: password,
    ServiceSpecificCredentialId: credential.id,
    UserName: credential.userName,
    Status: credential.status,
  };
}

/** IAM writes timestamps as ISO 8601 in UTC without fractions: `2026-11-22T10:00:00Z`. */
export function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const userNamePattern = /^[\w+=,.@-]{1,64}$/;
const credentialIdPattern = /^\w{20,128}$/;

/** Reads query parameters and collects every problem, as AWS reports them all at once. */
class Params {
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
