import { BuildsSubject as S } from '@slipway/core';
import { commonJsonErrors, type AwsErrorSpec, type AwsErrorTable } from '../../error-table.ts';

const e = (code: string): AwsErrorSpec => ({ code, status: 400 });

/**
 * CloudWatch Logs answers bad input with InvalidParameterException and a missing group or
 * stream with ResourceNotFoundException (botocore logs 2014-03-28); the rest is the common
 * JSON table, whose codes Logs shares.
 */
export const logsErrors: AwsErrorTable = {
  ...commonJsonErrors,
  NotFound: {
    byResource: {
      [S.LogGroup]: e('ResourceNotFoundException'),
      [S.LogStream]: e('ResourceNotFoundException'),
    },
    otherwise: e('ResourceNotFoundException'),
  },
  InvalidInput: {
    byResource: { [S.LogParameter]: e('InvalidParameterException') },
    otherwise: e('InvalidParameterException'),
  },
};
