/**
 * The variables CodeBuild gives every build (aws-compat §4.3), built from plain inputs so the
 * runner and `slipway build` set the same names the same way. Optional inputs that are absent
 * leave their variable unset, as CodeBuild leaves CODEBUILD_RESOLVED_SOURCE_VERSION unset for an
 * S3 source and the CODEBUILD_WEBHOOK_* names unset outside webhook builds.
 */

export interface SecondarySourceInput {
  /** The project's `sourceIdentifier`; names the `_<identifier>` variants. */
  readonly identifier: string;
  readonly srcDir: string;
  readonly sourceVersion?: string;
  readonly repoUrl?: string;
}

export interface WebhookInput {
  readonly actorAccountId?: string;
  readonly baseRef?: string;
  readonly event?: string;
  readonly headRef?: string;
  readonly mergeCommit?: string;
  readonly prevCommit?: string;
  /** `pr/<n>`, `branch/<name>` or `tag/<name>`; see webhookTrigger. */
  readonly trigger?: string;
}

export interface BuiltinVariablesInput {
  readonly region: string;
  /** `<project>:<uuid>`. */
  readonly buildId: string;
  /** `arn:aws:codebuild:<region>:<account>:build/<project>:<uuid>`. */
  readonly buildArn: string;
  readonly buildNumber: number;
  readonly projectArn?: string;
  readonly image: string;
  /** `codepipeline/<pipeline>`, the user name, or another starter's name. */
  readonly initiator: string;
  /** The primary source directory. */
  readonly srcDir: string;
  /** Epoch milliseconds. */
  readonly startTime: number;
  readonly sourceVersion?: string;
  /** The commit built; set once DOWNLOAD_SOURCE has resolved it. */
  readonly resolvedSourceVersion?: string;
  readonly sourceRepoUrl?: string;
  readonly secondarySources?: readonly SecondarySourceInput[];
  /** The log stream name. */
  readonly logPath?: string;
  readonly kmsKeyId?: string;
  readonly publicBuildUrl?: string;
  readonly batchBuildIdentifier?: string;
  /** False once a phase has failed: CODEBUILD_BUILD_SUCCEEDING is then 0. Default true. */
  readonly succeeding?: boolean;
  readonly webhook?: WebhookInput;
  /** Default `/root`, as in CodeBuild's images. */
  readonly home?: string;
}

/** The built-in variables, in a stable order. */
export function builtinVariables(input: BuiltinVariablesInput): Record<string, string> {
  const entries: [string, string | undefined][] = [
    ['AWS_DEFAULT_REGION', input.region],
    ['AWS_REGION', input.region],
    ['HOME', input.home ?? '/root'],
    ['CODEBUILD_BATCH_BUILD_IDENTIFIER', input.batchBuildIdentifier],
    ['CODEBUILD_BUILD_ARN', input.buildArn],
    ['CODEBUILD_BUILD_ID', input.buildId],
    ['CODEBUILD_BUILD_IMAGE', input.image],
    ['CODEBUILD_BUILD_NUMBER', String(input.buildNumber)],
    ['CODEBUILD_BUILD_SUCCEEDING', input.succeeding === false ? '0' : '1'],
    ['CODEBUILD_INITIATOR', input.initiator],
    ['CODEBUILD_KMS_KEY_ID', input.kmsKeyId],
    ['CODEBUILD_LOG_PATH', input.logPath],
    ['CODEBUILD_PROJECT_ARN', input.projectArn],
    ['CODEBUILD_PUBLIC_BUILD_URL', input.publicBuildUrl],
    ['CODEBUILD_RESOLVED_SOURCE_VERSION', input.resolvedSourceVersion],
    ['CODEBUILD_SOURCE_REPO_URL', input.sourceRepoUrl],
    ['CODEBUILD_SOURCE_VERSION', input.sourceVersion],
    ['CODEBUILD_SRC_DIR', input.srcDir],
    ['CODEBUILD_START_TIME', String(input.startTime)],
  ];
  for (const source of input.secondarySources ?? []) {
    entries.push(
      [`CODEBUILD_SRC_DIR_${source.identifier}`, source.srcDir],
      [`CODEBUILD_SOURCE_VERSION_${source.identifier}`, source.sourceVersion],
      [`CODEBUILD_SOURCE_REPO_URL_${source.identifier}`, source.repoUrl],
    );
  }
  const hook = input.webhook;
  if (hook !== undefined) {
    entries.push(
      ['CODEBUILD_WEBHOOK_ACTOR_ACCOUNT_ID', hook.actorAccountId],
      ['CODEBUILD_WEBHOOK_BASE_REF', hook.baseRef],
      ['CODEBUILD_WEBHOOK_EVENT', hook.event],
      ['CODEBUILD_WEBHOOK_HEAD_REF', hook.headRef],
      ['CODEBUILD_WEBHOOK_MERGE_COMMIT', hook.mergeCommit],
      ['CODEBUILD_WEBHOOK_PREV_COMMIT', hook.prevCommit],
      ['CODEBUILD_WEBHOOK_TRIGGER', hook.trigger],
    );
  }
  return Object.fromEntries(entries.filter((e): e is [string, string] => e[1] !== undefined));
}

/** CODEBUILD_WEBHOOK_TRIGGER's value: `pr/12`, `branch/main`, `tag/v1.0`. */
export function webhookTrigger(kind: 'pr' | 'branch' | 'tag', name: string | number): string {
  return `${kind}/${name}`;
}
