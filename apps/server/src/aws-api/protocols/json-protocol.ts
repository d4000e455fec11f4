import { AwsErrors, type AwsError } from '../aws-error.ts';
import type { AwsOperation, JsonServiceDefinition } from '../service-definition.ts';
import type { DecodableRequest, EncodedResponse } from './encoded-response.ts';

/**
 * awsJson1_0 / awsJson1_1: `POST /` with `X-Amz-Target: <prefix>.<Operation>` and a JSON object.
 * Errors carry the code in both the body's `__type` (botocore reads it) and the
 * `x-amzn-ErrorType` header (the JS SDK reads it first).
 */
export const jsonProtocol = {
  decode(
    service: JsonServiceDefinition,
    request: DecodableRequest,
  ): { operation: string; run: AwsOperation; input: unknown } {
    const target = headerValue(request.headers['x-amz-target']);
    if (target === undefined || target === '') {
      throw AwsErrors.unknownOperation('Missing X-Amz-Target header.');
    }
    const dot = target.lastIndexOf('.');
    const prefix = dot === -1 ? '' : target.slice(0, dot);
    const operation = target.slice(dot + 1);
    const run = Object.hasOwn(service.operations, operation)
      ? service.operations[operation]
      : undefined;
    if (prefix !== service.targetPrefix || run === undefined) {
      throw AwsErrors.unknownOperation(`Operation ${truncate(target)} is not supported.`);
    }
    return { operation, run, input: parseJsonObject(request.body) };
  },

  encodeResult(service: JsonServiceDefinition, output: unknown): EncodedResponse {
    return {
      status: 200,
      contentType: contentType(service.protocol),
      headers: {},
      body: JSON.stringify(output ?? {}),
    };
  },

  encodeError(protocol: JsonServiceDefinition['protocol'], error: AwsError): EncodedResponse {
    return {
      status: error.status,
      contentType: contentType(protocol),
      headers: { 'x-amzn-ErrorType': error.code },
      body: JSON.stringify({ __type: error.code, message: error.message }),
    };
  },
};

function contentType(protocol: JsonServiceDefinition['protocol']): string {
  return protocol === 'json1.0' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
}

/** An empty body counts as `{}`; anything but a JSON object is a SerializationException. */
function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw AwsErrors.serialization('Request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw AwsErrors.serialization('Request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function truncate(value: string): string {
  return value.length > 120 ? `${value.slice(0, 120)}…` : value;
}
