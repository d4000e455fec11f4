import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  BatchGetBuildsCommand,
  BatchGetReportsCommand,
  CodeBuildClient,
  CreateProjectCommand,
  DescribeTestCasesCommand,
  StartBuildCommand,
  type Build,
} from '@aws-sdk/client-codebuild';
import {
  CodeCommitClient,
  CreateRepositoryCommand,
  PutFileCommand,
} from '@aws-sdk/client-codecommit';
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipFiles } from '../../apps/server/src/runner/engine/engine-test-support.ts';
import { aws } from '../support/aws-cli.ts';
import { signHeaders } from '../support/sign.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * A build from StartBuild to its artifacts, through the real server: the CodeBuild door, the
 * builds service and its SQLite stores, the job protocol, the built-in runner, bubblewrap, the
 * S3 door and CloudWatch Logs. Every phase of the buildspec runs; BUILD fails on purpose after
 * writing a failing JUnit report, so POST_BUILD sees CODEBUILD_BUILD_SUCCEEDING=0.
 */
const buildspec = `version: 0.2
env:
  variables:
    FROM_BUILDSPEC: buildspec
  exported-variables: [RELEASE, SUCCEEDING_IN_POST]
phases:
  install:
    commands:
      - echo "installing with $FROM_BUILDSPEC and $FROM_PROJECT"
  pre_build:
    on-failure: CONTINUE
    commands:
      - echo pre-build starts
      - "false"
    finally:
      - echo pre-build finally
  build:
    commands:
      - export RELEASE=1.2.3
      - mkdir -p out reports docs
      - echo "release $RELEASE" > out/app.txt
      - echo "read me" > docs/readme.md
      - >-
        printf '<testsuite name="unit"><testcase classname="math" name="adds"/><testcase classname="math" name="divides"><failure message="off by one">expected 2</failure></testcase></testsuite>'
        > reports/junit.xml
      - test -f out/missing.txt
  post_build:
    commands:
      - export SUCCEEDING_IN_POST=$CODEBUILD_BUILD_SUCCEEDING
      - echo "post build sees succeeding=$CODEBUILD_BUILD_SUCCEEDING"
reports:
  unit:
    files: [reports/junit.xml]
artifacts:
  files: [out/app.txt]
  secondary-artifacts:
    docs:
      files: [docs/readme.md]
`;

