import { beforeAll, describe, expect, it } from 'vitest';
import { entryCases, expectDetected } from './tamper-cases.js';
import { actThenJob, apiVerify, buildScenario, cliVerify, type Scenario, tamperable } from './tamper-kit.js';

// Someone with write access to the table changes ledger entries and the head directly in DynamoDB
// Local while the portal runs; API verify, the CLI and the checkpoint job must each catch it.
describe('tampering with ledger entries in DynamoDB Local', () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await buildScenario();
  });

  it('control: the untouched copy verifies everywhere, and the job signs over it without an alert', async () => {
    const t = await tamperable(scenario);

    expect(await cliVerify(t)).toMatchObject({ code: 0, result: { valid: true, size: 20 } });
    expect(await apiVerify(t)).toMatchObject({ valid: true, faults: [] });
    const job = await actThenJob(t);
    expect(job).toMatchObject({
      act: { status: 201 },
      run: { signed: 1, refused: 0 },
      newCheckpoints: { table: 1, bucket: 1 },
      errorLogged: false,
      metricEmitted: false,
    });
    expect(job.alert).toBeUndefined();
  });

  it.each(entryCases)('detects: $name', async (testCase) => {
    await expectDetected(await tamperable(scenario), testCase);
  });
});
