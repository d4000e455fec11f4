#!/bin/sh
# Creates what the pipeline needs on a Slipway server started with `--local-agents 3`, using the
# AWS CLI with the credentials and endpoint Slipway printed (AWS_ENDPOINT_URL, …).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
aws codecommit create-repository --repository-name hello-service > /dev/null
aws s3 mb s3://hello-service-artifacts > /dev/null
aws codebuild create-project --name hello-service \
  --source type=CODEPIPELINE --artifacts type=CODEPIPELINE \
  --environment type=LINUX_CONTAINER,image=aws/codebuild/standard:7.0,computeType=BUILD_GENERAL1_SMALL \
  --service-role arn:aws:iam::123456789012:role/slipway-build > /dev/null
aws deploy create-application --application-name hello-service > /dev/null
aws deploy create-deployment-group --application-name hello-service \
  --deployment-group-name local-hosts \
  --deployment-config-name CodeDeployDefault.OneAtATime \
  --on-premises-instance-tag-filters Key=slipway:local-agent,Value=true,Type=KEY_AND_VALUE \
  --auto-rollback-configuration enabled=true,events=DEPLOYMENT_FAILURE \
  --service-role-arn arn:aws:iam::123456789012:role/slipway-deploy > /dev/null
aws codepipeline create-pipeline --cli-input-json "file://$here/pipeline.json" > /dev/null
echo "Ready: push this directory to $AWS_ENDPOINT_URL/v1/repos/hello-service (branch main)."
