/** What a running local stack tells its users: endpoints and the names of what it provisioned. */
export interface LocalStackInfo {
  region: string;
  dynamodbEndpoint: string;
  kmsEndpoint: string;
  s3Endpoint: string;
  tableName: string;
  buckets: { reports: string; bundles: string; checkpoints: string };
  signingKeyArn: string;
  dataKeyArn: string;
}
