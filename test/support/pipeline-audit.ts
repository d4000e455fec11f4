import {
  BatchGetBuildsCommand,
  CodeBuildClient,
  CreateProjectCommand,
  paginateListBuildsForProject,
  type Build,
} from '@aws-sdk/client-codebuild';
import {
  CodePipelineClient,
  CreatePipelineCommand,
  paginateListActionExecutions,
  paginateListPipelineExecutions,
  type ActionExecutionDetail,
  type PipelineDeclaration,
  type PipelineExecutionSummary,
} from '@aws-sdk/client-codepipeline';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import yazl from 'yazl';
import { s3Client } from './s3.ts';

/**
 * A small pipeline for fault tests, and an audit of what it did read back through the AWS
 * APIs: which executions ended how, which builds ran, and which action execution each build
 * belongs to.
 *
 * Source (S3 zip) → Build (CodeBuild project `faults-build`: `sleep`, then fails when the
 * pipeline variable FAIL is `yes`) → Check (a Commands action: `sleep`). Both builds carry
 * PIPELINE_EXECUTION, so a build names its execution whatever happened to the action.
 */
export const faultsProject = 'faults-build';
/** The project Slipway runs Commands actions on (apps/server/…/commands-executor.ts). */
export const commandsProject = 'slipway-pipeline-commands';
const sourceBucket = 'faults-source';
const sourceKey = 'app.zip';
/** The stages whose actions run as builds, and the project each one's build belongs to. */
export const buildStages: Readonly<Record<string, string>> = {
  Build: faultsProject,
  Check: commandsProject,
};
const stageOrder = ['Source', 'Build', 'Check'];

export interface PipelineClients {
  readonly pipelines: CodePipelineClient;
  readonly builds: CodeBuildClient;
  readonly s3: S3Client;
  destroy(): void;
}

/** SDK clients for one server, without retries (a test that kills servers wants to know). */
export function pipelineClients(server: {
  readonly url: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}): PipelineClients {
  const options = {
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    maxAttempts: 1,
  };
  const pipelines = new CodePipelineClient(options);
  const builds = new CodeBuildClient(options);
  const s3 = s3Client(server);
  return {
    pipelines,
    builds,
    s3,
    destroy: () => {
      pipelines.destroy();
      builds.destroy();
      s3.destroy();
    },
  };
}

export function faultsPipeline(name: string, sleep: string): PipelineDeclaration {
  const identity = { name: 'PIPELINE_EXECUTION', value: '#{codepipeline.PipelineExecutionId}' };
  return {
    name,
    roleArn: 'arn:aws:iam::111122223333:role/codepipeline',
    artifactStore: { type: 'S3', location: 'faults-artifacts' },
    pipelineType: 'V2',
    executionMode: 'PARALLEL',
    variables: [{ name: 'FAIL', defaultValue: 'no' }],
    stages: [
      {
        name: 'Source',
        actions: [
          {
            name: 'Source',
            actionTypeId: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' },
            configuration: {
              S3Bucket: sourceBucket,
              S3ObjectKey: sourceKey,
              PollForSourceChanges: 'false',
            },
            outputArtifacts: [{ name: 'Src' }],
            runOrder: 1,
          },
        ],
      },
      {
        name: 'Build',
        actions: [
          {
            name: 'Build',
            actionTypeId: { category: 'Build', owner: 'AWS', provider: 'CodeBuild', version: '1' },
            configuration: {
              ProjectName: faultsProject,
              EnvironmentVariables: JSON.stringify([
                { name: 'FAIL', value: '#{variables.FAIL}', type: 'PLAINTEXT' },
                { ...identity, type: 'PLAINTEXT' },
              ]),
            },
            inputArtifacts: [{ name: 'Src' }],
            runOrder: 1,
          },
        ],
      },
      {
        name: 'Check',
        actions: [
          {
            name: 'Check',
            actionTypeId: { category: 'Compute', owner: 'AWS', provider: 'Commands', version: '1' },
            commands: [`sleep ${sleep}`, 'test -f buildspec.yml'],
            environmentVariables: [identity],
            inputArtifacts: [{ name: 'Src' }],
            runOrder: 1,
          },
        ],
      },
    ],
  };
}

