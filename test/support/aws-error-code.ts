import { AwsError } from '../../apps/server/src/aws-api/aws-error.ts';

/** The AWS error code `work` throws, or 'no error'; anything but an AwsError is rethrown. */
export function awsErrorCode(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof AwsError) return error.code;
    throw error;
  }
  return 'no error';
}
