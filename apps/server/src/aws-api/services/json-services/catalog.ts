import { commonJsonErrors } from '../../error-table.ts';
import type { JsonServiceDefinition } from '../../service-definition.ts';

/**
 * The JSON-protocol services Slipway answers for, by signing name and target prefix (from
 * botocore's models). Their operation tables fill in as each component lands; until then a
 * call gets UnknownOperationException, as AWS answers an operation it does not have.
 */
const services: readonly Omit<JsonServiceDefinition, 'errors' | 'operations'>[] = [
  { signingName: 'codepipeline', protocol: 'json1.1', targetPrefix: 'CodePipeline_20150709' },
  { signingName: 'codebuild', protocol: 'json1.1', targetPrefix: 'CodeBuild_20161006' },
  { signingName: 'codecommit', protocol: 'json1.1', targetPrefix: 'CodeCommit_20150413' },
  { signingName: 'codedeploy', protocol: 'json1.1', targetPrefix: 'CodeDeploy_20141006' },
  { signingName: 'ecr', protocol: 'json1.1', targetPrefix: 'AmazonEC2ContainerRegistry_V20150921' },
  { signingName: 'logs', protocol: 'json1.1', targetPrefix: 'Logs_20140328' },
  { signingName: 'events', protocol: 'json1.1', targetPrefix: 'AWSEvents' },
  { signingName: 'secretsmanager', protocol: 'json1.1', targetPrefix: 'secretsmanager' },
  { signingName: 'ssm', protocol: 'json1.1', targetPrefix: 'AmazonSSM' },
  {
    signingName: 'cloudtrail',
    protocol: 'json1.1',
    targetPrefix: 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101',
  },
  { signingName: 'monitoring', protocol: 'json1.0', targetPrefix: 'GraniteServiceVersion20100801' },
];

export function createPendingJsonServices(): JsonServiceDefinition[] {
  return services.map((s) => ({ ...s, errors: commonJsonErrors, operations: {} }));
}
