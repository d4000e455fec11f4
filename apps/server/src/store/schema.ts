import type { Generated } from 'kysely';

/** Table shapes as Kysely sees them. Times are epoch milliseconds; JSON is stored as text. */
export interface Schema {
  installation: { key: string; value: string };
  accounts: { id: string; created_at: number };
  users: { id: string; account_id: string; name: string; arn: string; created_at: number };
  access_keys: {
    access_key_id: string;
    user_id: string;
    status: string;
    sealed_secret: string;
    created_at: number;
  };
  events: {
    seq: Generated<number>;
    type: string;
    subject: string;
    data: string;
    created_at: number;
  };
  repositories: {
    id: string;
    account_id: string;
    region: string;
    name: string;
    description: string | null;
    default_branch: string | null;
    kms_key_id: string | null;
    tags: string;
    triggers: string;
    created_at: number;
    last_modified_at: number;
  };
  source_pushes: { id: string; repository_id: string; recorded_at: number };
  service_credentials: {
    id: string;
    user_id: string;
    service_name: string;
    service_user_name: string;
    sealed_password: string;
    status: string;
    created_at: number;
  };
  jobs: {
    id: string;
    queue: string;
    payload: string;
    status: string;
    attempts: number;
    max_attempts: number;
    available_at: number;
    lease_id: string | null;
    worker_id: string | null;
    lease_expires_at: number | null;
    cancel_requested: number;
    result: string | null;
    created_at: number;
    updated_at: number;
  };
  // The objects component (migration 0004); keys are stored as the hex of their UTF-8 bytes.
  buckets: {
    name: string;
    account_id: string;
    region: string;
    versioning: string;
    created_at: number;
  };
  object_versions: {
    seq: Generated<number>;
    bucket: string;
    key_hex: string;
    version_id: string;
    is_delete_marker: number;
    parts: string;
    size: number;
    etag: string;
    content_type: string | null;
    headers: string;
    metadata: string;
    checksums: string;
    last_modified: number;
    part_count: number | null;
  };
  multipart_uploads: {
    upload_id: string;
    bucket: string;
    key_hex: string;
    content_type: string | null;
    headers: string;
    metadata: string;
    checksum_algorithm: string | null;
    initiated_at: number;
  };
  upload_parts: {
    upload_id: string;
    part_number: number;
    blob_key: string;
    size: number;
    etag: string;
    checksums: string;
    last_modified: number;
  };
}

export const Dialect = { Sqlite: 'sqlite', Postgres: 'postgres' } as const;
export type Dialect = (typeof Dialect)[keyof typeof Dialect];
