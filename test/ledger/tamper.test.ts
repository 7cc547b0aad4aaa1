import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  chainHash,
  ExportLeafVerifier,
  type LeafPass,
  type LedgerEntry,
  leafHash,
  verifyExport,
  verifyExportInParallel,
} from '@evidence-portal/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byTier } from '../support/context.js';
import { actor, collect, foreignKey, ledgerOnFreshTable } from './ledger-fixtures.js';

/** The leaf pass in this thread: the same verdict logic as the CLI's worker, easy to drive many times. */
function inThreadLeafPass(): LeafPass {
  const pass = new ExportLeafVerifier();
  return {
    async push(chunk) {
      pass.pushChunk(new Uint8Array(chunk));
    },
    async finish() {
      return pass.finish();
    },
    abort() {},
  };
}

/** Verifies the text both ways (one thread, and the two-pass verifier the CLI runs) and insists they agree. */
async function verifyBothWays(text: string, key: { publicKeyPem?: string }) {
  // Split in odd places so lines span chunks; each run gets fresh buffers (verifiers write into them).
  const chunks = () => [Buffer.from(text.slice(0, 7)), Buffer.from(text.slice(7, 501)), Buffer.from(text.slice(501))];
  const sequential = await verifyExport(chunks(), key);
  const parallel = await verifyExportInParallel(chunks, inThreadLeafPass(), key);
  expect(parallel).toEqual(sequential);
  return sequential;
}

const pad = (seq: number) => String(seq).padStart(12, '0');

/** A ledger of ten entries, and raw access to its items the way someone with table access would have it. */
async function tenEntries(options: { checkpoint?: boolean } = {}) {
  const fixture = await ledgerOnFreshTable();
  for (let i = 1; i <= 10; i++) {
    await fixture.ledger.append({ orgId: 'o-1', actor: actor('u'), action: 'a:B', subject: `s-${i}`, details: { i } });
  }
  if (options.checkpoint) await fixture.ledger.checkpoint('o-1');
  const { documents } = fixture.clients;
  const TableName = fixture.tableName;
  const raw = {
    async get(sk: string) {
      return (await documents.send(new GetCommand({ TableName, Key: { pk: 'LEDGER#o-1', sk } }))).Item!;
    },
    async put(item: Record<string, unknown>) {
      await documents.send(new PutCommand({ TableName, Item: item }));
    },
    async delete(sk: string) {
      await documents.send(new DeleteCommand({ TableName, Key: { pk: 'LEDGER#o-1', sk } }));
    },
  };
  return { ...fixture, raw };
}

describe('tampering with ledger items in DynamoDB Local', () => {
  it('names the first bad seq for an edited, deleted, inserted or reordered entry', async () => {
    const edited = await tenEntries();
    const item = await edited.raw.get(`ENTRY#${pad(5)}`);
    await edited.raw.put({ ...item, body: String(item.body).replace('"s-5"', '"s-55"') });
    expect(await edited.ledger.verify('o-1')).toMatchObject({ valid: false, firstBadSeq: 5 });

    const deleted = await tenEntries();
    await deleted.raw.delete(`ENTRY#${pad(5)}`);
    expect(await deleted.ledger.verify('o-1')).toMatchObject({ valid: false, firstBadSeq: 5 });

    const deletedLast = await tenEntries();
    await deletedLast.raw.delete(`ENTRY#${pad(10)}`);
    expect(await deletedLast.ledger.verify('o-1')).toMatchObject({ valid: false, firstBadSeq: 10 });

    const inserted = await tenEntries();
    for (let seq = 10; seq >= 5; seq--) {
      const moved = await inserted.raw.get(`ENTRY#${pad(seq)}`);
      await inserted.raw.put({ ...moved, sk: `ENTRY#${pad(seq + 1)}` });
    }
    const donor = await inserted.raw.get(`ENTRY#${pad(2)}`);
    await inserted.raw.put({ ...donor, sk: `ENTRY#${pad(5)}` });
    expect(await inserted.ledger.verify('o-1')).toMatchObject({ valid: false, firstBadSeq: 5 });

    const reordered = await tenEntries();
    const [five, six] = [await reordered.raw.get(`ENTRY#${pad(5)}`), await reordered.raw.get(`ENTRY#${pad(6)}`)];
    await reordered.raw.put({ ...six, sk: five.sk });
    await reordered.raw.put({ ...five, sk: six.sk });
    expect(await reordered.ledger.verify('o-1')).toMatchObject({ valid: false, firstBadSeq: 5 });
  });

  it('catches a rewrite with a recomputed chain through the signed checkpoint', async () => {
    const { ledger, raw } = await tenEntries({ checkpoint: true });
    // A careful forger edits entry 3 and recomputes every leaf, chain and the head after it.
    let previous = (await ledger.get('o-1', 2)).chain;
    for (let seq = 3; seq <= 10; seq++) {
      const item = await raw.get(`ENTRY#${pad(seq)}`);
      const body = JSON.parse(String(item.body)) as LedgerEntry;
      if (seq === 3) body.subject = 'nothing to see';
      const leaf = leafHash(body);
      const chain = chainHash(previous, leaf);
      await raw.put({ ...item, body: JSON.stringify(body), leaf, chain });
      previous = chain;
    }
    const head = await raw.get('HEAD');
    await raw.put({ ...head, chain: previous });

    const result = await ledger.verify('o-1');

    expect(result.valid).toBe(false);
    expect(result.reason).toMatch(/checkpoint/);
  });

  it('refuses a checkpoint signed by another key', async () => {
    const { ledger, raw } = await tenEntries({ checkpoint: true });
    const genuine = (await ledger.latestCheckpoint('o-1'))!;
    const forged = foreignKey().sign(genuine);
    const pointer = await raw.get('CHECKPOINT#LATEST');
    await raw.put({ ...pointer, checkpoint: JSON.stringify(forged) });

    expect(await ledger.verify('o-1')).toMatchObject({ valid: false, checkpoint: { signature: 'invalid' } });
  });
});

