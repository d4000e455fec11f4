import { describe, expect, it } from 'vitest';
import { AwsError } from '../aws-error.ts';
import { commonJsonErrors } from '../error-table.ts';
import type { JsonServiceDefinition } from '../service-definition.ts';
import { awsErrorCode } from '../../../../../test/support/aws-error-code.ts';
import { jsonProtocol } from './json-protocol.ts';

const service: JsonServiceDefinition = {
  signingName: 'codepipeline',
  protocol: 'json1.1',
  targetPrefix: 'CodePipeline_20150709',
  errors: commonJsonErrors,
  operations: { GetPipeline: (input) => Promise.resolve(input) },
};

function decode(body: string, target = 'CodePipeline_20150709.GetPipeline') {
  return jsonProtocol.decode(service, {
    headers: { 'x-amz-target': target },
    query: [],
    body: Buffer.from(body),
  });
}

describe('jsonProtocol.decode', () => {
  it('decodes the operation and its input', () => {
    expect(decode('{"name":"p"}')).toMatchObject({
      operation: 'GetPipeline',
      input: { name: 'p' },
    });
  });

  it('treats an empty body as {}', () => {
    expect(decode('').input).toEqual({});
  });

  it.each([
    ['not JSON', '{"a":'],
    ['an array', '[1,2]'],
    ['a string', '"x"'],
    ['null', 'null'],
    ['invalid UTF-8 garbage', '\uFFFD\u0000{'],
  ])('answers %s with SerializationException', (_name, body) => {
    expect(awsErrorCode(() => decode(body))).toBe('SerializationException');
  });

  it.each([
    ['an unknown operation', 'CodePipeline_20150709.Nope'],
    ['another prefix', 'CodeBuild_20161006.GetPipeline'],
    ['no prefix', 'GetPipeline'],
    ['an inherited property name', 'CodePipeline_20150709.constructor'],
    ['an empty target', ''],
  ])('answers %s with UnknownOperationException', (_name, target) => {
    expect(awsErrorCode(() => decode('{}', target))).toBe('UnknownOperationException');
  });
});

describe('jsonProtocol.encodeError', () => {
  it('carries the code in __type and in x-amzn-ErrorType', () => {
    const encoded = jsonProtocol.encodeError(
      'json1.1',
      new AwsError('PipelineNotFoundException', 400, 'gone'),
    );
    expect(encoded).toEqual({
      status: 400,
      contentType: 'application/x-amz-json-1.1',
      headers: { 'x-amzn-ErrorType': 'PipelineNotFoundException' },
      body: '{"__type":"PipelineNotFoundException","message":"gone"}',
    });
  });
});
