import { CfnResource, type IAspect } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag suppressions for resources SST v2 creates itself, which the stacks cannot configure:
 * every SST Stack's `CustomResourceHandler` (a deploy-time Lambda that copies the site build into its
 * bucket, invalidates CloudFront and writes SST metadata) and StaticSite's uploader policy. Applied as
 * a mutating Aspect because StaticSite creates its policy in a deferred task during `app.finish()`.
 */
export class SstInternalsSuppressions implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof CfnResource)) return;
    const path = node.node.path;
    if (/\/CustomResourceHandler\/(Resource|ServiceRole\/Resource)$/.test(path)) {
      NagSuppressions.addResourceSuppressions(node, [
        {
          id: 'AwsSolutions-IAM4',
          reason:
            "SST's deploy-time custom resource handler (created by every sst/constructs Stack) uses AWSLambdaBasicExecutionRole for its own logs; it runs only during deployments and its other permissions are scoped inline policies.",
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
        },
        {
          id: 'AwsSolutions-L1',
          reason:
            "The runtime of SST's deploy-time custom resource handler is fixed by sst 2.49.8 (nodejs22.x); it is not portal code.",
        },
      ]);
    }
    if (/\/BucketNotificationsHandler[0-9a-f]+\/Role\/Resource$/.test(path)) {
      NagSuppressions.addResourceSuppressions(node, [
        {
          id: 'AwsSolutions-IAM4',
          reason:
            "aws-cdk-lib's deploy-time handler that turns on the reports bucket's EventBridge notifications (`eventBridgeEnabled`) uses AWSLambdaBasicExecutionRole for its own logs; it runs only during deployments.",
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
        },
      ]);
    }
    if (/\/Site\/S3UploaderPolicy\/Resource$/.test(path)) {
      NagSuppressions.addResourceSuppressions(node, [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "SST StaticSite's uploader copies the build archive from the CDK asset bucket into the site bucket: object keys are the site's file names, so object-level actions are granted on '<bucket>/*' of exactly those two buckets.",
          appliesTo: [
            {
              regex:
                '/^Resource::(<SiteBucket[0-9A-F]+\\.Arn>|arn:<AWS::Partition>:s3:::cdk-[a-z0-9]+-assets-.*)\\/\\*$/g',
            },
          ],
        },
      ]);
    }
  }
}
