import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Where the AWS services are. In AWS every endpoint is absent (the SDK's defaults and the Lambda
 * role's credentials apply); locally they point at the loopback stack with dummy credentials.
 */
export interface AwsEndpoints {
  region: string;
  dynamodbEndpoint?: string;
  kmsEndpoint?: string;
  s3Endpoint?: string;
  /** Static credentials for the local stack only. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** s3rver only accepts its own fixed key pair; DynamoDB Local and the local KMS accept any. */
export const localCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface AwsClients {
  dynamodb: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  kms: KMSClient;
  s3: S3Client;
}

export function createAwsClients(endpoints: AwsEndpoints): AwsClients {
  const common = {
    region: endpoints.region,
    ...(endpoints.credentials ? { credentials: endpoints.credentials } : {}),
    maxAttempts: 3,
  };
  const dynamodb = new DynamoDBClient({
    ...common,
    ...(endpoints.dynamodbEndpoint ? { endpoint: endpoints.dynamodbEndpoint } : {}),
  });
  const documents = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  const kms = new KMSClient({ ...common, ...(endpoints.kmsEndpoint ? { endpoint: endpoints.kmsEndpoint } : {}) });
  const s3 = new S3Client({
    ...common,
    ...(endpoints.s3Endpoint
      ? {
          endpoint: endpoints.s3Endpoint,
          forcePathStyle: true,
          // With the SDK's default, s3rver stores streamed bodies in aws-chunked framing (silently
          // corrupt) and presigned PUTs carry an empty-body checksum (STACK-NOTES.md).
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : {}),
  });
  return { dynamodb, documents, kms, s3 };
}

/**
 * The origin of the presigned URLs the browser uploads report files to (the CSP's connect-src must
 * allow it): the local S3 endpoint (path-style), or the bucket's regional virtual-hosted origin, as
 * the SDK signs it in AWS.
 */
export function presignedUploadOrigin(input: { region: string; bucket: string; s3Endpoint?: string }): string {
  if (input.s3Endpoint) return new URL(input.s3Endpoint).origin;
  return `https://${input.bucket}.s3.${input.region}.amazonaws.com`;
}