describe('a build through the server and its built-in runner', () => {
  let server: TestServer;
  let codebuild: CodeBuildClient;
  let logs: CloudWatchLogsClient;
  let s3: S3Client;
  let build: Build;

  beforeAll(async () => {
    server = await startTestServer({ env: { SLIPWAY_RUNNER_CONCURRENCY: '2' } });
    const options = {
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      maxAttempts: 1,
    };
    codebuild = new CodeBuildClient(options);
    logs = new CloudWatchLogsClient(options);
    s3 = new S3Client({ ...options, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'e2e-output' }));
    await codebuild.send(
      new CreateProjectCommand({
        name: 'e2e',
        source: { type: 'NO_SOURCE', buildspec },
        artifacts: { type: 'S3', location: 'e2e-output', packaging: 'ZIP', name: 'app.zip' },
        secondaryArtifacts: [
          {
            type: 'S3',
            location: 'e2e-output',
            packaging: 'ZIP',
            name: 'docs.zip',
            artifactIdentifier: 'docs',
          },
        ],
        environment: {
          type: 'LINUX_CONTAINER',
          image: 'aws/codebuild/standard:7.0',
          computeType: 'BUILD_GENERAL1_SMALL',
          environmentVariables: [{ name: 'FROM_PROJECT', value: 'project' }],
        },
        serviceRole: 'arn:aws:iam::000000000000:role/codebuild',
        tags: [{ key: 'slipway:network', value: 'none' }],
      }),
    );
    const started = await codebuild.send(new StartBuildCommand({ projectName: 'e2e' }));
    build = await waitForBuild(codebuild, started.build?.id ?? '');
  }, 90_000);

  afterAll(async () => {
    codebuild.destroy();
    logs.destroy();
    s3.destroy();
    await server.close();
  });

  it('ends FAILED with every phase in order, as CodeBuild reports them', () => {
    expect(build.buildStatus).toBe('FAILED');
    expect(build.phases?.map((p) => [p.phaseType, p.phaseStatus])).toEqual([
      ['SUBMITTED', 'SUCCEEDED'],
      ['QUEUED', 'SUCCEEDED'],
      ['PROVISIONING', 'SUCCEEDED'],
      ['DOWNLOAD_SOURCE', 'SUCCEEDED'],
      ['INSTALL', 'SUCCEEDED'],
      ['PRE_BUILD', 'FAILED'],
      ['BUILD', 'FAILED'],
      ['POST_BUILD', 'SUCCEEDED'],
      ['UPLOAD_ARTIFACTS', 'SUCCEEDED'],
      ['FINALIZING', 'SUCCEEDED'],
      ['COMPLETED', undefined],
    ]);
    const buildPhase = build.phases?.find((p) => p.phaseType === 'BUILD');
    expect(buildPhase?.contexts?.[0]?.statusCode).toBe('COMMAND_EXECUTION_ERROR');
    expect(buildPhase?.contexts?.[0]?.message).toBe(
      'Error while executing command: test -f out/missing.txt. Reason: exit status 1',
    );
  });

  it('exports the variables, as POST_BUILD left them', () => {
    expect(build.exportedEnvironmentVariables).toEqual([
      { name: 'RELEASE', value: '1.2.3' },
      { name: 'SUCCEEDING_IN_POST', value: '0' },
    ]);
  });

  it('stores both artifacts in S3, zipped, with their digests', async () => {
    expect(build.artifacts?.location).toBe('arn:aws:s3:::e2e-output/app.zip');
    expect(build.secondaryArtifacts?.map((a) => [a.artifactIdentifier, a.location])).toEqual([
      ['docs', 'arn:aws:s3:::e2e-output/docs.zip'],
    ]);
    const app = await s3.send(new GetObjectCommand({ Bucket: 'e2e-output', Key: 'app.zip' }));
    const bytes = Buffer.from((await app.Body?.transformToByteArray()) ?? []);
    expect(await zipFiles(bytes)).toEqual({ 'out/app.txt': 'release 1.2.3\n' });
    expect(app.Metadata).toEqual({ 'codebuild-buildarn': build.arn });
    const docs = await s3.send(new GetObjectCommand({ Bucket: 'e2e-output', Key: 'docs.zip' }));
    const docBytes = Buffer.from((await docs.Body?.transformToByteArray()) ?? []);
    expect(await zipFiles(docBytes)).toEqual({ 'docs/readme.md': 'read me\n' });
  });

  it('keeps the failing JUnit report with its cases', async () => {
    expect(build.reportArns).toHaveLength(1);
    const arn = build.reportArns?.[0] ?? '';
    const reports = await codebuild.send(new BatchGetReportsCommand({ reportArns: [arn] }));
    const report = reports.reports?.[0];
    expect(report?.status).toBe('FAILED');
    expect(report?.reportGroupArn).toMatch(/:report-group\/e2e-unit$/);
    expect(report?.testSummary?.total).toBe(2);
    expect(report?.testSummary?.statusCounts).toMatchObject({ SUCCEEDED: 1, FAILED: 1 });
    const cases = await codebuild.send(new DescribeTestCasesCommand({ reportArn: arn }));
    expect(cases.testCases?.map((c) => [c.prefix, c.name, c.status]).sort()).toEqual([
      ['math', 'adds', 'SUCCEEDED'],
      ['math', 'divides', 'FAILED'],
    ]);
  });

  it('runs the same build for the AWS CLI, which reads it back alike', async () => {
    const started = await aws(['codebuild', 'start-build', '--project-name', 'e2e'], server.awsEnv);
    expect(started.code).toBe(0);
    const id = (JSON.parse(started.stdout) as { build: { id: string } }).build.id;
    await waitForBuild(codebuild, id);
    const got = await aws(['codebuild', 'batch-get-builds', '--ids', id], server.awsEnv);
    const [cliBuild] = (JSON.parse(got.stdout) as { builds: CliBuild[] }).builds;
    expect(cliBuild?.buildStatus).toBe('FAILED');
    expect(cliBuild?.phases.map((p) => `${p.phaseType}:${p.phaseStatus ?? ''}`)).toEqual(
      build.phases?.map((p) => `${p.phaseType ?? ''}:${p.phaseStatus ?? ''}`),
    );
    expect(cliBuild?.exportedEnvironmentVariables).toEqual(build.exportedEnvironmentVariables);
    // The CLI prints epoch seconds, as AWS answers.
    expect(typeof cliBuild?.startTime).toBe('number');
  });

  it("streams the build's log as server-sent events, to its end", async () => {
    const path = `/_slipway/console/v1/builds/${encodeURIComponent(build.id ?? '')}/logs`;
    const unsigned = await fetch(new URL(path, server.url));
    expect(unsigned.status).toBe(403);
    const missingPath = '/_slipway/console/v1/builds/e2e%3Ano-such-build/logs';
    const missing = await fetch(new URL(missingPath, server.url), {
      headers: await signHeaders({
        url: server.url,
        service: 'codebuild',
        method: 'GET',
        path: missingPath,
        accessKeyId: server.accessKeyId,
        secretAccessKey: server.secretAccessKey,
      }),
    });
    expect(missing.status).toBe(404);
    const response = await fetch(new URL(path, server.url), {
      headers: await signHeaders({
        url: server.url,
        service: 'codebuild',
        method: 'GET',
        path,
        accessKeyId: server.accessKeyId,
        secretAccessKey: server.secretAccessKey,
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const frames = (await response.text()).split('\n\n').filter((frame) => frame !== '');
    expect(frames.at(-1)).toBe('event: end\ndata: {}');
    const messages = frames
      .filter((frame) => frame.includes('event: log'))
      .map(
        (frame) => (JSON.parse(frame.split('data: ')[1] ?? '{}') as { message: string }).message,
      );
    expect(messages).toContain('post build sees succeeding=0');
    // A reconnecting EventSource sends Last-Event-ID: only what followed it comes again.
    const firstId = /^id: (\d+)/m.exec(frames.find((f) => f.startsWith('id: ')) ?? '')?.[1] ?? '';
    const resumed = await fetch(new URL(path, server.url), {
      headers: await signHeaders({
        url: server.url,
        service: 'codebuild',
        method: 'GET',
        path,
        headers: { 'last-event-id': firstId },
        accessKeyId: server.accessKeyId,
        secretAccessKey: server.secretAccessKey,
      }),
    });
    const resumedFrames = (await resumed.text())
      .split('\n\n')
      .filter((f) => f.includes('event: log'));
    expect(resumedFrames).toHaveLength(messages.length - 1);
  });

  it('logs the build in CloudWatch Logs, with the variables of every layer', async () => {
    const events = await logs.send(
      new GetLogEventsCommand({
        logGroupName: build.logs?.groupName,
        logStreamName: build.logs?.streamName,
        startFromHead: true,
      }),
    );
    const messages = events.events?.map((e) => e.message) ?? [];
    expect(messages).toContain('installing with buildspec and project');
    expect(messages).toContain('pre-build finally');
    expect(messages).toContain('post build sees succeeding=0');
    expect(messages.some((m) => m?.includes('Entering phase BUILD'))).toBe(true);
  });
});

describe('a CODECOMMIT build through the server', () => {
  let server: TestServer;
  let codebuild: CodeBuildClient;
  let codecommit: CodeCommitClient;
  let logs: CloudWatchLogsClient;

  beforeAll(async () => {
    server = await startTestServer({ env: { SLIPWAY_RUNNER_CONCURRENCY: '1' } });
    const options = {
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      maxAttempts: 1,
    };
    codebuild = new CodeBuildClient(options);
    codecommit = new CodeCommitClient(options);
    logs = new CloudWatchLogsClient(options);
  });

  afterAll(async () => {
    codebuild.destroy();
    codecommit.destroy();
    logs.destroy();
    await server.close();
  });

  it('unpacks an S3 source archive from the bucket and builds it', async () => {
    const s3 = new S3Client({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      forcePathStyle: true,
      maxAttempts: 1,
    });
    const zip = new yazl.ZipFile();
    zip.addBuffer(
      Buffer.from('version: 0.2\nphases:\n  build:\n    commands:\n      - ./run.sh\n'),
      'buildspec.yml',
    );
    zip.addBuffer(Buffer.from('#!/bin/sh\necho "from the archive"\n'), 'run.sh', {
      mode: 0o100755,
    });
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
    await s3.send(new CreateBucketCommand({ Bucket: 'sources' }));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'sources',
        Key: 'app/source.zip',
        Body: Buffer.concat(chunks),
      }),
    );
    s3.destroy();
    await codebuild.send(
      new CreateProjectCommand({
        name: 'from-s3',
        source: { type: 'S3', location: 'sources/app/source.zip' },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: {
          type: 'LINUX_CONTAINER',
          image: 'aws/codebuild/standard:7.0',
          computeType: 'BUILD_GENERAL1_SMALL',
        },
        serviceRole: 'arn:aws:iam::000000000000:role/codebuild',
      }),
    );
    const started = await codebuild.send(new StartBuildCommand({ projectName: 'from-s3' }));
    const build = await waitForBuild(codebuild, started.build?.id ?? '');
    expect(build.buildStatus).toBe('SUCCEEDED');
    const events = await logs.send(
      new GetLogEventsCommand({
        logGroupName: build.logs?.groupName,
        logStreamName: build.logs?.streamName,
        startFromHead: true,
      }),
    );
    expect(events.events?.map((e) => e.message)).toContain('from the archive');
  });

  it('clones the branch through the git door and builds the commit it names', async () => {
    const repository = await codecommit.send(
      new CreateRepositoryCommand({ repositoryName: 'app' }),
    );
    const commit = await codecommit.send(
      new PutFileCommand({
        repositoryName: 'app',
        branchName: 'main',
        filePath: 'buildspec.yml',
        fileContent: Buffer.from(
          'version: 0.2\nphases:\n  build:\n    commands:\n      - echo "commit $CODEBUILD_RESOLVED_SOURCE_VERSION"\n      - test -f buildspec.yml\n',
        ),
      }),
    );
    await codebuild.send(
      new CreateProjectCommand({
        name: 'app',
        source: { type: 'CODECOMMIT', location: repository.repositoryMetadata?.cloneUrlHttp },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: {
          type: 'LINUX_CONTAINER',
          image: 'aws/codebuild/standard:7.0',
          computeType: 'BUILD_GENERAL1_SMALL',
        },
        serviceRole: 'arn:aws:iam::000000000000:role/codebuild',
      }),
    );
    const started = await codebuild.send(
      new StartBuildCommand({ projectName: 'app', sourceVersion: 'main' }),
    );
    const build = await waitForBuild(codebuild, started.build?.id ?? '');
    expect(build.buildStatus).toBe('SUCCEEDED');
    expect(build.resolvedSourceVersion).toBe(commit.commitId);
    const events = await logs.send(
      new GetLogEventsCommand({
        logGroupName: build.logs?.groupName,
        logStreamName: build.logs?.streamName,
        startFromHead: true,
      }),
    );
    expect(events.events?.map((e) => e.message)).toContain(`commit ${commit.commitId ?? ''}`);
  });
});

