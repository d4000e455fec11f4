import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { aws } from '../support/aws-cli.ts';
import { bundleOf, codeDeployClient, waitForDeployment } from '../support/codedeploy.ts';
import { slipwayBin, startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * An on-premises host set up as AWS documents it: `aws deploy register` makes the IAM user, its
 * key and policy, writes codedeploy.onpremises.yml, registers and tags the instance; then
 * `slipway agent --config codedeploy.onpremises.yml` on the host, a separate process, deploys.
 */
describe('aws deploy register, then slipway agent with the file it wrote', () => {
  let server: TestServer;
  let work: string;
  let agent: ChildProcess | undefined;
  const cli = async (args: string[], cwd?: string) => {
    const result = await aws([...args, '--region', 'us-east-1'], server.awsEnv, cwd);
    if (result.code !== 0) throw new Error(`aws ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };

  beforeAll(async () => {
    server = await startTestServer();
    work = await mkdtemp(join(tmpdir(), 'slipway-register-'));
  }, 60_000);

  afterAll(async () => {
    agent?.kill('SIGTERM');
    await server?.close();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('registers the instance with its own IAM user, and the agent deploys with that key', async () => {
    const output = await cli(
      ['deploy', 'register', '--instance-name', 'web-7', '--tags', 'Key=env,Value=prod'],
      work,
    );
    expect(output).toContain('Registering the on-premises instance... DONE');
    const config = parse(await readFile(join(work, 'codedeploy.onpremises.yml'), 'utf8')) as {
      iam_user_arn: string;
      aws_access_key_id: string;
    };
    expect(config.iam_user_arn).toMatch(/^arn:aws:iam::\d{12}:user\/AWS\/CodeDeploy\/web-7$/);
    const instance = JSON.parse(
      await cli(['deploy', 'get-on-premises-instance', '--instance-name', 'web-7']),
    ) as { instanceInfo: { iamUserArn: string; tags: unknown[] } };
    expect(instance.instanceInfo).toMatchObject({
      iamUserArn: config.iam_user_arn,
      tags: [{ Key: 'env', Value: 'prod' }],
    });

    agent = spawn(
      process.execPath,
      [
        slipwayBin,
        'agent',
        '--server',
        server.url,
        '--config',
        join(work, 'codedeploy.onpremises.yml'),
        '--instance-name',
        'web-7',
        '--root',
        join(work, 'agent-root'),
      ],
      { stdio: 'ignore', env: { PATH: process.env.PATH ?? '' } },
    );

    const destination = join(work, 'www');
    const bundle = await bundleOf({
      'appspec.yml': [
        'version: 0.0',
        'os: linux',
        'files:',
        '  - source: index.html',
        `    destination: ${destination}`,
        'hooks:',
        '  ValidateService:',
        '    - location: check.sh',
        '',
      ].join('\n'),
      'index.html': 'registered host\n',
      'check.sh': `#!/bin/sh\ngrep -q registered ${destination}/index.html\n`,
    });
    await cli(['s3', 'mb', 's3://register-revisions']);
    const file = join(work, 'bundle.zip');
    await writeFile(file, bundle);
    await cli(['s3', 'cp', file, 's3://register-revisions/app.zip']);
    await cli(['deploy', 'create-application', '--application-name', 'registered']);
    await cli([
      'deploy',
      'create-deployment-group',
      '--application-name',
      'registered',
      '--deployment-group-name',
      'prod',
      '--service-role-arn',
      'arn:aws:iam::123456789012:role/deploy',
      '--on-premises-instance-tag-filters',
      'Key=env,Value=prod,Type=KEY_AND_VALUE',
    ]);
    const client = codeDeployClient(server);
    try {
      const { deploymentId } = await client.send(
        new CreateDeploymentCommand({
          applicationName: 'registered',
          deploymentGroupName: 'prod',
          revision: {
            revisionType: 'S3',
            s3Location: { bucket: 'register-revisions', key: 'app.zip', bundleType: 'zip' },
          },
        }),
      );
      const info = await waitForDeployment(client, deploymentId ?? '');
      expect(info).toMatchObject({ status: 'Succeeded', deploymentOverview: { Succeeded: 1 } });
      expect(await readFile(join(destination, 'index.html'), 'utf8')).toBe('registered host\n');
    } finally {
      client.destroy();
    }
  }, 90_000);
});
