import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@evidence-portal/cli';
import {
  type LedgerEntry,
  type SignedCheckpoint,
  trustedKey,
  verifyExport,
  verifyProofDocument,
} from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.js';
import { allowAllAuthorizer, asPrincipal, testPrincipal } from '../support/principal.js';
import { actor } from './ledger-fixtures.js';

async function appWithLedger() {
  const { app, deps } = await createTestApp({ overrides: { authorizer: allowAllAuthorizer } });
  for (let i = 1; i <= 7; i++) {
    await deps.ledger.append({
      orgId: 'o-mine',
      actor: actor(i % 2 ? 'alice' : 'bob'),
      action: i === 4 ? 'agreement:Accepted' : 'report:Downloaded',
      subject: `s-${i}`,
      ...(i % 3 === 0 ? { accountId: '333333333333' } : {}),
    });
  }
  await deps.ledger.append({ orgId: 'o-theirs', actor: actor('eve'), action: 'report:Downloaded', subject: 'x' });
  return { mine: asPrincipal(app, testPrincipal({ orgId: 'o-mine' })), app, deps };
}

describe('ledger routes', () => {
  it('lists the caller org only, newest first, with filters and a cursor', async () => {
    const { mine } = await appWithLedger();

    const first = (await (await mine.request('/api/ledger?limit=3')).json()) as {
      items: LedgerEntry[];
      nextCursor?: string;
    };
    const rest = (await (await mine.request(`/api/ledger?limit=10&cursor=${first.nextCursor}`)).json()) as {
      items: LedgerEntry[];
      nextCursor?: string;
    };
    const byActor = (await (await mine.request('/api/ledger?actor=bob')).json()) as { items: LedgerEntry[] };
    const byAction = (await (await mine.request('/api/ledger?action=agreement:Accepted')).json()) as {
      items: LedgerEntry[];
    };
    const byAccount = (await (await mine.request('/api/ledger?accountId=333333333333')).json()) as {
      items: LedgerEntry[];
    };

    expect(first.items.map((e) => e.seq)).toEqual([7, 6, 5]);
    expect(rest.items.map((e) => e.seq)).toEqual([4, 3, 2, 1]);
    expect(rest.nextCursor).toBeUndefined();
    expect([...first.items, ...rest.items].every((e) => e.orgId === 'o-mine')).toBe(true);
    expect(byActor.items.map((e) => e.seq)).toEqual([6, 4, 2]);
    expect(byAction.items.map((e) => e.seq)).toEqual([4]);
    expect(byAccount.items.map((e) => e.seq)).toEqual([6, 3]);
  });

  it('answers bad filters with a 400 problem', async () => {
    const { mine } = await appWithLedger();
    for (const query of ['from=yesterday', 'limit=0', 'accountId=12', 'cursor=%%%', 'cursor=eyJrIjoiWiJ9']) {
      const response = await mine.request(`/api/ledger?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    }
  });

  it('verifies, checkpoints and exports the caller org ledger', async () => {
    const { mine, deps } = await appWithLedger();

    const none = await mine.request('/api/ledger/checkpoints/latest');
    const signed = await mine.request('/api/ledger/checkpoints', { method: 'POST' });
    const latest = await mine.request('/api/ledger/checkpoints/latest');
    const verdict = await mine.request('/api/ledger/verify');
    const exported = await mine.request('/api/ledger/export');

    expect(none.status).toBe(404);
    expect(signed.status).toBe(200);
    const checkpoint = (await signed.json()) as SignedCheckpoint;
    expect(checkpoint).toMatchObject({ org: 'o-mine', size: 7 });
    expect(await latest.json()).toEqual(checkpoint);
    // The checkpoint's own announcement is entry 8.
    expect(await verdict.json()).toMatchObject({
      valid: true,
      size: 8,
      faults: [],
      anchored: true,
      checkpoints: { count: 1, signatures: 'valid', newest: { size: 7 } },
    });
    expect(exported.headers.get('content-type')).toBe('application/x-ndjson');
    const text = await exported.text();
    // Header, 8 entries, the head.
    expect(text.trim().split('\n')).toHaveLength(10);
    const offline = await verifyExport([text], { keys: [trustedKey((await deps.signer.publicKey()).pem)] });
    expect(offline).toMatchObject({ valid: true, size: 8, orgId: 'o-mine', checkpoints: { signatures: 'valid' } });
  });

  it('shows another organization nothing, and an empty ledger as not found', async () => {
    const { app } = await appWithLedger();
    const stranger = asPrincipal(app, testPrincipal({ orgId: 'o-empty' }));

    expect(((await (await stranger.request('/api/ledger')).json()) as { items: unknown[] }).items).toEqual([]);
    expect((await stranger.request('/api/ledger/checkpoints', { method: 'POST' })).status).toBe(404);
    expect((await stranger.request('/api/ledger/checkpoints/latest')).status).toBe(404);
    expect(await (await stranger.request('/api/ledger/verify')).json()).toMatchObject({ valid: true, size: 0 });
  });

  it('needs a session and portal:ReadLedger', async () => {
    const { app } = await createTestApp();
    const denied = asPrincipal(app, testPrincipal({ orgId: 'o-mine' }));

    expect((await app.request('/api/ledger')).status).toBe(401);
    expect((await denied.request('/api/ledger')).status).toBe(403);
    expect((await denied.request('/api/ledger/export')).status).toBe(403);
  });

  it('proves inclusion and consistency against signed checkpoints, verifiable offline with the CLI', async () => {
    const { mine, deps } = await appWithLedger();
    expect((await mine.request('/api/ledger/proofs/inclusion?seq=2')).status).toBe(404);
    await mine.request('/api/ledger/checkpoints', { method: 'POST' });
    for (let i = 8; i <= 12; i++) {
      await deps.ledger.append({
        orgId: 'o-mine',
        actor: actor('alice'),
        action: 'report:Downloaded',
        subject: `s-${i}`,
      });
    }
    await mine.request('/api/ledger/checkpoints', { method: 'POST' });
    const listed = (await (await mine.request('/api/ledger/checkpoints')).json()) as { items: SignedCheckpoint[] };
    expect(listed.items.map((c) => c.size)).toEqual([13, 7]);

    const inclusion = await (await mine.request('/api/ledger/proofs/inclusion?seq=5&size=7')).json();
    const latestInclusion = await (await mine.request('/api/ledger/proofs/inclusion?seq=11')).json();
    const consistency = await (await mine.request('/api/ledger/proofs/consistency?from=7')).json();
    const publicKeyPem = (await deps.signer.publicKey()).pem;
    const keys = [trustedKey(publicKeyPem)];
    for (const doc of [inclusion, latestInclusion, consistency]) {
      expect(verifyProofDocument(doc, { keys })).toMatchObject({ valid: true, signatures: 'valid' });
    }
    // An edited entry, or a proof moved to another seq, no longer proves anything.
    const edited = structuredClone(inclusion) as { entry: LedgerEntry };
    edited.entry.subject = 'something else';
    expect(verifyProofDocument(edited, { keys })).toMatchObject({ valid: false });
    const moved = structuredClone(inclusion) as { entry: LedgerEntry };
    moved.entry.seq = 4;
    expect(verifyProofDocument(moved, { keys })).toMatchObject({ valid: false });

    // Bad asks: a size without a checkpoint, a seq beyond it, from beyond to, junk.
    expect((await mine.request('/api/ledger/proofs/inclusion?seq=2&size=9')).status).toBe(404);
    for (const query of [
      'inclusion?seq=9&size=7',
      'consistency?from=12&to=7',
      'inclusion?seq=x',
      'consistency?from=0',
    ]) {
      const response = await mine.request(`/api/ledger/proofs/${query}`);
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    }

    const dir = mkdtempSync(join(tmpdir(), 'ledger-proof-'));
    writeFileSync(join(dir, 'key.pem'), publicKeyPem);
    writeFileSync(join(dir, 'inclusion.json'), JSON.stringify(inclusion));
    writeFileSync(join(dir, 'edited.json'), JSON.stringify(edited));
    const run = async (file: string) => {
      let out = '';
      const code = await runCli(['ledger', 'verify-proof', join(dir, file), '--public-key', join(dir, 'key.pem')], {
        stdout: (text: string) => {
          out += text;
        },
        stderr: () => {},
        env: {},
      });
      return { code, out };
    };
    expect(await run('inclusion.json')).toMatchObject({
      code: 0,
      out: expect.stringContaining('inclusion proof: VALID'),
    });
    expect(await run('edited.json')).toMatchObject({ code: 1, out: expect.stringContaining('INVALID') });
  });
});
