import { beforeAll, describe, it } from 'vitest';
import { checkpointCases, expectDetected } from './tamper-cases.js';
import { buildScenario, type Scenario, tamperable } from './tamper-kit.js';

// Someone with write access to the table (and, where no Object Lock stops them, the bucket) removes,
// rolls back or forges checkpoints; API verify, the CLI and the checkpoint job must each catch it.
describe('tampering with ledger checkpoints in DynamoDB Local and the bucket', () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await buildScenario();
  });

  it.each(checkpointCases)('detects: $name', async (testCase) => {
    await expectDetected(await tamperable(scenario), testCase);
  });
});
