import type { AccessKeySummary, IamUser, IdentityService } from '@slipway/core';
import type { AwsOperation, OperationContext } from '../../service-definition.ts';
import { isoDate, Params } from './iam-params.ts';

/**
 * IAM users, their access keys and inline policies (stored, not enforced). An operation whose
 * `UserName` is optional acts on the caller when it names none, as in IAM.
 */
export function createIamUserOperations(
  identity: IdentityService,
): Readonly<Record<string, AwsOperation>> {
  return {
    CreateUser: async (input: unknown, context: OperationContext) => {
      const params = new Params(input);
      const userName = params.userName('UserName', true);
      const path = params.path('Path');
      params.unsupported('Tags.', 'tags on users');
      params.unsupported('PermissionsBoundary', 'permissions boundaries');
      params.check();
      return { User: user(await identity.createUser(context.principal.accountId, userName, path)) };
    },
    GetUser: async (input: unknown, context: OperationContext) => {
      const params = new Params(input);
      const userName = subject(params, context);
      params.check();
      return { User: user(await identity.getUser(context.principal.accountId, userName)) };
    },
    ListUsers: async (input: unknown, context: OperationContext) => {
      const params = new Params(input);
      const pathPrefix = params.pathPrefix('PathPrefix');
      params.check();
      const users = await identity.listUsers(context.principal.accountId, pathPrefix);
      return { Users: users.map(user), IsTruncated: false };
    },
    DeleteUser: async (input: unknown, context: OperationContext) => {
      const params = new Params(input);
      const userName = params.userName('UserName', true);
      params.check();
      await identity.deleteUser(context.principal.accountId, userName);
      return undefined;
    },
    CreateAccessKey: async (input: unknown, context: OperationContext) => {
      const params = new Params(input);
      const userName = subject(params, context);
      params.check();
      const issued = await identity.createAccessKey(context.principal.accountId, userName);
      return {
        AccessKey: { ...accessKey(issued.key), SecretAccessKey: issued.secretAccessKey },
      };
    },
    ListAccessKeys: async (input: unknown, context: OperationContext) => {
      const params = new Params(input);
      const userName = subject(params, context);
      params.check();
      const keys = await identity.listAccessKeys(context.principal.accountId, userName);
      return { AccessKeyMetadata: keys.map(accessKey), IsTruncated: false };
    },
    UpdateAccessKey: async (input: unknown, context: OperationContext) => {
      const params = new Params(input);
      const userName = subject(params, context);
      const accessKeyId = params.accessKeyId('AccessKeyId');
      const status = params.accessKeyStatus('Status');
      params.check();
      await identity.updateAccessKey({
        accountId: context.principal.accountId,
        userName,
        accessKeyId,
        status,
      });
      return undefined;
    },
    DeleteAccessKey: async (input: unknown, context: OperationContext) => {
      const params = new Params(input);
      const userName = subject(params, context);
      const accessKeyId = params.accessKeyId('AccessKeyId');
      params.check();
      await identity.deleteAccessKey(context.principal.accountId, userName, accessKeyId);
      return undefined;
    },
    PutUserPolicy: async (input: unknown, context: OperationContext) => {
      const params = new Params(input);
      const userName = params.userName('UserName', true);
      const policyName = params.policyName('PolicyName');
      const document = params.required('PolicyDocument');
      params.check();
      await identity.putUserPolicy({
        accountId: context.principal.accountId,
        userName,
        policyName,
        document,
      });
      return undefined;
    },
    GetUserPolicy: async (input: unknown, context: OperationContext) => {
      const params = new Params(input);
      const userName = params.userName('UserName', true);
      const policyName = params.policyName('PolicyName');
      params.check();
      const policy = await identity.getUserPolicy(
        context.principal.accountId,
        userName,
        policyName,
      );
      // IAM returns policy documents URL-encoded; SDKs decode them (botocore parses the JSON).
      return {
        UserName: userName,
        PolicyName: policy.policyName,
        PolicyDocument: encodeURIComponent(policy.document),
      };
    },
    ListUserPolicies: async (input: unknown, context: OperationContext) => {
      const params = new Params(input);
      const userName = params.userName('UserName', true);
      params.check();
      const names = await identity.listUserPolicies(context.principal.accountId, userName);
      return { PolicyNames: names, IsTruncated: false };
    },
    DeleteUserPolicy: async (input: unknown, context: OperationContext) => {
      const params = new Params(input);
      const userName = params.userName('UserName', true);
      const policyName = params.policyName('PolicyName');
      params.check();
      await identity.deleteUserPolicy(context.principal.accountId, userName, policyName);
      return undefined;
    },
  };
}

/** The user a request names, or the caller when it names none. */
function subject(params: Params, context: OperationContext): string {
  return params.userName('UserName', false) ?? context.principal.userName;
}

/** The `User` shape. */
function user(value: IamUser) {
  return {
    Path: value.path,
    UserName: value.name,
    UserId: value.id,
    Arn: value.arn,
    CreateDate: isoDate(value.createdAt),
  };
}

/** The `AccessKeyMetadata` shape (and `AccessKey` without its secret). */
function accessKey(key: AccessKeySummary) {
  return {
    UserName: key.userName,
    AccessKeyId: key.accessKeyId,
    Status: key.status,
    CreateDate: isoDate(key.createdAt),
  };
}
