import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { createAwsClients, localCredentials } from '@evidence-portal/aws';
import { localStack } from './context.js';

/** Every item of a (small, test-owned) table as sorted JSON, to prove a request changed nothing. */
export async function tableSnapshot(tableName: string): Promise<string[]> {
  const info = localStack();
  const { dynamodb } = createAwsClients({
    region: info.region,
    dynamodbEndpoint: info.dynamodbEndpoint,
    credentials: localCredentials,
  });
  const items: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey as never }),
    );
    for (const item of page.Items ?? []) items.push(JSON.stringify(item, Object.keys(item).sort()));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  dynamodb.destroy();
  return items.sort();
}