/** The source bucket and zip, the CodeBuild project and the pipeline (which starts once). */
export async function createFaultsPipeline(
  clients: PipelineClients,
  name: string,
  sleep: string,
): Promise<void> {
  await clients.s3.send(new CreateBucketCommand({ Bucket: sourceBucket }));
  const buildspec =
    'version: 0.2\nphases:\n  build:\n    commands:\n' +
    `      - sleep ${sleep}\n      - test "$FAIL" != yes\n`;
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: sourceBucket,
      Key: sourceKey,
      Body: await zipOf({ 'buildspec.yml': buildspec }),
    }),
  );
  await clients.builds.send(
    new CreateProjectCommand({
      name: faultsProject,
      source: { type: 'CODEPIPELINE' },
      artifacts: { type: 'CODEPIPELINE' },
      environment: {
        type: 'LINUX_CONTAINER',
        image: 'aws/codebuild/standard:7.0',
        computeType: 'BUILD_GENERAL1_SMALL',
      },
      serviceRole: 'arn:aws:iam::111122223333:role/codebuild',
    }),
  );
  await clients.pipelines.send(
    new CreatePipelineCommand({ pipeline: faultsPipeline(name, sleep) }),
  );
}

async function zipOf(files: Record<string, string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [path, text] of Object.entries(files)) zip.addBuffer(Buffer.from(text), path);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export async function listExecutions(
  clients: PipelineClients,
  pipelineName: string,
): Promise<PipelineExecutionSummary[]> {
  const all: PipelineExecutionSummary[] = [];
  const pages = paginateListPipelineExecutions(
    { client: clients.pipelines, pageSize: 100 },
    { pipelineName },
  );
  for await (const page of pages) all.push(...(page.pipelineExecutionSummaries ?? []));
  return all;
}

export function isTerminal(status: string | undefined): boolean {
  return status !== 'InProgress' && status !== 'Stopping';
}

/** Everything a pipeline did, as its user can read it back. */
export interface PipelineAudit {
  readonly executions: readonly PipelineExecutionSummary[];
  readonly actions: readonly ActionExecutionDetail[];
  /** Every build of the two projects that CodePipeline started for this pipeline. */
  readonly builds: readonly Build[];
}

export async function auditPipeline(
  clients: PipelineClients,
  pipelineName: string,
): Promise<PipelineAudit> {
  const executions = await listExecutions(clients, pipelineName);
  const actions: ActionExecutionDetail[] = [];
  const pages = paginateListActionExecutions(
    { client: clients.pipelines, pageSize: 100 },
    { pipelineName },
  );
  for await (const page of pages) actions.push(...(page.actionExecutionDetails ?? []));
  const ids: string[] = [];
  for (const projectName of Object.values(buildStages)) {
    const listed = paginateListBuildsForProject({ client: clients.builds }, { projectName });
    for await (const page of listed) ids.push(...(page.ids ?? []));
  }
  const builds: Build[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const got = await clients.builds.send(
      new BatchGetBuildsCommand({ ids: ids.slice(i, i + 100) }),
    );
    builds.push(...(got.builds ?? []));
  }
  return {
    executions,
    actions,
    builds: builds.filter((b) => b.initiator === `codepipeline/${pipelineName}`),
  };
}

/** The build's PIPELINE_EXECUTION: the execution its action belonged to. */
export function executionOfBuild(build: Build): string | undefined {
  return build.environment?.environmentVariables?.find((v) => v.name === 'PIPELINE_EXECUTION')
    ?.value;
}

/**
 * Why a build did not succeed: the first status code its phases carry (COMMAND_EXECUTION_ERROR,
 * RUNNER_LOST…), else its first phase that did not succeed. A build lost between two phases
 * carries RUNNER_LOST on its last phase, which stays SUCCEEDED (core/builds/build-phases.ts).
 */
export function failureOfBuild(build: Build): string | undefined {
  if (build.buildStatus === 'SUCCEEDED') return undefined;
  const phases = build.phases ?? [];
  const codes = phases.flatMap((p) => (p.contexts ?? []).map((c) => c.statusCode ?? ''));
  return (
    codes.find((code) => code !== '') ??
    phases.find((p) => p.phaseStatus !== undefined && p.phaseStatus !== 'SUCCEEDED')?.phaseType
  );
}

/** Whether the build's runner was lost (RUNNER_LOST on any phase). */
export function isLostBuild(build: Build): boolean {
  return (build.phases ?? []).some((p) =>
    (p.contexts ?? []).some((c) => c.statusCode === 'RUNNER_LOST'),
  );
}

function describeBuild(build: Build | undefined): string {
  if (build === undefined) return 'none';
  const phases = (build.phases ?? []).map(
    (p) => `${p.phaseType}:${p.phaseStatus}:${JSON.stringify(p.contexts ?? [])}`,
  );
  return `${build.id} ${build.buildStatus} ${phases.join(' ')}`;
}

/**
 * Work done twice or lost: every action that needs a build names exactly one, no build is
 * named twice or by no action, no execution has two builds for one stage, and no action ran
 * twice in one execution. Each problem is one line with the ids involved.
 */
