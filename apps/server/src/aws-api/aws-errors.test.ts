import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AwsError } from './aws-error.ts';
import { AwsErrors } from './aws-error.ts';
import { commonQueryErrors } from './error-table.ts';
import { queryProtocol } from './protocols/query-protocol.ts';

const docPath = resolve(import.meta.dirname, '../../../../docs/aws-errors.md');

async function documented(): Promise<Map<string, number>> {
  const rows = (await readFile(docPath, 'utf8')).matchAll(/^\|\s*`(\w+)`\s*\|\s*(\d{3})\s*\|/gm);
  return new Map([...rows].map((m) => [m[1] as string, Number(m[2])]));
}

function raised(): Map<string, number> {
  const errors = Object.values(AwsErrors).map((make) =>
    (make as (arg: never) => AwsError)('' as never),
  );
  const service = {
    signingName: 'sts',
    protocol: 'query' as const,
    apiVersion: '2011-06-15',
    xmlNamespace: 'ns',
    errors: commonQueryErrors,
    operations: {},
  };
  for (const body of ['', 'Action=Nope']) {
    try {
      queryProtocol.decode(service, { headers: {}, query: [], body: Buffer.from(body) });
    } catch (error) {
      errors.push(error as AwsError);
    }
  }
  return new Map(errors.map((e) => [e.code, e.status]));
}

describe('docs/aws-errors.md', () => {
  it('lists exactly the errors the door raises, with their statuses', async () => {
    expect(Object.fromEntries(await documented())).toEqual(Object.fromEntries(raised()));
  });
});
