/** Buckets, objects, versions and multipart uploads: the S3 model, without its wire shapes. */

export const Versioning = {
  /** Never enabled: one version per key, with version id `null`. */
  Unversioned: 'Unversioned',
  Enabled: 'Enabled',
  Suspended: 'Suspended',
} as const;
export type Versioning = (typeof Versioning)[keyof typeof Versioning];

export interface Bucket {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly versioning: Versioning;
  readonly createdAt: number;
}

/** The checksums S3 can carry for an object, base64 as on the wire. */
export interface Checksums {
  readonly crc32?: string;
  readonly crc32c?: string;
  readonly sha1?: string;
  readonly sha256?: string;
}

/** One stretch of an object's bytes: a whole blob. A multipart object has one per part. */
export interface ObjectPart {
  readonly blobKey: string;
  readonly size: number;
}

export interface ObjectVersion {
  readonly bucket: string;
  /** Any UTF-8 string of 1–1,024 bytes; never a filesystem path. */
  readonly key: string;
  /** `null` for objects written while versioning was never enabled or is suspended. */
  readonly versionId: string;
  readonly isLatest: boolean;
  readonly isDeleteMarker: boolean;
  /** The bytes, in order; empty for a delete marker. */
  readonly parts: readonly ObjectPart[];
  readonly size: number;
  /** Quoted, as S3 sends it: `"<md5 hex>"`, or `"<md5 of part md5s>-<n>"` for multipart. */
  readonly etag: string;
  readonly contentType: string | undefined;
  /** Other stored headers S3 returns: Content-Encoding, Cache-Control, Content-Disposition … */
  readonly headers: Readonly<Record<string, string>>;
  /** `x-amz-meta-*` names without the prefix, lower-cased. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly checksums: Checksums;
  readonly lastModified: number;
  /** Multipart objects: how many parts (for `-N` ETags and PartNumber reads). */
  readonly partCount: number | undefined;
}

export interface MultipartUpload {
  readonly uploadId: string;
  readonly bucket: string;
  readonly key: string;
  readonly contentType: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly metadata: Readonly<Record<string, string>>;
  readonly checksumAlgorithm: string | undefined;
  readonly initiatedAt: number;
}

export interface UploadedPart {
  readonly uploadId: string;
  readonly partNumber: number;
  readonly blobKey: string;
  readonly size: number;
  /** Quoted MD5 hex. */
  readonly etag: string;
  readonly checksums: Checksums;
  readonly lastModified: number;
}

/** S3's bucket naming rules (the current ones, for general purpose buckets). */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'must be 3 to 63 characters long';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) {
    return 'may contain only lowercase letters, digits, dots and hyphens, and must begin and end with a letter or digit';
  }
  if (name.includes('..')) return 'must not contain two adjacent periods';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'must not be formatted as an IP address';
  if (name.startsWith('xn--') || name.startsWith('sthree-') || name.startsWith('amzn-s3-demo-')) {
    return 'must not start with a reserved prefix';
  }
  if (name.endsWith('-s3alias') || name.endsWith('--ol-s3') || name.endsWith('.mrap')) {
    return 'must not end with a reserved suffix';
  }
  return undefined;
}

/** Keys are 1–1,024 bytes of UTF-8; anything else, including NUL, is stored as given. */
export function objectKeyProblem(key: string): string | undefined {
  const bytes = new TextEncoder().encode(key).length;
  if (bytes === 0) return 'must not be empty';
  if (bytes > 1024) return 'must be at most 1,024 bytes';
  return undefined;
}
