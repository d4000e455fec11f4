import { ScriptErrorCode } from '@slipway/protocol';

/**
 * Why a host command failed, as the stock agent reports it: a ScriptErrorCode, the script (if
 * any) and a message. Thrown inside the executor and turned into completion diagnostics once.
 */
export class CommandFailure extends Error {
  readonly errorCode: ScriptErrorCode;
  readonly scriptName: string;
  /** The end of the scripts' output, for the completion diagnostics. */
  readonly log: string;

  constructor(options: {
    errorCode: ScriptErrorCode;
    message: string;
    scriptName?: string;
    log?: string;
  }) {
    super(options.message);
    this.name = 'CommandFailure';
    this.errorCode = options.errorCode;
    this.scriptName = options.scriptName ?? '';
    this.log = options.log ?? '';
  }
}

/** A failure with no script: the bundle, the appspec, the file copy or the agent itself. */
export function unknownFailure(message: string): CommandFailure {
  return new CommandFailure({ errorCode: ScriptErrorCode.UnknownError, message });
}
