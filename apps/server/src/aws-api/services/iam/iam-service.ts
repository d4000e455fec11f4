import {
  IdentitySubject,
  ServiceCredentialSubject,
  type IdentityService,
  type ServiceCredentialService,
  type ServiceCredentialSummary,
} from '@slipway/core';
import { commonQueryErrors, type AwsErrorTable } from '../../error-table.ts';
import type { OperationContext, QueryServiceDefinition } from '../../service-definition.ts';
import { isoDate, Params } from './iam-params.ts';
import { createIamUserOperations } from './iam-user-operations.ts';

export interface IamServiceDeps {
  readonly credentials: ServiceCredentialService;
  readonly identity: IdentityService;
}

export const iamApiVersion = '2010-05-08';
export const iamXmlNamespace = 'https://iam.amazonaws.com/doc/2010-05-08/';

/**
 * IAM's codes, from botocore's model: an unsupported service is `NotSupportedService` (404),
 * which SDKs raise as `ServiceNotSupportedException`; a user that still owns keys or policies
 * is `DeleteConflict`; a policy that is not JSON is `MalformedPolicyDocument`.
 */
export const iamErrors: AwsErrorTable = {
  ...commonQueryErrors,
  NotFound: { code: 'NoSuchEntity', status: 404 },
  LimitExceeded: { code: 'LimitExceeded', status: 409 },
  Conflict: {
    byResource: { [IdentitySubject.User]: { code: 'DeleteConflict', status: 409 } },
    otherwise: { code: 'ConcurrentModification', status: 409 },
  },
  InvalidInput: {
    byResource: {
      [ServiceCredentialSubject.ServiceName]: { code: 'NotSupportedService', status: 404 },
      [IdentitySubject.PolicyDocument]: { code: 'MalformedPolicyDocument', status: 400 },
    },
    otherwise: { code: 'ValidationError', status: 400 },
  },
};

/**
 * IAM, reduced to users, their access keys and inline policies, and service-specific
 * credentials (the static git passwords for CodeCommit).
 */
export function createIamService(deps: IamServiceDeps): QueryServiceDefinition {
  const { credentials, identity } = deps;
  return {
    signingName: 'iam',
    protocol: 'query',
    apiVersion: iamApiVersion,
    xmlNamespace: iamXmlNamespace,
    errors: iamErrors,
    operations: {
      ...createIamUserOperations(identity),
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
