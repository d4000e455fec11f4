import { afterAll, beforeAll, describe, it } from 'vitest';
import { python } from '../support/aws-cli.ts';
import {
  approvalAction,
  createVersionedBucket,
  pipelineDeclaration,
  putObject,
  s3Source,
  stage,
  zipOf,
} from '../support/codepipeline.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/** CodePipeline through boto3, the SDK most automation uses: a round trip and error shapes. */
let server: TestServer;
const bucket = 'boto3-sources';

beforeAll(async () => {
  server = await startTestServer();
  await createVersionedBucket(server, bucket);
  await putObject(server, { bucket, key: 'app.zip', body: await zipOf({ 'app.txt': 'app\n' }) });
}, 60_000);
afterAll(() => server?.close());

/**
 * Runs a Python body with `cp` (a boto3 CodePipeline client for the server), `call(name, **kw)`
 * (the result without ResponseMetadata, or {'error': code, 'status', 'message'}) and
 * `until(probe)`; prints `out` as JSON.
 */
async function boto3(body: string): Promise<Record<string, unknown>> {
  const script = `
import json, time, boto3
from botocore.exceptions import ClientError
cp = boto3.client('codepipeline', endpoint_url='${server.url}', region_name='us-east-1',
                  aws_access_key_id='${server.accessKeyId}', aws_secret_access_key='${server.secretAccessKey}')
def call(_op, **kw):
    try:
        r = getattr(cp, _op)(**kw)
        r.pop('ResponseMetadata', None)
        return r
    except ClientError as e:
        return {'error': e.response['Error']['Code'], 'status': e.response['ResponseMetadata']['HTTPStatusCode'],
                'message': e.response['Error']['Message']}
def until(probe, seconds=90):
    deadline = time.time() + seconds
    while True:
        value = probe()
        if value is not None:
            return value
        if time.time() > deadline:
            raise Exception('timed out')
        time.sleep(0.2)
out = {}
${body}
print(json.dumps(out, default=str))
`;
  const result = await python(script, {});
  if (result.code !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe.concurrent('CodePipeline through boto3', () => {
  it('creates, reads, lists, starts and follows a pipeline; tags it', async ({ expect }) => {
    const declaration = pipelineDeclaration('boto-flow', [
      stage('Source', [s3Source({ bucket, key: 'app.zip' })]),
      stage('Hold', [approvalAction()]),
    ]);
    const out = await boto3(`
out['create'] = call('create_pipeline', pipeline=json.loads('''${JSON.stringify(declaration)}'''),
                     tags=[{'key': 'team', 'value': 'delivery'}])
out['get'] = call('get_pipeline', name='boto-flow')
out['list'] = call('list_pipelines')
first = until(lambda: (call('list_pipeline_executions', pipelineName='boto-flow')['pipelineExecutionSummaries'] or [None])[-1])
def waiting_approval(execution_id):
    details = call('list_action_executions', pipelineName='boto-flow',
                   filter={'pipelineExecutionId': execution_id})['actionExecutionDetails']
    approval = [d for d in details if d['actionName'] == 'Approve' and d['status'] == 'InProgress']
    return approval[0] if approval else None
token = until(lambda: waiting_approval(first['pipelineExecutionId']))['output']['executionResult']['externalExecutionId']
out['approve'] = call('put_approval_result', pipelineName='boto-flow', stageName='Hold', actionName='Approve',
                      result={'summary': 'ok', 'status': 'Approved'}, token=token)
until(lambda: call('get_pipeline_execution', pipelineName='boto-flow', pipelineExecutionId=first['pipelineExecutionId'])['pipelineExecution']['status'] == 'Succeeded' or None)
started = call('start_pipeline_execution', name='boto-flow', clientRequestToken='boto-start-1')
out['start'] = started
out['start_again'] = call('start_pipeline_execution', name='boto-flow', clientRequestToken='boto-start-1')
until(lambda: waiting_approval(started['pipelineExecutionId']))
out['execution'] = call('get_pipeline_execution', pipelineName='boto-flow', pipelineExecutionId=started['pipelineExecutionId'])
out['state'] = call('get_pipeline_state', name='boto-flow')
out['executions'] = call('list_pipeline_executions', pipelineName='boto-flow')
out['actions'] = call('list_action_executions', pipelineName='boto-flow', filter={'pipelineExecutionId': started['pipelineExecutionId']})
arn = out['get']['metadata']['pipelineArn']
call('tag_resource', resourceArn=arn, tags=[{'key': 'stage', 'value': 'beta'}])
out['tags'] = call('list_tags_for_resource', resourceArn=arn)
call('untag_resource', resourceArn=arn, tagKeys=['team'])
out['untagged'] = call('list_tags_for_resource', resourceArn=arn)
out['first'] = first['pipelineExecutionId']
`);
    const id = (out.start as { pipelineExecutionId: string }).pipelineExecutionId;
    expect(out.create).toMatchObject({
      pipeline: { name: 'boto-flow', version: 1 },
      tags: [{ key: 'team', value: 'delivery' }],
    });
    expect(out.get).toMatchObject({
      pipeline: { name: 'boto-flow', version: 1, pipelineType: 'V2' },
      metadata: { pipelineArn: `arn:aws:codepipeline:us-east-1:${server.accountId}:boto-flow` },
    });
    expect((out.list as { pipelines: { name: string }[] }).pipelines.map((p) => p.name)).toEqual([
      'boto-flow',
    ]);
    expect(out.approve).toEqual({ approvedAt: expect.any(String) as unknown });
    expect(out.start_again).toEqual({ pipelineExecutionId: id });
    expect(out.execution).toMatchObject({
      pipelineExecution: {
        pipelineExecutionId: id,
        status: 'InProgress',
        trigger: { triggerType: 'StartPipelineExecution' },
        artifactRevisions: [{ name: 'SourceOutput', revisionId: expect.any(String) as unknown }],
      },
    });
    expect(out.state).toMatchObject({
      pipelineName: 'boto-flow',
      pipelineVersion: 1,
      stageStates: [
        { stageName: 'Source', latestExecution: { pipelineExecutionId: id, status: 'Succeeded' } },
        {
          stageName: 'Hold',
          latestExecution: { pipelineExecutionId: id, status: 'InProgress' },
          actionStates: [{ actionName: 'Approve', latestExecution: { status: 'InProgress' } }],
        },
      ],
    });
    const summaries = (
      out.executions as {
        pipelineExecutionSummaries: { pipelineExecutionId: string; status: string }[];
      }
    ).pipelineExecutionSummaries;
    expect(summaries.map((e) => [e.pipelineExecutionId, e.status])).toEqual([
      [id, 'InProgress'],
      [out.first, 'Succeeded'],
    ]);
    const details = (
      out.actions as {
        actionExecutionDetails: { actionName: string; status: string; stageName: string }[];
      }
    ).actionExecutionDetails;
    expect(details.map((d) => [d.stageName, d.actionName, d.status])).toEqual([
      ['Hold', 'Approve', 'InProgress'],
      ['Source', 'Source', 'Succeeded'],
    ]);
    const sortedTags = (out.tags as { tags: { key: string }[] }).tags.sort((a, b) =>
      a.key.localeCompare(b.key),
    );
    expect(sortedTags).toEqual([
      { key: 'stage', value: 'beta' },
      { key: 'team', value: 'delivery' },
    ]);
    expect(out.untagged).toEqual({ tags: [{ key: 'stage', value: 'beta' }] });
  });

  it('parses the error shapes: modeled exceptions, codes, statuses', async ({ expect }) => {
    const out = await boto3(`
try:
    cp.get_pipeline(name='no-such-pipeline')
    out['modeled'] = 'no error'
except cp.exceptions.PipelineNotFoundException as e:
    out['modeled'] = type(e).__name__
out['missing'] = call('get_pipeline', name='no-such-pipeline')
out['start_missing'] = call('start_pipeline_execution', name='no-such-pipeline')
out['too_many'] = call('list_pipelines', maxResults=5000)
out['bad_name'] = call('get_pipeline_state', name='has spaces')
out['missing_execution'] = call('get_pipeline_execution', pipelineName='no-such-pipeline',
                                pipelineExecutionId='00000000-0000-4000-8000-000000000000')
`);
    expect(out.modeled).toBe('PipelineNotFoundException');
    expect(out.missing).toMatchObject({ error: 'PipelineNotFoundException', status: 400 });
    expect(out.start_missing).toMatchObject({ error: 'PipelineNotFoundException', status: 400 });
    expect(out.too_many).toMatchObject({ error: 'ValidationException', status: 400 });
    expect((out.too_many as { message: string }).message).toMatch(/maxResults/);
    expect(out.bad_name).toMatchObject({ error: 'ValidationException', status: 400 });
    expect(out.missing_execution).toMatchObject({ error: 'PipelineNotFoundException' });
  });
});
