import { checkpointAllLedgers, verifyCheckpointSignature } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { actor, ledgerOnFreshTable } from './ledger-fixtures.js';

describe('scheduled ledger checkpoints', () => {
  it('signs a checkpoint for every org with new entries, and only for those', async () => {
    const { ledger, signer } = await ledgerOnFreshTable();
    for (const orgId of ['o-a', 'o-b', 'o-c']) {
      await ledger.append({ orgId, actor: actor('u'), action: 'a:B', subject: 's' });
    }

    const first = await checkpointAllLedgers({ ledger });
    await ledger.append({ orgId: 'o-b', actor: actor('u'), action: 'a:B', subject: 'more' });
    const second = await checkpointAllLedgers({ ledger });

    expect(first).toEqual({ organizations: 3, signed: 3, unchanged: 0, refused: 0, failed: 0 });
    expect(second).toEqual({ organizations: 3, signed: 1, unchanged: 2, refused: 0, failed: 0 });
    // o-b: its act, the first checkpoint's announcement, the new act.
    const latest = await ledger.latestCheckpoint('o-b');
    expect(latest?.size).toBe(3);
    expect(verifyCheckpointSignature(latest!, (await signer.publicKey()).pem)).toBe(true);
  });
});
