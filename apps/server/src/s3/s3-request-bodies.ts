import { maxKeysPerDelete, maxPartNumber } from '@slipway/core';
import { S3Errors } from './s3-errors.ts';
import { parseXml, type XmlElement } from './s3-xml.ts';

/**
 * The XML request bodies of the S3 operations Slipway serves, read into plain values. Element
 * names are matched without namespace; unknown elements are ignored; a wrong root, a missing
 * required element or a bad value throws `MalformedXML` as S3 does. Keys, tag keys and values
 * are kept exactly as sent (never trimmed); numbers, flags and ETags are trimmed.
 */

export interface CompletedPart {
  readonly partNumber: number;
  /** Without the surrounding quotes clients usually send. */
  readonly etag: string;
  readonly checksumCRC32?: string;
  readonly checksumCRC32C?: string;
  readonly checksumCRC64NVME?: string;
  readonly checksumSHA1?: string;
  readonly checksumSHA256?: string;
}

// The limits are the objects service's; the door checks them while reading the XML.
export { maxPartNumber };
const maxDeleteObjects = maxKeysPerDelete;

/** `<CompleteMultipartUpload><Part><PartNumber/><ETag/>[<ChecksumCRC32/>…]</Part>…` */
export function parseCompleteMultipartUpload(body: Uint8Array | string): CompletedPart[] {
  const root = parseRoot(body, 'CompleteMultipartUpload');
  const parts = childrenNamed(root, 'Part').map((part): CompletedPart => {
    const partNumber = integer(requiredText(part, 'PartNumber'));
    if (partNumber < 1 || partNumber > maxPartNumber) {
      throw S3Errors.invalidArgument(
        `Part number must be an integer between 1 and ${maxPartNumber}, inclusive`,
        'partNumber',
        String(partNumber),
      );
    }
    const checksum = (name: string) => optionalText(part, name)?.trim();
    return {
      partNumber,
      etag: requiredText(part, 'ETag')
        .trim()
        .replace(/^"(.*)"$/s, '$1'),
      checksumCRC32: checksum('ChecksumCRC32'),
      checksumCRC32C: checksum('ChecksumCRC32C'),
      checksumCRC64NVME: checksum('ChecksumCRC64NVME'),
      checksumSHA1: checksum('ChecksumSHA1'),
      checksumSHA256: checksum('ChecksumSHA256'),
    };
  });
  if (parts.length === 0 || parts.length > maxPartNumber) throw S3Errors.malformedXml();
  return parts;
}

export interface ObjectToDelete {
  readonly key: string;
  readonly versionId?: string;
}

export interface DeleteRequest {
  readonly quiet: boolean;
  readonly objects: readonly ObjectToDelete[];
}

/** `<Delete><Quiet>true</Quiet><Object><Key/>[<VersionId/>]</Object>…</Delete>` */
export function parseDeleteObjects(body: Uint8Array | string): DeleteRequest {
  const root = parseRoot(body, 'Delete');
  const quiet = optionalText(root, 'Quiet')?.trim().toLowerCase();
  if (quiet !== undefined && quiet !== 'true' && quiet !== 'false') throw S3Errors.malformedXml();
  const objects = childrenNamed(root, 'Object').map((object): ObjectToDelete => {
    const versionId = optionalText(object, 'VersionId')?.trim();
    return {
      key: requiredText(object, 'Key'),
      ...(versionId === undefined || versionId === '' ? {} : { versionId }),
    };
  });
  if (objects.length === 0 || objects.length > maxDeleteObjects) throw S3Errors.malformedXml();
  return { quiet: quiet === 'true', objects };
}

export interface VersioningConfiguration {
  readonly status?: 'Enabled' | 'Suspended';
  readonly mfaDelete?: 'Enabled' | 'Disabled';
}

/** `<VersioningConfiguration><Status>Enabled|Suspended</Status>[<MfaDelete/>]` */
export function parseVersioningConfiguration(body: Uint8Array | string): VersioningConfiguration {
  const root = parseRoot(body, 'VersioningConfiguration');
  const status = optionalText(root, 'Status')?.trim();
  const mfaDelete = optionalText(root, 'MfaDelete')?.trim();
  if (status !== undefined && status !== 'Enabled' && status !== 'Suspended') {
    throw S3Errors.malformedXml();
  }
  if (mfaDelete !== undefined && mfaDelete !== 'Enabled' && mfaDelete !== 'Disabled') {
    throw S3Errors.malformedXml();
  }
  return {
    ...(status === undefined ? {} : { status }),
    ...(mfaDelete === undefined ? {} : { mfaDelete }),
  };
}

export interface CreateBucketConfiguration {
  readonly locationConstraint?: string;
}

/** `<CreateBucketConfiguration><LocationConstraint/>`; an empty body is no configuration. */
export function parseCreateBucketConfiguration(
  body: Uint8Array | string,
): CreateBucketConfiguration {
  if (isBlank(body)) return {};
  const root = parseRoot(body, 'CreateBucketConfiguration');
  const location = optionalText(root, 'LocationConstraint')?.trim();
  return location === undefined || location === '' ? {} : { locationConstraint: location };
}

export interface Tag {
  readonly key: string;
  readonly value: string;
}

/** `<Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>`; limits are the service's. */
export function parseTagging(body: Uint8Array | string): Tag[] {
  const root = parseRoot(body, 'Tagging');
  const tagSets = childrenNamed(root, 'TagSet');
  if (tagSets.length !== 1) throw S3Errors.malformedXml();
  return childrenNamed(tagSets[0] as XmlElement, 'Tag').map((tag) => ({
    key: requiredText(tag, 'Key'),
    value: optionalText(tag, 'Value') ?? '',
  }));
}

// ---------------------------------------------------------------------------------------------

function parseRoot(body: Uint8Array | string, rootName: string): XmlElement {
  if (isBlank(body)) throw S3Errors.malformedXml();
  const root = parseXml(body);
  if (root.name !== rootName) throw S3Errors.malformedXml();
  return root;
}

function isBlank(body: Uint8Array | string): boolean {
  if (typeof body === 'string') return body.trim() === '';
  return body.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d);
}

function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/** The text of the single child `name`, undefined when absent; repeated is malformed. */
function optionalText(element: XmlElement, name: string): string | undefined {
  const found = childrenNamed(element, name);
  if (found.length > 1) throw S3Errors.malformedXml();
  const child = found[0];
  if (child === undefined) return undefined;
  if (child.children.length > 0) throw S3Errors.malformedXml();
  return child.text;
}

function requiredText(element: XmlElement, name: string): string {
  const text = optionalText(element, name);
  if (text === undefined) throw S3Errors.malformedXml();
  return text;
}

function integer(text: string): number {
  const trimmed = text.trim();
  if (!/^\d{1,9}$/.test(trimmed)) throw S3Errors.malformedXml();
  return Number(trimmed);
}
