import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  CommandStatus,
  DeploymentSpecification,
  HostCommandInstance,
} from '@slipway/protocol';

export interface RecordedCall {
  readonly operation: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/**
 * A tiny stand-in for the server's side of CodeDeployCommandService_v20141006 (and STS
 * GetCallerIdentity), recording every call. Polls are held briefly when no command waits.
 */
export class FakeCommandServer {
  readonly calls: RecordedCall[] = [];
  readonly commands: HostCommandInstance[] = [];
  spec: DeploymentSpecification | undefined;
  bundleFile: string | undefined;
  callerArn = 'arn:aws:iam::000000000000:user/host-1';
  /** The answer to each PostHostCommandUpdate. */
  updateStatus: (call: RecordedCall) => CommandStatus = () => 'InProgress';
  readonly #server: Server;

  constructor() {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.method === 'GET') {
          response.end(this.bundleFile === undefined ? '' : readFileSync(this.bundleFile));
          return;
        }
        const text = Buffer.concat(chunks).toString();
        const target = request.headers['x-amz-target'];
        const operation =
          typeof target === 'string' ? (target.split('.')[1] ?? '') : 'GetCallerIdentity';
        const body =
          typeof target === 'string' ? (JSON.parse(text) as Record<string, unknown>) : {};
        const call = { operation, headers: request.headers, body };
        this.calls.push(call);
        void this.#answer(call).then(([status, answer]) => {
          response.statusCode = status;
          response.end(answer);
        });
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  of(operation: string): RecordedCall[] {
    return this.calls.filter((call) => call.operation === operation);
  }

  async #answer(call: RecordedCall): Promise<[number, string]> {
    switch (call.operation) {
      case 'GetCallerIdentity':
        return [
          200,
          `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>${this.callerArn}</Arn>` +
            '</GetCallerIdentityResult></GetCallerIdentityResponse>',
        ];
      case 'PollHostCommand': {
        const command = this.commands.shift();
        if (command === undefined) await new Promise((resolve) => setTimeout(resolve, 200));
        return [200, JSON.stringify(command === undefined ? {} : { HostCommand: command })];
      }
      case 'GetDeploymentSpecification':
        return [
          200,
          JSON.stringify({
            DeploymentSystem: 'CodeDeploy',
            DeploymentSpecification: {
              GenericEnvelope: { Format: 'TEXT/JSON', Payload: JSON.stringify(this.spec) },
            },
          }),
        ];
      case 'PutHostCommandAcknowledgement':
        return [200, JSON.stringify({ CommandStatus: 'InProgress' })];
      case 'PostHostCommandUpdate':
        return [200, JSON.stringify({ CommandStatus: this.updateStatus(call) })];
      case 'PutHostCommandComplete':
        return [200, '{}'];
      default:
        return [400, JSON.stringify({ __type: 'UnknownOperationException', message: 'no' })];
    }
  }
}