describe('tampering with an export file', () => {
  async function exported() {
    const { ledger, signer } = await tenEntries({ checkpoint: true });
    const lines = await collect(ledger.exportLines('o-1'));
    const pem = (await signer.publicKey()).pem;
    const check = (tampered: string[], key: { publicKeyPem?: string } = { publicKeyPem: pem }) =>
      verifyBothWays(`${tampered.join('\n')}\n`, key);
    return { lines, check, pem };
  }

  it('verifies the untouched file, also when a line is re-serialized without changing its meaning', async () => {
    const { lines, check } = await exported();
    const pretty = [...lines];
    pretty[3] = JSON.stringify(JSON.parse(pretty[3]!), null, 0).replace('{"chain"', '{ "chain"');

    expect(await check(lines)).toMatchObject({ valid: true, size: 10, checkpoint: { signature: 'valid' } });
    expect(await check(pretty)).toMatchObject({ valid: true, size: 10 });
  });

  it('names the first bad seq for an edited, deleted, inserted or reordered line', async () => {
    const { lines, check } = await exported();
    // Line 0 is the header; line n is seq n.
    const edited = [...lines];
    edited[5] = edited[5]!.replace('"s-5"', '"s-6"');
    const deleted = lines.filter((_, i) => i !== 5);
    const inserted = [...lines.slice(0, 5), lines[2]!, ...lines.slice(5)];
    const reordered = [...lines];
    [reordered[5], reordered[6]] = [reordered[6]!, reordered[5]!];

    for (const tampered of [edited, deleted, inserted, reordered]) {
      expect(await check(tampered)).toMatchObject({ valid: false, firstBadSeq: 5 });
    }
    expect(await check(lines.slice(0, 8))).toMatchObject({ valid: false, firstBadSeq: 8 });
  });

  it('refuses a re-signed checkpoint, and says when the signature was not checked', async () => {
    const { lines, check } = await exported();
    const header = JSON.parse(lines[0]!) as { checkpoint: Parameters<ReturnType<typeof foreignKey>['sign']>[0] };
    const forger = foreignKey();
    const resigned = [JSON.stringify({ ...header, checkpoint: forger.sign(header.checkpoint) }), ...lines.slice(1)];

    expect(await check(resigned)).toMatchObject({ valid: false, checkpoint: { signature: 'invalid' } });
    expect(await check(resigned, { publicKeyPem: forger.pem })).toMatchObject({
      valid: true,
      checkpoint: { signature: 'valid' },
    });
    expect(await check(lines, {})).toMatchObject({ valid: true, checkpoint: { signature: 'unchecked' } });
  });

  it('reaches the same verdict one-threaded and two-pass for any byte changed anywhere', async () => {
    const { lines, pem } = await exported();
    const text = `${lines.join('\n')}\n`;
    const bytes = Buffer.from(text);
    const headerEnd = bytes.indexOf(0x0a);
    let invalid = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: headerEnd + 1, max: bytes.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        async (at, value) => {
          fc.pre(bytes[at] !== value);
          const tampered = Buffer.from(bytes);
          tampered[at] = value;
          const result = await verifyBothWays(tampered.toString('latin1'), { publicKeyPem: pem });
          if (!result.valid) invalid++;
        },
      ),
      { numRuns: byTier(200, 5000) },
    );
    // Nearly every change breaks a hash; a few (a line ending turned into spacing the parser accepts) may not.
    expect(invalid).toBeGreaterThan(byTier(200, 5000) * 0.9);
  });

  it('still reaches the verdict when the leaf pass breaks (a worker that cannot start)', async () => {
    const { lines, pem } = await exported();
    const text = `${lines.join('\n')}\n`;
    const broken: LeafPass = {
      push: () => Promise.reject(new Error('worker died')),
      finish: () => Promise.reject(new Error('worker died')),
      abort() {},
    };
    const result = await verifyExportInParallel(() => [Buffer.from(text)], broken, { publicKeyPem: pem });
    expect(result).toMatchObject({ valid: true, size: 10, checkpoint: { signature: 'valid' } });
  });
});
