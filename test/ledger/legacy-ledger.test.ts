import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@evidence-portal/cli';
import {
  canonicalBody,
  canonicalJson,
  chainHash,
  checkpointAllLedgers,
  genesisChain,
  type LedgerEntryBody,
  leafHashOfCanonical,
  MerkleFrontier,
  padSeq,
} from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { actor, collect, ledgerOnFreshTable } from './ledger-fixtures.js';

const orgId = 'o-legacy';
const pk = `LEDGER#${orgId}`;

/**
 * Writes a ledger exactly as the code before checkpoint format v2 did (what a user's `.data/` and the
 * demo seed hold): entries with a per-entry `chain`, a head holding the chain value, v1 checkpoints
 * (`{org, size, chainHead, merkleRoot, time}` signed) in the table, the bucket and a mutable
 * `CHECKPOINT#LATEST` pointer.
 */
async function writeLegacyLedger(
  fixture: Awaited<ReturnType<typeof ledgerOnFreshTable>>,
  size: number,
  checkpointsAt: number[],
) {
  const { store, signer, blobs } = fixture;
  const frontier = new MerkleFrontier();
  let chain = genesisChain;
  const publicKey = await signer.publicKey();
  for (let seq = 1; seq <= size; seq++) {
    const body: LedgerEntryBody = {
      orgId,
      seq,
      time: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
      actor: actor(seq % 2 ? 'alice' : 'bob'),
      action: 'report:Downloaded',
      subject: `s-${seq}`,
      details: { seq },
      ...(seq % 3 === 0 ? { accountId: '333333333333' } : {}),
    };
    const canonical = canonicalBody(body);
    const leaf = leafHashOfCanonical(canonical);
    chain = chainHash(chain, leaf);
    frontier.push(leaf);
    const timeKey = `${body.time}#${padSeq(seq)}`;
    await store.put({
      pk,
      sk: `ENTRY#${padSeq(seq)}`,
      seq,
      time: body.time,
      action: body.action,
      body: canonical,
      leaf,
      chain,
      gsi1pk: `${pk}#ACTOR#${body.actor.id}`,
      gsi1sk: timeKey,
      ...(body.accountId ? { gsi2pk: `${pk}#ACCOUNT#${body.accountId}`, gsi2sk: timeKey } : {}),
    });
    if (checkpointsAt.includes(seq)) {
      const v1 = { org: orgId, size: seq, chainHead: chain, merkleRoot: frontier.root(), time: body.time };
      const digest = createHash('sha256').update(canonicalJson(v1)).digest();
      const signed = {
        ...v1,
        signature: Buffer.from(await signer.signDigest(digest)).toString('base64'),
        keyId: publicKey.keyId,
        keyFingerprint: publicKey.fingerprint,
      };
      const json = JSON.stringify(signed);
      await blobs.put('checkpoints', `${orgId}/${padSeq(seq)}.json`, Buffer.from(json));
      await store.put({ pk, sk: `CHECKPOINT#${padSeq(seq)}`, checkpoint: json });
      await store.put({ pk, sk: 'CHECKPOINT#LATEST', size: seq, checkpoint: json, frontier: frontier.state().nodes });
    }
  }
  await store.put({ pk, sk: 'HEAD', seq: size, chain, time: new Date(Date.UTC(2026, 0, 1, 0, 0, size)).toISOString() });
  await store.put({ pk: 'LEDGER_ORGS', sk: orgId, orgId });
}

async function cliVerify(text: string, pem: string) {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-legacy-'));
  writeFileSync(join(dir, 'export.jsonl'), text);
  writeFileSync(join(dir, 'key.pem'), pem);
  let out = '';
  const code = await runCli(
    ['ledger', 'verify', join(dir, 'export.jsonl'), '--public-key', join(dir, 'key.pem'), '--json'],
    {
      stdout: (t) => (out += t),
      stderr: () => {},
      env: {},
    },
  );
  return { code, result: JSON.parse(out) as { valid: boolean } };
}

// Format v2 drops the per-entry chain and chains the checkpoints instead. Ledgers already stored are
// not rewritten: their entries' bodies and leaves are unchanged, their chain values are still checked,
// their v1 checkpoints still anchor them, and the first v2 checkpoint names the newest v1 one.
describe('a ledger written before checkpoint format v2', () => {
  it('still verifies, accepts appends, and migrates on its next checkpoint', async () => {
    const fixture = await ledgerOnFreshTable();
    const { ledger, store, signer } = fixture;
    const pem = (await signer.publicKey()).pem;
    await writeLegacyLedger(fixture, 8, [5, 8]);

    expect(await ledger.verify(orgId)).toMatchObject({
      valid: true,
      size: 8,
      anchored: true,
      checkpoints: { count: 2 },
    });
    expect(await cliVerify(`${(await collect(ledger.exportLines(orgId))).join('\n')}\n`, pem)).toMatchObject({
      code: 0,
      result: { valid: true },
    });

    await ledger.append({ orgId, actor: actor('carol'), action: 'report:Downloaded', subject: 'after' });
    const run = await checkpointAllLedgers({ ledger });
    const migrated = await ledger.latestCheckpoint(orgId);

    expect(run).toMatchObject({ signed: 1, refused: 0 });
    expect(migrated).toMatchObject({ format: 'evidence-portal.ledger-checkpoint.v2', size: 9, previous: { size: 8 } });
    expect(await store.get({ pk, sk: 'CHECKPOINT#LATEST' })).toBeUndefined();
    expect(await store.get({ pk, sk: 'HEAD' })).toMatchObject({ seq: 10, leaf: expect.any(String) });
    expect(await ledger.verify(orgId)).toMatchObject({
      valid: true,
      size: 10,
      checkpoints: { count: 3, signatures: 'valid' },
    });
    expect(await cliVerify(`${(await collect(ledger.exportLines(orgId))).join('\n')}\n`, pem)).toMatchObject({
      code: 0,
    });
  });

  it('detects a legacy chain value changed, and the legacy pointer rolled back', async () => {
    const chainEdited = await ledgerOnFreshTable();
    await writeLegacyLedger(chainEdited, 8, [5, 8]);
    const third = await chainEdited.store.get({ pk, sk: `ENTRY#${padSeq(3)}` });
    await chainEdited.store.put({ ...third!, chain: 'ab'.repeat(32) });

    const rolledBack = await ledgerOnFreshTable();
    await writeLegacyLedger(rolledBack, 8, [5, 8]);
    const five = await rolledBack.store.get({ pk, sk: `CHECKPOINT#${padSeq(5)}` });
    await rolledBack.store.put({ pk, sk: 'CHECKPOINT#LATEST', size: 5, checkpoint: five!.checkpoint! });

    expect(await chainEdited.ledger.verify(orgId)).toMatchObject({
      valid: false,
      firstBadSeq: 3,
      faults: [{ kind: 'legacy_chain' }],
    });
    expect(await rolledBack.ledger.verify(orgId)).toMatchObject({
      valid: false,
      faults: [{ kind: 'checkpoint_rollback' }],
    });
    expect(await checkpointAllLedgers({ ledger: rolledBack.ledger })).toMatchObject({ refused: 1, signed: 0 });
  });
});
