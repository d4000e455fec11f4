import {
  AddTagsToOnPremisesInstancesCommand,
  ApplicationDoesNotExistException,
  BatchGetOnPremisesInstancesCommand,
  CodeDeployClient,
  type CodeDeployServiceException,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentConfigCommand,
  CreateDeploymentGroupCommand,
  DeploymentConfigDoesNotExistException,
  DeploymentGroupDoesNotExistException,
  GetApplicationCommand,
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  GetOnPremisesInstanceCommand,
  InvalidMinimumHealthyHostValueException,
  ListDeploymentsCommand,
  RegisterApplicationRevisionCommand,
  RegisterOnPremisesInstanceCommand,
  RevisionDoesNotExistException,
  type RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { python } from '../support/aws-cli.ts';
import { awsCli, createVersionedBucket, putObject, zipOf } from '../support/codepipeline.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * CodeDeploy's resources through the three clients users have: the AWS CLI (`aws deploy`), boto3
 * and `@aws-sdk/client-codedeploy`. Applications, custom configurations, deployment groups that
 * select on-premises instances by tag, instances registered with IAM user ARNs, revisions, the
 * DoesNotExist errors, and deployments that fail before reaching an agent (no matching instance,
 * no bundle). Deployments run by agents are the deployments suites' subject.
 */
let server: TestServer;
const bucket = 'codedeploy-bundles';
const userArn = (name: string) => `arn:aws:iam::${server.accountId}:user/${name}`;
const roleArn = () => `arn:aws:iam::${server.accountId}:role/CodeDeployService`;
/** The CLI (v1, `cli_timestamp_format` none) prints times as sent: epoch seconds, about now. */
const nowInSeconds = () => expect.closeTo(Date.now() / 1000, -3) as unknown;

beforeAll(async () => {
  server = await startTestServer();
  await createVersionedBucket(server, bucket);
  await putObject(server, {
    bucket,
    key: 'app.zip',
    body: await zipOf({ 'appspec.yml': 'version: 0.0\nos: linux\n' }),
  });
}, 60_000);
afterAll(() => server?.close());

describe('CodeDeploy through the AWS CLI (aws deploy)', () => {
  const s3Location = `bucket=${bucket},key=app.zip,bundleType=zip`;

  it('creates an application, a configuration, a group and instances, and reads them back', async () => {
    const cli = awsCli(server);
    const deploy = <T = Record<string, unknown>>(...args: string[]) =>
      cli.json<T>('deploy', ...args);
    expect(await deploy('create-application', '--application-name', 'cli-shop')).toEqual({
      applicationId: expect.any(String) as unknown,
    });
    const { application } = await deploy<{ application: Record<string, unknown> }>(
      'get-application',
      '--application-name',
      'cli-shop',
    );
    expect(application).toMatchObject({
      applicationName: 'cli-shop',
      computePlatform: 'Server',
      linkedToGitHub: false,
      createTime: nowInSeconds(),
    });

    const config = ['--deployment-config-name', 'Cli.ThreeQuarters'];
    await deploy(
      'create-deployment-config',
      ...config,
      '--minimum-healthy-hosts',
      'type=FLEET_PERCENT,value=75',
    );
    expect(
      (
        await cli.error(
          'deploy',
          'create-deployment-config',
          '--deployment-config-name',
          'Cli.Bad',
          '--minimum-healthy-hosts',
          'type=FLEET_PERCENT,value=150',
        )
      ).code,
    ).toBe('InvalidMinimumHealthyHostValueException');
    expect(await deploy('get-deployment-config', ...config)).toEqual({
      deploymentConfigInfo: {
        deploymentConfigId: expect.any(String) as unknown,
        deploymentConfigName: 'Cli.ThreeQuarters',
        minimumHealthyHosts: { type: 'FLEET_PERCENT', value: 75 },
        createTime: nowInSeconds(),
        computePlatform: 'Server',
      },
    });

    const filter = 'Key=role,Value=cli-web,Type=KEY_AND_VALUE';
    await deploy(
      'create-deployment-group',
      ...['--application-name', 'cli-shop', '--deployment-group-name', 'web'],
      ...['--service-role-arn', roleArn(), ...config],
      ...['--on-premises-instance-tag-filters', filter],
    );
    for (const name of ['cli-web-1', 'cli-web-2']) {
      await deploy(
        'register-on-premises-instance',
        '--instance-name',
        name,
        '--iam-user-arn',
        userArn(name),
      );
    }
    await deploy(
      'add-tags-to-on-premises-instances',
      ...['--instance-names', 'cli-web-1', 'cli-web-2', '--tags', 'Key=role,Value=cli-web'],
    );
    expect(await deploy('get-on-premises-instance', '--instance-name', 'cli-web-1')).toEqual({
      instanceInfo: {
        instanceName: 'cli-web-1',
        iamUserArn: userArn('cli-web-1'),
        instanceArn: `arn:aws:codedeploy:us-east-1:${server.accountId}:instance/cli-web-1`,
        registerTime: nowInSeconds(),
        tags: [{ Key: 'role', Value: 'cli-web' }],
      },
    });
    expect(
      await deploy(
        'list-on-premises-instances',
        '--registration-status',
        'Registered',
        '--tag-filters',
        filter,
      ),
    ).toEqual({ instanceNames: ['cli-web-1', 'cli-web-2'] });

    const { deploymentGroupInfo } = await deploy<{ deploymentGroupInfo: Record<string, unknown> }>(
      'get-deployment-group',
      ...['--application-name', 'cli-shop', '--deployment-group-name', 'web'],
    );
    expect(deploymentGroupInfo).toMatchObject({
      deploymentGroupName: 'web',
      deploymentConfigName: 'Cli.ThreeQuarters',
      serviceRoleArn: roleArn(),
      onPremisesInstanceTagFilters: [{ Key: 'role', Value: 'cli-web', Type: 'KEY_AND_VALUE' }],
      deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
      computePlatform: 'Server',
    });
    const batch = await deploy<{ deploymentGroupsInfo: unknown[]; errorMessage?: string }>(
      'batch-get-deployment-groups',
      ...['--application-name', 'cli-shop', '--deployment-group-names', 'web', 'api'],
    );
    expect(batch.deploymentGroupsInfo).toHaveLength(1);
    expect(batch.errorMessage).toContain('api');
    // The CLI pages list-deployment-groups: it prints the merged deploymentGroups only.
    expect(await deploy('list-deployment-groups', '--application-name', 'cli-shop')).toEqual({
      deploymentGroups: ['web'],
    });
    const configs = await deploy<{ deploymentConfigsList: string[] }>('list-deployment-configs');
    expect(configs.deploymentConfigsList).toEqual(
      expect.arrayContaining(['CodeDeployDefault.OneAtATime', 'Cli.ThreeQuarters']),
    );
  });

  it('registers a revision and reads it back', async () => {
    const cli = awsCli(server);
    const deploy = (...args: string[]) => cli.json('deploy', ...args);
    await deploy('create-application', '--application-name', 'cli-revisions');
    const app = ['--application-name', 'cli-revisions'];
    await deploy(
      'register-application-revision',
      ...app,
      '--s3-location',
      s3Location,
      '--description',
      'first build',
    );
    expect(await deploy('get-application-revision', ...app, '--s3-location', s3Location)).toEqual({
      applicationName: 'cli-revisions',
      revision: { revisionType: 'S3', s3Location: { bucket, key: 'app.zip', bundleType: 'zip' } },
      revisionInfo: {
        description: 'first build',
        deploymentGroups: [],
        registerTime: nowInSeconds(),
      },
    });
    expect(await deploy('list-application-revisions', ...app)).toEqual({
      revisions: [
        { revisionType: 'S3', s3Location: { bucket, key: 'app.zip', bundleType: 'zip' } },
      ],
    });
  });

  it('tags, lists and untags an application and a deployment group by ARN', async () => {
    const cli = awsCli(server);
    const deploy = <T = Record<string, unknown>>(...args: string[]) =>
      cli.json<T>('deploy', ...args);
    const arn = (resource: string) =>
      `arn:aws:codedeploy:us-east-1:${server.accountId}:${resource}`;
    await deploy(
      'create-application',
      ...['--application-name', 'cli-tagged', '--tags', 'Key=team,Value=delivery'],
    );
    await deploy(
      'create-deployment-group',
      ...['--application-name', 'cli-tagged', '--deployment-group-name', 'web'],
      ...['--service-role-arn', roleArn(), '--tags', 'Key=tier,Value=front'],
    );
    const listTags = (resourceArn: string) =>
      deploy('list-tags-for-resource', '--resource-arn', resourceArn);
    for (const [resource, given, added] of [
      ['application:cli-tagged', { Key: 'team', Value: 'delivery' }, 'Key=cost,Value=42'],
      ['deploymentgroup:cli-tagged/web', { Key: 'tier', Value: 'front' }, 'Key=cost,Value=42'],
    ] as const) {
      expect(await listTags(arn(resource))).toEqual({ Tags: [given] });
      await deploy('tag-resource', '--resource-arn', arn(resource), '--tags', added);
      expect(await listTags(arn(resource))).toEqual({
        Tags: [given, { Key: 'cost', Value: '42' }],
      });
      await deploy('untag-resource', '--resource-arn', arn(resource), '--tag-keys', given.Key);
      expect(await listTags(arn(resource))).toEqual({ Tags: [{ Key: 'cost', Value: '42' }] });
    }
    expect(
      (
        await cli.error(
          'deploy',
          'tag-resource',
          ...['--resource-arn', arn('deploymentgroup:cli-tagged/gone')],
          ...['--tags', 'Key=a,Value=b'],
        )
      ).code,
    ).toBe('DeploymentGroupDoesNotExistException');
    expect(
      (await cli.error('deploy', 'list-tags-for-resource', '--resource-arn', 'not-an-arn')).code,
    ).toBe('InvalidArnException');
  });

  it('renames, untags, deregisters and deletes', async () => {
    const cli = awsCli(server);
    const deploy = <T = Record<string, unknown>>(...args: string[]) =>
      cli.json<T>('deploy', ...args);
    await deploy('create-application', '--application-name', 'cli-old');
    await deploy(
      'create-deployment-group',
      ...['--application-name', 'cli-old', '--deployment-group-name', 'blue'],
      ...['--service-role-arn', roleArn()],
    );
    await deploy(
      'register-on-premises-instance',
      '--instance-name',
      'cli-gone-1',
      '--iam-user-arn',
      userArn('cli-gone-1'),
    );
    await deploy(
      'add-tags-to-on-premises-instances',
      '--instance-names',
      'cli-gone-1',
      '--tags',
      'Key=env,Value=old',
    );

    await deploy(
      'update-deployment-group',
      ...['--application-name', 'cli-old', '--current-deployment-group-name', 'blue'],
      ...['--new-deployment-group-name', 'green'],
    );
    await deploy(
      'update-application',
      '--application-name',
      'cli-old',
      '--new-application-name',
      'cli-new',
    );
    expect(await deploy('list-deployment-groups', '--application-name', 'cli-new')).toMatchObject({
      deploymentGroups: ['green'],
    });
    await deploy(
      'remove-tags-from-on-premises-instances',
      '--instance-names',
      'cli-gone-1',
      '--tags',
      'Key=env,Value=old',
    );
    await deploy('deregister-on-premises-instance', '--instance-name', 'cli-gone-1');
    const gone = await deploy<{ instanceInfo: Record<string, unknown> }>(
      'get-on-premises-instance',
      '--instance-name',
      'cli-gone-1',
    );
    expect(gone.instanceInfo).toMatchObject({
      tags: [],
      deregisterTime: nowInSeconds(),
    });
    expect(
      (
        await deploy<{ instanceNames: string[] }>(
          'list-on-premises-instances',
          '--registration-status',
          'Deregistered',
        )
      ).instanceNames,
    ).toContain('cli-gone-1');

    await deploy(
      'delete-deployment-group',
      '--application-name',
      'cli-new',
      '--deployment-group-name',
      'green',
    );
    await deploy('delete-application', '--application-name', 'cli-new');
    const apps = await deploy<{ applications: string[] }>('list-applications');
    expect(apps.applications).not.toContain('cli-new');
    await deploy(
      'create-deployment-config',
      '--deployment-config-name',
      'Cli.Temp',
      '--minimum-healthy-hosts',
      'type=HOST_COUNT,value=1',
    );
    await deploy('delete-deployment-config', '--deployment-config-name', 'Cli.Temp');
  });

  it('answers the DoesNotExist errors for a missing application, group and configuration', async () => {
    const cli = awsCli(server);
    const error = async (...args: string[]) => (await cli.error('deploy', ...args)).code;
    expect(await error('get-application', '--application-name', 'cli-none')).toBe(
      'ApplicationDoesNotExistException',
    );
    expect(
      await error(
        'get-deployment-group',
        '--application-name',
        'cli-none',
        '--deployment-group-name',
        'web',
      ),
    ).toBe('ApplicationDoesNotExistException');
    await cli.json('deploy', 'create-application', '--application-name', 'cli-lonely');
    expect(
      await error(
        'get-deployment-group',
        '--application-name',
        'cli-lonely',
        '--deployment-group-name',
        'none',
      ),
    ).toBe('DeploymentGroupDoesNotExistException');
    expect(await error('get-deployment-config', '--deployment-config-name', 'Cli.None')).toBe(
      'DeploymentConfigDoesNotExistException',
    );
  });

  it('fails a deployment to a group that matches no instance with NO_INSTANCES', async () => {
    const cli = awsCli(server);
    const deploy = <T = Record<string, unknown>>(...args: string[]) =>
      cli.json<T>('deploy', ...args);
    await deploy('create-application', '--application-name', 'cli-empty');
    const group = ['--application-name', 'cli-empty', '--deployment-group-name', 'nobody'];
    await deploy(
      'create-deployment-group',
      ...group,
      ...[
        '--service-role-arn',
        roleArn(),
        '--on-premises-instance-tag-filters',
        'Key=cli-nobody,Type=KEY_ONLY',
      ],
    );
    const { deploymentId } = await deploy<{ deploymentId: string }>(
      'create-deployment',
      ...group,
      '--s3-location',
      s3Location,
    );
    // No instance to wait for: the deployment fails as it is created.
    const { deploymentInfo } = await deploy<{ deploymentInfo: Record<string, unknown> }>(
      'get-deployment',
      ...['--deployment-id', deploymentId],
    );
    expect(deploymentInfo).toMatchObject({
      status: 'Failed',
      errorInformation: { code: 'NO_INSTANCES' },
      creator: 'user',
      completeTime: nowInSeconds(),
    });
    const missing = await cli.error(
      'deploy',
      'create-deployment',
      ...group,
      ...['--s3-location', `bucket=${bucket},key=none.zip,bundleType=zip`],
    );
    expect(missing.code).toBe('RevisionDoesNotExistException');
  });
});

describe('CodeDeploy through boto3', () => {
  it('round-trips applications, configurations, groups, instances and revisions', async () => {
    const script = `
import json, boto3
from botocore.exceptions import ClientError
cd = boto3.client('codedeploy', endpoint_url='${server.url}', region_name='us-east-1',
                  aws_access_key_id='${server.accessKeyId}', aws_secret_access_key='${server.secretAccessKey}')
def call(_op, **kw):
    try:
        r = getattr(cd, _op)(**kw)
        r.pop('ResponseMetadata', None)
        return r
    except ClientError as e:
        return {'error': e.response['Error']['Code'], 'status': e.response['ResponseMetadata']['HTTPStatusCode']}
revision = {'revisionType': 'S3', 's3Location': {'bucket': '${bucket}', 'key': 'app.zip', 'bundleType': 'zip'}}
out = {}
call('create_application', applicationName='boto-shop', computePlatform='Server', tags=[{'Key': 'team', 'Value': 'ops'}])
out['app'] = call('get_application', applicationName='boto-shop')['application']
out['badConfig'] = call('create_deployment_config', deploymentConfigName='Boto.Bad', minimumHealthyHosts={'type': 'HOST_COUNT', 'value': -1})
call('create_deployment_config', deploymentConfigName='Boto.Two', minimumHealthyHosts={'type': 'HOST_COUNT', 'value': 2})
out['config'] = call('get_deployment_config', deploymentConfigName='Boto.Two')['deploymentConfigInfo']
call('create_deployment_group', applicationName='boto-shop', deploymentGroupName='web', serviceRoleArn='${roleArn()}',
     deploymentConfigName='Boto.Two', onPremisesTagSet={'onPremisesTagSetList': [[{'Key': 'role', 'Value': 'boto-web', 'Type': 'KEY_AND_VALUE'}]]})
out['group'] = call('get_deployment_group', applicationName='boto-shop', deploymentGroupName='web')['deploymentGroupInfo']
call('register_on_premises_instance', instanceName='boto-web-1', iamUserArn='${userArn('boto-web-1')}')
call('add_tags_to_on_premises_instances', instanceNames=['boto-web-1'], tags=[{'Key': 'role', 'Value': 'boto-web'}])
out['instances'] = call('batch_get_on_premises_instances', instanceNames=['boto-web-1'])['instanceInfos']
out['taken'] = call('register_on_premises_instance', instanceName='boto-web-2', iamUserArn='${userArn('boto-web-1')}')
call('register_application_revision', applicationName='boto-shop', revision=revision, description='boto')
out['revision'] = call('get_application_revision', applicationName='boto-shop', revision=revision)
out['revisions'] = call('batch_get_application_revisions', applicationName='boto-shop', revisions=[revision])
out['apps'] = call('batch_get_applications', applicationNames=['boto-shop'])['applicationsInfo']
out['paged'] = [a for page in cd.get_paginator('list_applications').paginate() for a in page['applications']]
out['missingApp'] = call('get_application', applicationName='boto-none')
out['missingGroup'] = call('get_deployment_group', applicationName='boto-shop', deploymentGroupName='none')
out['missingConfig'] = call('get_deployment_config', deploymentConfigName='Boto.None')
out['deleteGroup'] = call('delete_deployment_group', applicationName='boto-shop', deploymentGroupName='web')
out['deleteConfig'] = call('delete_deployment_config', deploymentConfigName='Boto.Two')
out['deleteApp'] = call('delete_application', applicationName='boto-shop')
print(json.dumps(out, default=str))
`;
    const result = await python(script, {});
    if (result.code !== 0) throw new Error(result.stderr);
    const out = JSON.parse(result.stdout) as Record<string, unknown>;
    // default=str prints botocore's datetimes: they were parsed from epoch seconds.
    const datetime = expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/) as unknown;
    expect(out.app).toMatchObject({ applicationName: 'boto-shop', createTime: datetime });
    expect(out.badConfig).toEqual({
      error: 'InvalidMinimumHealthyHostValueException',
      status: 400,
    });
    expect(out.config).toMatchObject({
      minimumHealthyHosts: { type: 'HOST_COUNT', value: 2 },
      createTime: datetime,
    });
    expect(out.group).toMatchObject({
      deploymentConfigName: 'Boto.Two',
      onPremisesTagSet: {
        onPremisesTagSetList: [[{ Key: 'role', Value: 'boto-web', Type: 'KEY_AND_VALUE' }]],
      },
    });
    expect(out.instances).toEqual([
      expect.objectContaining({
        instanceName: 'boto-web-1',
        iamUserArn: userArn('boto-web-1'),
        tags: [{ Key: 'role', Value: 'boto-web' }],
        registerTime: datetime,
      }),
    ]);
    expect(out.taken).toEqual({ error: 'IamUserArnAlreadyRegisteredException', status: 400 });
    expect(out.revision).toMatchObject({
      revisionInfo: { description: 'boto', registerTime: datetime },
    });
    expect(out.revisions).toMatchObject({
      applicationName: 'boto-shop',
      revisions: [{ genericRevisionInfo: { description: 'boto' } }],
    });
    expect(out.apps).toEqual([expect.objectContaining({ applicationName: 'boto-shop' })]);
    expect(out.paged).toContain('boto-shop');
    expect(out.missingApp).toEqual({ error: 'ApplicationDoesNotExistException', status: 400 });
    expect(out.missingGroup).toEqual({
      error: 'DeploymentGroupDoesNotExistException',
      status: 400,
    });
    expect(out.missingConfig).toEqual({
      error: 'DeploymentConfigDoesNotExistException',
      status: 400,
    });
    expect(out.deleteGroup).toEqual({ hooksNotCleanedUp: [] });
    expect(out.deleteConfig).toEqual({});
    expect(out.deleteApp).toEqual({});
  });
});

