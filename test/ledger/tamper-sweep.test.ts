import { checkpointAllLedgers } from '@evidence-portal/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { tier } from '../support/context.js';
import {
  apiVerify,
  buildScenario,
  cliVerify,
  entryKey,
  type Scenario,
  type Tampering,
  tamperable,
} from './tamper-kit.js';

/** Tamperings that must name exactly the seq they touched, at any position. */
const sweeps: Array<{
  name: string;
  at: (seq: number) => boolean;
  tamper: (t: Tampering, seq: number) => Promise<void>;
}> = [
  {
    name: 'edit',
    at: () => true,
    tamper: (t, seq) => t.raw.editEntry(seq, (body) => (body.subject = `${body.subject}!`), false),
  },
  { name: 'delete', at: () => true, tamper: (t, seq) => t.raw.delete(entryKey(seq)) },
  {
    name: 'swap with the next',
    at: (seq) => seq < 20,
    tamper: async (t, seq) => {
      const [a, b] = [await t.raw.get(entryKey(seq)), await t.raw.get(entryKey(seq + 1))];
      await t.raw.put({ ...b, sk: a.sk });
      await t.raw.put({ ...a, sk: b.sk });
    },
  },
  {
    name: 'extra item attribute',
    at: () => true,
    tamper: async (t, seq) => t.raw.put({ ...(await t.raw.get(entryKey(seq))), approvedBy: 'nobody' }),
  },
  {
    name: 'index attribute',
    at: () => true,
    tamper: async (t, seq) => t.raw.put({ ...(await t.raw.get(entryKey(seq))), gsi1pk: 'LEDGER#o-t#ACTOR#nobody' }),
  },
];

// The soak tier sweeps every position of the scenario (20 entries, two checkpoints, their
// announcements); the fast tier one position per tampering.
const positions = tier() === 'soak' ? Array.from({ length: 20 }, (_, i) => i + 1) : [7];
const cases = sweeps.flatMap((sweep) =>
  positions.filter(sweep.at).map((seq) => ({ label: `${sweep.name} at seq ${seq}`, sweep, seq })),
);

describe('tamper sweeps: every position is named exactly', () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await buildScenario();
  });

  it.each(cases)('$label', async ({ sweep, seq }) => {
    const t = await tamperable(scenario);
    await sweep.tamper(t, seq);

    const cli = await cliVerify(t);
    const api = await apiVerify(t);
    const job = await checkpointAllLedgers({ ledger: t.deps.ledger });

    expect(cli).toMatchObject({ code: 1, result: { valid: false, firstBadSeq: seq } });
    expect(api).toMatchObject({ valid: false, firstBadSeq: seq });
    expect(job).toMatchObject({ refused: 1, signed: 0 });
  });
});
