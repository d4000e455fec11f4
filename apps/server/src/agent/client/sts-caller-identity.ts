import { xmlErrorOf } from './host-command-error.ts';
import { sendSigned, type AgentCredentials } from './signed-request.ts';

/**
 * The ARN of the IAM user whose keys the agent holds, from the server's STS GetCallerIdentity
 * (query protocol, signing name `sts`): the host's identifier when the config names none.
 */
export async function getCallerArn(options: {
  readonly server: string;
  readonly region: string;
  readonly credentials: AgentCredentials;
  readonly fetch?: typeof fetch;
}): Promise<string> {
  const response = await sendSigned({
    server: options.server,
    service: 'sts',
    region: options.region,
    credentials: options.credentials,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
    timeoutMs: 30_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  if (!response.ok) throw await xmlErrorOf(response);
  const text = await response.text();
  const arn = /<Arn>([^<]+)<\/Arn>/.exec(text)?.[1];
  if (arn === undefined) throw new Error('GetCallerIdentity answered without an Arn');
  return unescapeXml(arn.trim());
}

function unescapeXml(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');
}