describe('CodeDeploy through @aws-sdk/client-codedeploy', () => {
  let client: CodeDeployClient;
  beforeAll(() => {
    client = new CodeDeployClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      maxAttempts: 1,
    });
  });
  afterAll(() => client?.destroy());

  const revision: RevisionLocation = {
    revisionType: 'S3',
    s3Location: { bucket, key: 'app.zip', bundleType: 'zip' },
  };

  it('parses dates and answers with typed exceptions', async () => {
    await client.send(new CreateApplicationCommand({ applicationName: 'sdk-shop' }));
    const { application } = await client.send(
      new GetApplicationCommand({ applicationName: 'sdk-shop' }),
    );
    expect(application?.createTime).toBeInstanceOf(Date);
    await expect(
      client.send(
        new CreateDeploymentConfigCommand({
          deploymentConfigName: 'Sdk.Bad',
          minimumHealthyHosts: { type: 'FLEET_PERCENT', value: 101 },
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidMinimumHealthyHostValueException);
    await expect(
      client.send(new GetApplicationCommand({ applicationName: 'sdk-none' })),
    ).rejects.toBeInstanceOf(ApplicationDoesNotExistException);
    await expect(
      client.send(
        new GetDeploymentGroupCommand({ applicationName: 'sdk-shop', deploymentGroupName: 'none' }),
      ),
    ).rejects.toBeInstanceOf(DeploymentGroupDoesNotExistException);
    await expect(
      client.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'Sdk.None' })),
    ).rejects.toBeInstanceOf(DeploymentConfigDoesNotExistException);
  });

  it('registers instances with IAM user ARNs and a revision, and reads them back', async () => {
    await client.send(new CreateApplicationCommand({ applicationName: 'sdk-revisions' }));
    await client.send(
      new RegisterOnPremisesInstanceCommand({
        instanceName: 'sdk-web-1',
        iamUserArn: userArn('sdk-web-1'),
      }),
    );
    await client.send(
      new AddTagsToOnPremisesInstancesCommand({
        instanceNames: ['sdk-web-1'],
        tags: [{ Key: 'role', Value: 'sdk' }],
      }),
    );
    const { instanceInfo } = await client.send(
      new GetOnPremisesInstanceCommand({ instanceName: 'sdk-web-1' }),
    );
    expect(instanceInfo).toMatchObject({
      iamUserArn: userArn('sdk-web-1'),
      tags: [{ Key: 'role', Value: 'sdk' }],
    });
    expect(instanceInfo?.registerTime).toBeInstanceOf(Date);
    const { instanceInfos } = await client.send(
      new BatchGetOnPremisesInstancesCommand({ instanceNames: ['sdk-web-1', 'sdk-none'] }),
    );
    expect(instanceInfos?.map((i) => i.instanceName)).toEqual(['sdk-web-1']);
    await client.send(
      new RegisterApplicationRevisionCommand({
        applicationName: 'sdk-revisions',
        revision,
        description: 'sdk',
      }),
    );
    const got = await client.send(
      new GetApplicationRevisionCommand({ applicationName: 'sdk-revisions', revision }),
    );
    expect(got.revisionInfo?.description).toBe('sdk');
    expect(got.revisionInfo?.registerTime).toBeInstanceOf(Date);
  });

  it('fails a deployment without instances, and refuses one whose bundle is missing', async () => {
    await client.send(new CreateApplicationCommand({ applicationName: 'sdk-empty' }));
    const group = { applicationName: 'sdk-empty', deploymentGroupName: 'nobody' };
    await client.send(
      new CreateDeploymentGroupCommand({
        ...group,
        serviceRoleArn: roleArn(),
        onPremisesInstanceTagFilters: [{ Key: 'role', Value: 'nobody', Type: 'KEY_AND_VALUE' }],
      }),
    );
    const { deploymentId } = await client.send(new CreateDeploymentCommand({ ...group, revision }));
    const { deploymentInfo: info } = await client.send(new GetDeploymentCommand({ deploymentId }));
    expect(info?.status).toBe('Failed');
    expect(info?.errorInformation?.code).toBe('NO_INSTANCES');
    expect(info?.createTime).toBeInstanceOf(Date);
    expect(info?.deploymentOverview).toEqual({
      Pending: 0,
      InProgress: 0,
      Succeeded: 0,
      Failed: 0,
      Skipped: 0,
      Ready: 0,
    });
    const listed = await client.send(new ListDeploymentsCommand(group));
    expect(listed.deployments).toEqual([deploymentId]);
    const missing = await client
      .send(
        new CreateDeploymentCommand({
          ...group,
          revision: {
            revisionType: 'S3',
            s3Location: { bucket, key: 'none.zip', bundleType: 'zip' },
          },
        }),
      )
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(RevisionDoesNotExistException);
    expect((missing as CodeDeployServiceException).$metadata.httpStatusCode).toBe(400);
  });
});
