import { Duration, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  type ResponseSecurityHeadersBehavior,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { type StackContext, StaticSite, use } from 'sst/constructs';
import { contentSecurityPolicy } from '../packages/api/src/content-security-policy.js';
import { originVerifyHeader } from '../packages/api/src/origin-verify-header.js';
import { ApiGateway } from './api.js';
import { Monitoring } from './monitoring.js';
import { portalSettings } from './settings.js';
import { useWaf } from './waf.js';

/**
 * The portal's CSP (packages/api/src/content-security-policy.ts) for the SPA. The browser PUTs report
 * files to presigned URLs of the reports bucket; that bucket is created after the site (its CORS rule
 * names the site's origin), so the site allows the region's S3 virtual-hosted origins, which include
 * the bucket's. The API, which knows the bucket, sends its exact origin.
 */
export function siteContentSecurityPolicy(region: string): string {
  return contentSecurityPolicy({ uploadOrigins: [`https://*.s3.${region}.amazonaws.com`] });
}

/** SPA routing without distribution-wide error pages (those would turn the API's 403/404 into index.html). */
const spaRewrite = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

/**
 * The Artifact API verifies SigV4 signatures, which cover the Host the client signed (CloudFront's domain); the
 * origin request carries the API's own Host instead, so the viewer's travels in a header the verifier reads.
 */
const viewerHost = `function handler(event) {
  var request = event.request;
  request.headers['x-portal-viewer-host'] = { value: request.headers.host ? request.headers.host.value : '' };
  return request;
}`;

export function Web({ stack, app }: StackContext) {
  const { originDomain, originVerify } = use(ApiGateway);
  const { accessLogs } = use(Monitoring);
  const { webAclArn } = useWaf(app);
  const settings = portalSettings(app);

  const siteBucket = new Bucket(stack, 'SiteBucket', {
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: 's3/site/',
    // The bucket holds only the build output, which every deploy re-uploads.
    removalPolicy: RemovalPolicy.DESTROY,
  });

  const securityHeaders = (override: boolean): ResponseSecurityHeadersBehavior => ({
    contentSecurityPolicy: { contentSecurityPolicy: siteContentSecurityPolicy(stack.region), override },
    strictTransportSecurity: { accessControlMaxAge: Duration.seconds(63072000), includeSubdomains: true, override },
    contentTypeOptions: { override },
    frameOptions: { frameOption: HeadersFrameOption.DENY, override },
    referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override },
  });
  const customHeaders = (override: boolean) => ({
    customHeaders: [
      { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override },
      { header: 'Cross-Origin-Resource-Policy', value: 'same-origin', override },
      { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()', override },
    ],
  });
  const siteHeaders = new ResponseHeadersPolicy(stack, 'SiteHeaders', {
    comment: 'evidence-portal SPA: CSP, HSTS and the rest of the Foundation security headers',
    securityHeadersBehavior: securityHeaders(true),
    customHeadersBehavior: customHeaders(true),
  });
  // The API sets its own headers (the docs page carries a per-response CSP nonce): fill gaps, never override.
  const apiHeaders = new ResponseHeadersPolicy(stack, 'ApiHeaders', {
    comment: 'evidence-portal API: security headers where the API has not set them',
    securityHeadersBehavior: securityHeaders(false),
    customHeadersBehavior: customHeaders(false),
  });

  // One origin for both API paths (/api/*, /artifact/*): the same HTTP API and function. Every origin request
  // carries the origin-verify secret (a Secrets Manager dynamic reference, resolved by CloudFormation at
  // deploy: the template holds only the reference), without which the API refuses it.
  const apiOrigin = new HttpOrigin(originDomain, {
    protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
    readTimeout: Duration.seconds(30),
    customHeaders: {
      [originVerifyHeader]: (settings.originVerifyVersion
        ? SecretValue.secretsManager(originVerify.secretArn, { versionId: settings.originVerifyVersion })
        : originVerify.secretValue
      ).unsafeUnwrap(),
    },
  });
  // The API's paths: never cached, every method and viewer header (but Host) passed to the function.
  const apiBehavior = {
    origin: apiOrigin,
    viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
    allowedMethods: AllowedMethods.ALLOW_ALL,
    cachePolicy: CachePolicy.CACHING_DISABLED,
    originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    responseHeadersPolicy: apiHeaders,
  };
  const distribution = new Distribution(stack, 'Distribution', {
    comment: `evidence-portal ${app.stage}`,
    defaultRootObject: 'index.html',
    httpVersion: HttpVersion.HTTP2_AND_3,
    priceClass: PriceClass.PRICE_CLASS_100,
    minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
    webAclId: webAclArn,
    enableLogging: true,
    logBucket: accessLogs,
    logFilePrefix: 'cloudfront/',
    defaultBehavior: {
      origin: S3BucketOrigin.withOriginAccessControl(siteBucket),
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: siteHeaders,
      functionAssociations: [
        {
          eventType: FunctionEventType.VIEWER_REQUEST,
          function: new CloudFrontFunction(stack, 'SpaRewrite', {
            code: FunctionCode.fromInline(spaRewrite),
            runtime: FunctionRuntime.JS_2_0,
          }),
        },
      ],
    },
    additionalBehaviors: {
      // Same origin as the SPA, so the session cookie (__Host-, SameSite) stays first-party.
      '/api/*': apiBehavior,
      // The AWS Artifact-compatible API (docs/artifact-api.md): same origin, same function, SigV4 instead of cookies.
      '/artifact/*': {
        ...apiBehavior,
        functionAssociations: [
          {
            eventType: FunctionEventType.VIEWER_REQUEST,
            function: new CloudFrontFunction(stack, 'ArtifactViewerHost', {
              code: FunctionCode.fromInline(viewerHost),
              runtime: FunctionRuntime.JS_2_0,
            }),
          },
        ],
      },
    },
  });
  NagSuppressions.addResourceSuppressions(distribution, [
    {
      id: 'AwsSolutions-CFR1',
      reason:
        'Auditors and customers sign in from anywhere; no country is excluded. Abuse is handled by the WAF web ACL.',
    },
    {
      id: 'AwsSolutions-CFR4',
      reason:
        'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose viewer policy CDK cannot pin; TLSv1.2_2021 is set and applies as soon as a custom domain + ACM certificate is configured (docs/deploy.md).',
    },
  ]);

  const site = new StaticSite(stack, 'Site', {
    path: settings.site.path,
    buildOutput: settings.site.buildOutput,
    buildCommand: settings.site.buildCommand,
    cdk: { bucket: siteBucket, distribution },
  });

  const siteOrigin = `https://${distribution.distributionDomainName}`;
  stack.addOutputs({
    SiteUrl: siteOrigin,
    ApiUrl: `${siteOrigin}/api`,
    DistributionId: distribution.distributionId,
    SiteBucket: siteBucket.bucketName,
  });
  return { site, distribution, siteOrigin };
}
