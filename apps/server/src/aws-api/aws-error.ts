/**
 * An error already in AWS terms, raised by the door itself (authentication, protocol, routing).
 * Errors from the core are `AppError`s and get their AWS code from the service's error table.
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, status: number, message: string) {
    super(message);
    this.name = 'AwsError';
    this.code = code;
    this.status = status;
  }
}

/** Errors every AWS door can raise before a service operation runs. */
export const AwsErrors = {
  missingAuthentication: () =>
    new AwsError('MissingAuthenticationTokenException', 403, 'Missing Authentication Token'),
  incompleteSignature: (message: string) =>
    new AwsError('IncompleteSignatureException', 400, message),
  unrecognizedClient: () =>
    new AwsError(
      'UnrecognizedClientException',
      400,
      'The security token included in the request is invalid.',
    ),
  invalidSignature: (message: string) => new AwsError('InvalidSignatureException', 400, message),
  signatureMismatch: () =>
    AwsErrors.invalidSignature(
      'The request signature we calculated does not match the signature you provided. ' +
        'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    ),
  unknownOperation: (message: string) => new AwsError('UnknownOperationException', 400, message),
  serialization: (message: string) => new AwsError('SerializationException', 400, message),
  tooLarge: (limit: number) =>
    new AwsError(
      'RequestEntityTooLargeException',
      413,
      `Request body is larger than the limit of ${limit} bytes`,
    ),
  internal: () =>
    new AwsError(
      'InternalFailure',
      500,
      'The request processing has failed because of an unknown error.',
    ),
} as const;
