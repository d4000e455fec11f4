import { AwsError } from '../aws-error.ts';
import { safeDecode } from '../sigv4/canonical.ts';
import type { AwsOperation, QueryServiceDefinition } from '../service-definition.ts';
import type { DecodableRequest, EncodedResponse } from './encoded-response.ts';

/**
 * The query protocol (STS, IAM): `Action=<Op>&Version=<v>&…` in the form body or URL,
 * answered in XML. Operations get the flat parameter map; nested `A.B.member.N` names are theirs
 * to read.
 */
export const queryProtocol = {
  decode(
    service: QueryServiceDefinition,
    request: DecodableRequest,
  ): { operation: string; run: AwsOperation; input: Record<string, string> } {
    const params: Record<string, string> = Object.fromEntries(request.query);
    for (const [key, value] of parseForm(request.body)) params[key] = value;
    const action = params.Action;
    if (action === undefined || action === '') {
      throw new AwsError('MissingAction', 400, 'Missing Action parameter.');
    }
    const run = Object.hasOwn(service.operations, action) ? service.operations[action] : undefined;
    if (run === undefined) {
      throw new AwsError(
        'InvalidAction',
        400,
        `Could not find operation ${truncate(action)} for version ${truncate(params.Version ?? '')}`,
      );
    }
    return { operation: action, run, input: params };
  },

  encodeResult(
    service: QueryServiceDefinition,
    operation: string,
    output: unknown,
    requestId: string,
  ): EncodedResponse {
    const result =
      output === undefined ? '' : `<${operation}Result>${toXml(output)}</${operation}Result>`;
    return {
      status: 200,
      contentType: 'text/xml',
      headers: {},
      body:
        `<${operation}Response xmlns="${service.xmlNamespace}">${result}` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
        `</${operation}Response>`,
    };
  },

  encodeError(xmlNamespace: string, error: AwsError, requestId: string): EncodedResponse {
    const type = error.status >= 500 ? 'Receiver' : 'Sender';
    return {
      status: error.status,
      contentType: 'text/xml',
      headers: {},
      body:
        `<ErrorResponse xmlns="${xmlNamespace}"><Error><Type>${type}</Type>` +
        `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>` +
        `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    };
  },
};

function parseForm(body: Buffer): [string, string][] {
  if (body.length === 0) return [];
  return body
    .toString('utf8')
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq === -1 ? pair : pair.slice(0, eq);
      const value = eq === -1 ? '' : pair.slice(eq + 1);
      return [safeDecode(key.replace(/\+/g, ' ')), safeDecode(value.replace(/\+/g, ' '))];
    });
}

/** Objects become elements, arrays `<member>` lists, scalars text. */
function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return escapeXml(String(value));
  }
  return '';
}

/** Escapes markup and replaces characters XML 1.0 cannot carry at all. */
export function escapeXml(value: string): string {
  return (
    value
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

function truncate(value: string): string {
  return value.length > 120 ? `${value.slice(0, 120)}…` : value;
}
