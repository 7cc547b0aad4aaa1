import { localStack } from '../../../test/support/context.js';
import { describeStoreContract } from '../../../test/support/store-contract.js';
import { createAwsClients, localCredentials } from './clients.js';
import { DynamoStore } from './dynamo-store.js';

function newStore(): DynamoStore {
  const info = localStack();
  const clients = createAwsClients({
    region: info.region,
    dynamodbEndpoint: info.dynamodbEndpoint,
    credentials: localCredentials,
  });
  return new DynamoStore(clients.documents, info.tableName);
}

// The adapter's faults (throttling, 5xx, access denied, unprocessed keys) are in aws-faults.test.ts.
describeStoreContract('DynamoStore against DynamoDB Local', newStore);
