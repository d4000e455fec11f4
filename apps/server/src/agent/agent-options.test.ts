import { describe, expect, it } from 'vitest';
import { resolveAgentSettings, type AgentSettingsInput } from './agent-options.ts';

function input(overrides: Partial<AgentSettingsInput> = {}): AgentSettingsInput {
  return {
    flags: { server: 'http://127.0.0.1:4750' },
    env: {},
    hostname: 'web-1',
    tmpdir: '/tmp',
    ...overrides,
  };
}

const onPremisesConfig = [
  '---',
  'aws_access_key_id: AKIDFROMCONFIG000001',
  'aws_secret_access_key: secret-from-config',
  'iam_user_arn: arn:aws:iam::000000000000:user/web-1',
  'region: eu-west-1',
].join('\n');

describe('resolveAgentSettings', () => {
  it("reads CodeDeploy's codedeploy.onpremises.yml", () => {
    const resolved = resolveAgentSettings(input({ configText: onPremisesConfig }));
    expect(resolved).toMatchObject({
      ok: true,
      settings: {
        region: 'eu-west-1',
        hostIdentifier: 'arn:aws:iam::000000000000:user/web-1',
        credentials: { accessKeyId: 'AKIDFROMCONFIG000001', secretAccessKey: 'secret-from-config' },
        root: '/tmp/slipway-agent/web-1',
        instanceName: 'web-1',
      },
    });
  });

  it('takes keys from the environment and leaves the identifier to STS', () => {
    const resolved = resolveAgentSettings(
      input({
        flags: { server: 'http://s', 'instance-name': 'i-1', region: 'us-west-2' },
        env: { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'sk', AWS_REGION: 'eu-north-1' },
      }),
    );
    expect(resolved).toMatchObject({
      ok: true,
      settings: { region: 'us-west-2', hostIdentifier: undefined, root: '/tmp/slipway-agent/i-1' },
    });
  });

  it('reports every problem at once', () => {
    const resolved = resolveAgentSettings(input({ flags: {}, configText: 'region: [1]' }));
    expect(resolved.ok).toBe(false);
    expect(!resolved.ok && resolved.problems).toEqual([
      '--config: region must be a non-empty string',
      '--server is required (or SLIPWAY_SERVER)',
      expect.stringMatching(/^credentials are required/),
    ]);
  });
});
