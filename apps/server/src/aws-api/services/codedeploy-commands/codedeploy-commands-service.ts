import { DeploymentsSubject, type DeploymentsService } from '@slipway/core';
import {
  CommandStatus,
  hostCommandSigningName,
  hostCommandTargetPrefix,
  maxPollWaitMs,
  type DeploymentSpecification,
  type GetDeploymentSpecificationResponse,
  type PollHostCommandResponse,
} from '@slipway/protocol';
import { AwsErrors } from '../../aws-error.ts';
import { commonJsonErrors, type AwsErrorTable } from '../../error-table.ts';
import { JsonInput } from '../../json-input.ts';
import type { JsonServiceDefinition, OperationContext } from '../../service-definition.ts';

export interface CodeDeployCommandsDeps {
  readonly deployments: DeploymentsService;
  /** Longest a PollHostCommand is held (tests shorten it). */
  readonly maxPollWaitMs?: number;
}

const errors: AwsErrorTable = {
  ...commonJsonErrors,
  InvalidInput: { code: 'ValidationException', status: 400 },
  AccessDenied: { code: 'AccessDeniedException', status: 400 },
  NotFound: {
    byResource: {
      [DeploymentsSubject.HostCommand]: { code: 'ResourceNotFoundException', status: 400 },
    },
    otherwise: { code: 'ResourceNotFoundException', status: 400 },
  },
};

/**
 * The agent-facing host-command service (`codedeploy-commands`, CodeDeploy's own agent API,
 * reference §5.9; decision 15): agents sign with the access key registered with their instance.
 * The wire contract, with Slipway's additions, is packages/protocol/src/host-commands.ts.
 */
export function createCodeDeployCommandsService(
  deps: CodeDeployCommandsDeps,
): JsonServiceDefinition {
  const { deployments } = deps;
  const waitCap = deps.maxPollWaitMs ?? maxPollWaitMs;
  return {
    signingName: hostCommandSigningName,
    protocol: 'json1.1',
    targetPrefix: hostCommandTargetPrefix,
    errors,
    operations: {
      PollHostCommand: async (raw: unknown, context: OperationContext) => {
        const input = new JsonInput(raw);
        const hostIdentifier = input.string('HostIdentifier');
        const command = await deployments.pollHostCommand(
          context.principal,
          hostIdentifier,
          waitCap,
          context.signal,
        );
        const answer: PollHostCommandResponse =
          command === undefined
            ? {}
            : {
                HostCommand: {
                  HostCommandIdentifier: command.hostCommandIdentifier,
                  HostIdentifier: command.hostIdentifier,
                  DeploymentExecutionId: command.deploymentExecutionId,
                  CommandName: command.commandName,
                  Nonce: command.nonce,
                },
              };
        return answer;
      },
      GetDeploymentSpecification: async (raw: unknown, context: OperationContext) => {
        const input = new JsonInput(raw);
        const spec = await deployments.getDeploymentSpecification(
          context.principal,
          input.string('DeploymentExecutionId'),
          input.string('HostIdentifier'),
        );
        const payload: DeploymentSpecification = {
          DeploymentId: spec.deploymentId,
          DeploymentGroupId: spec.deploymentGroupId,
          DeploymentGroupName: spec.deploymentGroupName,
          ApplicationName: spec.applicationName,
          DeploymentCreator: spec.deploymentCreator,
          DeploymentType: 'IN_PLACE',
          AppSpecFilename: spec.appSpecFilename,
          AllPossibleLifecycleEvents: spec.lifecycleEvents,
          AgentActionOverrides: { AgentOverrides: { FileExistsBehavior: spec.fileExistsBehavior } },
          IgnoreApplicationStopFailures: spec.ignoreApplicationStopFailures,
          Revision: {
            RevisionType: 'S3',
            S3Revision: {
              Bucket: spec.revision.bucket,
              Key: spec.revision.key,
              BundleType: spec.revision.bundleType,
              ...(spec.revision.version === undefined ? {} : { Version: spec.revision.version }),
              ...(spec.revision.eTag === undefined ? {} : { ETag: spec.revision.eTag }),
            },
          },
          BundleUrl: spec.bundleUrl,
        };
        const answer: GetDeploymentSpecificationResponse = {
          DeploymentSystem: 'CodeDeploy',
          DeploymentSpecification: {
            GenericEnvelope: { Format: 'TEXT/JSON', Payload: JSON.stringify(payload) },
          },
        };
        return answer;
      },
      PutHostCommandAcknowledgement: async (raw: unknown, context: OperationContext) => {
        const input = new JsonInput(raw);
        const status = await deployments.acknowledgeHostCommand(
          context.principal,
          input.string('HostCommandIdentifier'),
        );
        return {
          CommandStatus: status === 'InProgress' ? CommandStatus.InProgress : CommandStatus.Failed,
        };
      },
      PostHostCommandUpdate: async (raw: unknown, context: OperationContext) => {
        const input = new JsonInput(raw);
        const status = await deployments.updateHostCommand(
          context.principal,
          input.string('HostCommandIdentifier'),
          diagnosticsOf(raw)?.log as string | undefined,
        );
        return {
          CommandStatus: status === 'InProgress' ? CommandStatus.InProgress : CommandStatus.Failed,
        };
      },
      PutHostCommandComplete: async (raw: unknown, context: OperationContext) => {
        const input = new JsonInput(raw);
        const diagnostics = diagnosticsOf(raw);
        await deployments.completeHostCommand(context.principal, {
          commandId: input.string('HostCommandIdentifier'),
          status: input.string('CommandStatus'),
          ...(diagnostics === undefined
            ? {}
            : {
                diagnostics: {
                  errorCode: diagnostics.error_code,
                  scriptName: diagnostics.script_name,
                  message: diagnostics.message,
                  log: diagnostics.log,
                },
              }),
        });
        return {};
      },
    },
  };
}

/** `Diagnostics: {Format: "JSON", Payload: "<json>"}`, parsed; undefined when absent. */
function diagnosticsOf(raw: unknown): Record<string, unknown> | undefined {
  const diagnostics = (raw as { Diagnostics?: unknown }).Diagnostics;
  if (diagnostics === undefined || diagnostics === null) return undefined;
  const { Format: format, Payload: payload } = diagnostics as Record<string, unknown>;
  if (format !== 'JSON' || typeof payload !== 'string') {
    throw AwsErrors.serialization('Diagnostics is {"Format": "JSON", "Payload": "<JSON text>"}');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    throw AwsErrors.serialization('Diagnostics.Payload is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw AwsErrors.serialization('Diagnostics.Payload is a JSON object');
  }
  const fields = parsed as Record<string, unknown>;
  if (fields.log !== undefined && typeof fields.log !== 'string') {
    throw AwsErrors.serialization('Diagnostics.Payload.log is a string');
  }
  return fields;
}