interface CliBuild {
  readonly buildStatus: string;
  readonly startTime: number;
  readonly phases: readonly { readonly phaseType: string; readonly phaseStatus?: string }[];
  readonly exportedEnvironmentVariables: readonly { name: string; value: string }[];
}

describe('a live build log', () => {
  let server: TestServer;
  let codebuild: CodeBuildClient;

  beforeAll(async () => {
    server = await startTestServer({ env: { SLIPWAY_RUNNER_CONCURRENCY: '1' } });
    codebuild = new CodeBuildClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    codebuild.destroy();
    await server.close();
  });

  it('arrives while the build still runs', async () => {
    await codebuild.send(
      new CreateProjectCommand({
        name: 'live',
        source: {
          type: 'NO_SOURCE',
          buildspec:
            'version: 0.2\nphases:\n  build:\n    commands:\n      - echo early\n      - sleep 2\n      - echo late\n',
        },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: {
          type: 'LINUX_CONTAINER',
          image: 'aws/codebuild/standard:7.0',
          computeType: 'BUILD_GENERAL1_SMALL',
        },
        serviceRole: 'arn:aws:iam::000000000000:role/codebuild',
      }),
    );
    const id = (await codebuild.send(new StartBuildCommand({ projectName: 'live' }))).build?.id;
    const path = `/_slipway/console/v1/builds/${encodeURIComponent(id ?? '')}/logs`;
    const response = await fetch(new URL(path, server.url), {
      headers: await signHeaders({
        url: server.url,
        service: 'codebuild',
        method: 'GET',
        path,
        accessKeyId: server.accessKeyId,
        secretAccessKey: server.secretAccessKey,
      }),
    });
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let earlyWhileRunning: boolean | undefined;
    for (;;) {
      const chunk = await reader?.read();
      if (chunk === undefined || chunk.done) break;
      text += decoder.decode(chunk.value as Uint8Array, { stream: true });
      if (earlyWhileRunning === undefined && text.includes('"message":"early"')) {
        const now = (await codebuild.send(new BatchGetBuildsCommand({ ids: [id ?? ''] })))
          .builds?.[0];
        earlyWhileRunning = now?.buildComplete === false;
      }
    }
    expect(earlyWhileRunning).toBe(true);
    expect(text).toContain('"message":"late"');
    expect(text.endsWith('event: end\ndata: {}\n\n')).toBe(true);
  });
});

async function waitForBuild(codebuild: CodeBuildClient, id: string): Promise<Build> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const found = await codebuild.send(new BatchGetBuildsCommand({ ids: [id] }));
    const build = found.builds?.[0];
    if (build?.buildComplete === true) return build;
    if (Date.now() > deadline) throw new Error(`build ${id} did not end: ${JSON.stringify(build)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