export function duplicatedOrLostWork(audit: PipelineAudit): string[] {
  const problems: string[] = [];
  const buildsById = new Map(audit.builds.map((b) => [b.id ?? '', b]));
  const named = new Map<string, string>();
  const perAction = new Map<string, number>();
  for (const action of audit.actions) {
    const where = `${action.pipelineExecutionId}/${action.stageName}/${action.actionName}`;
    perAction.set(where, (perAction.get(where) ?? 0) + 1);
    const project = buildStages[action.stageName ?? ''];
    if (project === undefined) continue;
    const buildId = action.output?.executionResult?.externalExecutionId;
    if (buildId === undefined) {
      problems.push(`${where} (${action.actionExecutionId}, ${action.status}) names no build`);
      continue;
    }
    const other = named.get(buildId);
    if (other !== undefined) problems.push(`${where} and ${other} both name build ${buildId}`);
    named.set(buildId, where);
    const build = buildsById.get(buildId);
    if (build === undefined) {
      problems.push(`${where} names build ${buildId}, which is not among the pipeline's builds`);
    } else if (
      build.projectName !== project ||
      executionOfBuild(build) !== action.pipelineExecutionId
    ) {
      problems.push(
        `${where} names build ${buildId} of ${build.projectName} for ${executionOfBuild(build)}`,
      );
    }
  }
  for (const [where, count] of perAction) {
    if (count > 1) problems.push(`${where} ran ${count} times`);
  }
  const perStage = new Map<string, string[]>();
  for (const build of audit.builds) {
    const id = build.id ?? '';
    if (!named.has(id)) problems.push(`build ${id} (${build.buildStatus}) belongs to no action`);
    const key = `${executionOfBuild(build)}/${build.projectName}`;
    perStage.set(key, [...(perStage.get(key) ?? []), id]);
  }
  for (const [key, ids] of perStage) {
    if (ids.length > 1) problems.push(`${key} has ${ids.length} builds: ${ids.join(', ')}`);
  }
  return problems;
}

/**
 * Executions whose status is not the one their actions dictate. An execution succeeds when all
 * three actions did; it fails at the first failed action, and runs nothing after it. A failed
 * action must be explained: its build failed its command because the execution asked
 * (`failing`), or its build was lost with the server that ran it (RUNNER_LOST, which fails the
 * action rather than running it again) when `lostAllowed`.
 */
export function wrongOutcomes(
  audit: PipelineAudit,
  failing: (executionId: string) => boolean,
  lostAllowed: boolean,
): string[] {
  const problems: string[] = [];
  const buildsById = new Map(audit.builds.map((b) => [b.id ?? '', b]));
  const byExecution = new Map<string, ActionExecutionDetail[]>();
  for (const action of audit.actions) {
    const id = action.pipelineExecutionId ?? '';
    byExecution.set(id, [...(byExecution.get(id) ?? []), action]);
  }
  for (const execution of audit.executions) {
    const id = execution.pipelineExecutionId ?? '';
    const actions = (byExecution.get(id) ?? []).sort(
      (a, b) => stageOrder.indexOf(a.stageName ?? '') - stageOrder.indexOf(b.stageName ?? ''),
    );
    const shape = actions.map((a) => `${a.stageName}:${a.status}`).join(' ');
    const failed = actions.filter((a) => a.status !== 'Succeeded');
    const expected = failed.length === 0 && actions.length === stageOrder.length;
    if (execution.status !== (expected ? 'Succeeded' : 'Failed')) {
      problems.push(`${id} is ${execution.status} with actions ${shape}`);
      continue;
    }
    if (expected) {
      if (failing(id)) problems.push(`${id} was asked to fail but succeeded`);
      continue;
    }
    const first = failed[0];
    if (failed.length !== 1 || first !== actions[actions.length - 1]) {
      problems.push(`${id} ran on after a failure, or failed twice: ${shape}`);
      continue;
    }
    const build = buildsById.get(first?.output?.executionResult?.externalExecutionId ?? '');
    const why =
      build === undefined
        ? first?.output?.executionResult?.externalExecutionSummary
        : failureOfBuild(build);
    const byCommand =
      failing(id) && first?.stageName === 'Build' && why === 'COMMAND_EXECUTION_ERROR';
    const byLoss = lostAllowed && why === 'RUNNER_LOST';
    if (!byCommand && !byLoss) {
      const result = first?.output?.executionResult;
      problems.push(
        `${id} failed at ${first?.stageName} (${why}): ${shape}; action ` +
          `${first?.actionExecutionId}: ${result?.externalExecutionSummary} ` +
          `${JSON.stringify(result?.errorDetails)}; build ${describeBuild(build)}`,
      );
    } else if (
      failing(id) &&
      actions.some((a) => a.stageName === 'Build' && a.status === 'Succeeded')
    ) {
      problems.push(`${id} was asked to fail but its Build succeeded: ${shape}`);
    }
  }
  return problems;
}
