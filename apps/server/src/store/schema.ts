import type { Generated } from 'kysely';

/** Table shapes as Kysely sees them. Times are epoch milliseconds; JSON is stored as text. */
export interface Schema {
  installation: { key: string; value: string };
  accounts: { id: string; created_at: number };
  users: {
    id: string;
    account_id: string;
    name: string;
    arn: string;
    created_at: number;
    /** `/` unless the user was created with a path (0009). */
    path: Generated<string>;
  };
  user_policies: { user_id: string; policy_name: string; document: string; updated_at: number };
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
  // The builds component (migration 0005). Each row keeps its model as JSON in `document`;
  // the other columns are what queries filter, sort and lock on.
  projects: {
    arn: string;
    account_id: string;
    region: string;
    name: string;
    created_at: number;
    last_modified_at: number;
    concurrent_build_limit: number | null;
    /** The last build number taken. */
    build_counter: number;
    document: string;
  };
  builds: {
    seq: Generated<number>;
    id: string;
    account_id: string;
    region: string;
    project_name: string;
    build_number: number;
    dispatch: string;
    job_id: string | null;
    queued_deadline: number;
    run_deadline: number | null;
    version: number;
    document: string;
  };
  build_idempotency_tokens: {
    account_id: string;
    region: string;
    token: string;
    fingerprint: string;
    build_id: string;
    created_at: number;
  };
  report_groups: {
    arn: string;
    account_id: string;
    region: string;
    name: string;
    created_at: number;
    last_modified_at: number;
    document: string;
  };
  reports: {
    seq: Generated<number>;
    arn: string;
    account_id: string;
    region: string;
    report_group_arn: string;
    status: string;
    document: string;
  };
  test_cases: {
    report_arn: string;
    position: number;
    status: string;
    name: string;
    prefix: string;
    document: string;
  };
  log_groups: {
    account_id: string;
    region: string;
    name: string;
    creation_time: number;
  };
  log_streams: {
    id: Generated<number>;
    account_id: string;
    region: string;
    group_name: string;
    name: string;
    creation_time: number;
    first_event_timestamp: number | null;
    last_event_timestamp: number | null;
    last_ingestion_time: number | null;
    stored_bytes: number;
    event_count: number;
    last_sequence: number;
    truncated: number;
  };
  log_events: {
    id: Generated<number>;
    stream_id: number;
    seq: number;
    timestamp: number;
    ingestion_time: number;
    message: string;
  };
  // The pipelines component (migration 0006). Executions refer to the pipeline's generated id,
  // so they outlive its deletion; JSON documents hold the models, the other columns are what
  // queries filter, sort and lock on.
  pipelines: {
    id: string;
    arn: string;
    account_id: string;
    region: string;
    name: string;
    latest_version: number;
    runtime: string;
    tags: string;
  };
  pipeline_versions: {
    pipeline_id: string;
    version: number;
    document: string;
  };
  pipeline_executions: {
    seq: Generated<number>;
    id: string;
    pipeline_id: string;
    execution_mode: string;
    status: string;
    due_at: number | null;
    idempotency_token: string | null;
    version: number;
    document: string;
  };
  // CodePipeline custom action types (migration 0007); deleted ones keep their row.
  custom_action_types: {
    account_id: string;
    region: string;
    category: string;
    provider: string;
    version: string;
    created_at: number;
    deleted_at: number | null;
    document: string;
  };
  // The deployments component (migration 0008). Documents leave out the names the columns hold,
  // so renames rewrite columns only; deployments refer to their group's id and outlive it.
  cd_applications: {
    account_id: string;
    region: string;
    name: string;
    document: string;
  };
  cd_deployment_groups: {
    group_id: string;
    account_id: string;
    region: string;
    application_name: string;
    name: string;
    deployment_config_name: string;
    document: string;
    runtime: string;
  };
  cd_deployment_configs: {
    account_id: string;
    region: string;
    name: string;
    document: string;
  };
  cd_onprem_instances: {
    account_id: string;
    region: string;
    name: string;
    iam_arn: string;
    deregister_time: number | null;
    document: string;
  };
  cd_revisions: {
    account_id: string;
    region: string;
    application_name: string;
    revision_key: string;
    document: string;
  };
  cd_deployments: {
    seq: Generated<number>;
    deployment_id: string;
    account_id: string;
    region: string;
    application_name: string;
    group_name: string;
    group_id: string;
    status: string;
    create_time: number;
    external_id: string | null;
    unfinished: number;
    version: number;
    document: string;
  };
}

export const Dialect = { Sqlite: 'sqlite', Postgres: 'postgres' } as const;
export type Dialect = (typeof Dialect)[keyof typeof Dialect];
