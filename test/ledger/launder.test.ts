import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  actThenJob,
  apiVerify,
  buildScenario,
  cliVerify,
  type Scenario,
  type Tampering,
  tamperable,
} from './tamper-kit.js';

/** A careful forger rewrites every entry from `from` on and recomputes each leaf and the head. */
async function rewriteFrom(t: Tampering, from: number) {
  const head = Number((await t.raw.get('HEAD')).seq);
  for (let seq = from; seq <= head; seq++) {
    await t.raw.editEntry(seq, (body) => (body.subject = `${body.subject} (rewritten)`), true);
  }
  await t.raw.setHead(head);
}

const kinds = (faults: { kind: string }[]) => faults.map((fault) => fault.kind);

// The laundering sequence: before, the 60-second job signed a fresh, genuine checkpoint over
// rewritten entries once the latest checkpoint was gone and any ordinary act had happened.
describe('rewrite, remove checkpoints, act, run the job: never laundered', () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await buildScenario();
  });

  it('rewrite -> delete the latest checkpoint (both copies) -> an act -> the job: detected, nothing signed', async () => {
    const t = await tamperable(scenario);
    await rewriteFrom(t, 3);
    await t.raw.deleteCheckpointItem(16);
    await t.raw.deleteCheckpointObject(16);

    const job = await actThenJob(t);

    expect(job.act.status).toBe(201);
    expect(job.run).toMatchObject({ refused: 1, signed: 0 });
    expect(job.newCheckpoints).toEqual({ table: 0, bucket: 0 });
    expect(job).toMatchObject({ alert: { status: 'open' }, errorLogged: true, metricEmitted: true });
    const api = await apiVerify(t);
    expect(api.valid).toBe(false);
    // Checkpoint 10 still anchors entries 1..10; the announcement at 17 still names checkpoint 16.
    expect(kinds(api.faults)).toEqual(expect.arrayContaining(['checkpoint_mismatch', 'checkpoint_missing']));
    const cli = await cliVerify(t);
    expect(cli.code).toBe(1);
    expect(kinds(cli.result.faults)).toContain('checkpoint_mismatch');
    // A second run changes nothing: still refused, still no checkpoint, one alert entry per distinct fault.
    const again = await actThenJob(t);
    expect(again.run).toMatchObject({ refused: 1, signed: 0 });
    expect(again.newCheckpoints).toEqual({ table: 0, bucket: 0 });
  });

  it('rewrite -> delete every checkpoint item from the table -> an act -> the job: the bucket copies anchor it', async () => {
    const t = await tamperable(scenario);
    await rewriteFrom(t, 12);
    await t.raw.deleteCheckpointItem(10);
    await t.raw.deleteCheckpointItem(16);

    const job = await actThenJob(t);

    expect(job.run).toMatchObject({ refused: 1, signed: 0 });
    expect(job.newCheckpoints).toEqual({ table: 0, bucket: 0 });
    const api = await apiVerify(t);
    expect(kinds(api.faults)).toEqual(expect.arrayContaining(['checkpoint_mismatch', 'checkpoint_missing']));
    expect(await cliVerify(t)).toMatchObject({ code: 1, result: { valid: false } });
  });

  it('when every copy and every announcement is gone, a witness holding a checkpoint still proves the rewrite', async () => {
    const t = await tamperable(scenario);
    const held = await t.raw.checkpointJson(16);
    // The worst case Object Lock prevents in production: both copies of every checkpoint deleted, and
    // the announcement entries rewritten into ordinary acts.
    for (const size of [10, 16]) {
      await t.raw.deleteCheckpointItem(size);
      await t.raw.deleteCheckpointObject(size);
    }
    for (const seq of [11, 17]) {
      await t.raw.editEntry(
        seq,
        (body) => {
          body.action = 'report:Downloaded';
          body.details = {};
        },
        true,
      );
    }
    await rewriteFrom(t, 3);
    const dir = await mkdtemp(join(tmpdir(), 'ledger-witness-'));
    const heldFile = join(dir, 'held.json');
    writeFileSync(heldFile, held);

    const witnessed = await cliVerify(t, ['--checkpoint', heldFile]);
    const unwitnessed = await cliVerify(t);

    expect(witnessed.code).toBe(1);
    expect(kinds(witnessed.result.faults)).toEqual(
      expect.arrayContaining(['checkpoint_missing', 'checkpoint_mismatch']),
    );
    // Without it, a verifier with the key still refuses entries nothing anchors.
    expect(unwitnessed.code).toBe(1);
    expect(kinds(unwitnessed.result.faults)).toContain('unanchored');
  });
});
