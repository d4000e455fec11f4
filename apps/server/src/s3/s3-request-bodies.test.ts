import { describe, expect, it } from 'vitest';
import { S3Error } from './s3-errors.ts';
import {
  parseCompleteMultipartUpload,
  parseCreateBucketConfiguration,
  parseDeleteObjects,
  parseTagging,
  parseVersioningConfiguration,
} from './s3-request-bodies.ts';

const ns = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

function code(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof S3Error) return error.code;
    throw error;
  }
  return 'no error';
}

describe('parseCompleteMultipartUpload', () => {
  it('reads parts as botocore and the JS SDK send them', () => {
    const body =
      `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload ${ns}>` +
      '<Part><ETag>"0cc175b9c0f1b6a831c399e269772661"</ETag><PartNumber>1</PartNumber>' +
      '<ChecksumCRC32>6HxYmQ==</ChecksumCRC32></Part>' +
      '<Part><PartNumber> 2 </PartNumber><ETag>&quot;92eb5ffee6ae2fec3ad71c777531578f&quot;</ETag></Part>' +
      '</CompleteMultipartUpload>';
    expect(parseCompleteMultipartUpload(Buffer.from(body))).toEqual([
      { partNumber: 1, etag: '0cc175b9c0f1b6a831c399e269772661', checksumCRC32: '6HxYmQ==' },
      { partNumber: 2, etag: '92eb5ffee6ae2fec3ad71c777531578f' },
    ]);
  });

  it('rejects no parts, a missing element, a bad number or the wrong root', () => {
    const bodies = [
      '',
      `<CompleteMultipartUpload ${ns}></CompleteMultipartUpload>`,
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>',
      '<CompleteMultipartUpload><Part><ETag>e</ETag></Part></CompleteMultipartUpload>',
      '<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>',
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><PartNumber>2</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>',
      '<Complete><Part><PartNumber>1</PartNumber><ETag>e</ETag></Part></Complete>',
    ];
    for (const body of bodies)
      expect(code(() => parseCompleteMultipartUpload(body))).toBe('MalformedXML');
    expect(
      code(() =>
        parseCompleteMultipartUpload(
          '<CompleteMultipartUpload><Part><PartNumber>10001</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>',
        ),
      ),
    ).toBe('InvalidArgument');
  });
});

describe('parseDeleteObjects', () => {
  it('reads keys exactly as sent, version ids and Quiet', () => {
    const body =
      `<Delete ${ns}><Quiet>true</Quiet>` +
      '<Object><Key> spaced key </Key></Object>' +
      '<Object><Key>a&amp;b/&lt;c&gt;&#x1;</Key><VersionId>v1</VersionId></Object>' +
      '</Delete>';
    expect(parseDeleteObjects(body)).toEqual({
      quiet: true,
      objects: [{ key: ' spaced key ' }, { key: 'a&b/<c>\u0001', versionId: 'v1' }],
    });
    expect(parseDeleteObjects('<Delete><Object><Key>k</Key></Object></Delete>').quiet).toBe(false);
  });

  it('rejects no objects, more than 1000, a missing key or a bad Quiet', () => {
    const many = `<Delete>${'<Object><Key>k</Key></Object>'.repeat(1001)}</Delete>`;
    const bodies = [
      '<Delete></Delete>',
      many,
      '<Delete><Object><VersionId>v</VersionId></Object></Delete>',
      '<Delete><Quiet>yes</Quiet><Object><Key>k</Key></Object></Delete>',
    ];
    for (const body of bodies) expect(code(() => parseDeleteObjects(body))).toBe('MalformedXML');
  });
});

describe('small configuration bodies', () => {
  it('reads VersioningConfiguration', () => {
    expect(
      parseVersioningConfiguration(
        `<VersioningConfiguration ${ns}><Status>Enabled</Status></VersioningConfiguration>`,
      ),
    ).toEqual({ status: 'Enabled' });
    expect(parseVersioningConfiguration('<VersioningConfiguration/>')).toEqual({});
    expect(
      code(() =>
        parseVersioningConfiguration(
          '<VersioningConfiguration><Status>On</Status></VersioningConfiguration>',
        ),
      ),
    ).toBe('MalformedXML');
  });

  it('reads CreateBucketConfiguration, empty bodies included', () => {
    expect(parseCreateBucketConfiguration('')).toEqual({});
    expect(parseCreateBucketConfiguration(Buffer.from(' \n'))).toEqual({});
    expect(
      parseCreateBucketConfiguration(
        `<CreateBucketConfiguration ${ns}><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>`,
      ),
    ).toEqual({ locationConstraint: 'eu-west-1' });
    expect(code(() => parseCreateBucketConfiguration('<Other/>'))).toBe('MalformedXML');
  });

  it('reads Tagging, keeping keys and values as sent', () => {
    expect(
      parseTagging(
        `<Tagging ${ns}><TagSet><Tag><Key>env </Key><Value>prod</Value></Tag>` +
          '<Tag><Key>empty</Key><Value></Value></Tag></TagSet></Tagging>',
      ),
    ).toEqual([
      { key: 'env ', value: 'prod' },
      { key: 'empty', value: '' },
    ]);
    expect(parseTagging('<Tagging><TagSet/></Tagging>')).toEqual([]);
    expect(code(() => parseTagging('<Tagging></Tagging>'))).toBe('MalformedXML');
    expect(
      code(() => parseTagging('<Tagging><TagSet><Tag><Value>v</Value></Tag></TagSet></Tagging>')),
    ).toBe('MalformedXML');
  });
});
