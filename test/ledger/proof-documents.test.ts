import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@evidence-portal/cli';
import { trustedKey, verifyProofDocument } from '@evidence-portal/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.js';
import { allowAllAuthorizer, asPrincipal, testPrincipal } from '../support/principal.js';
import { actor } from './ledger-fixtures.js';

type Json = Record<string, unknown>;

/** Adds a member at a path of a copy of the document. */
function withExtra(doc: Json, path: string[], name: string, value: unknown = 'smuggled'): Json {
  const copy = structuredClone(doc);
  let at: Json = copy;
  for (const key of path) at = at[key] as Json;
  at[name] = value;
  return copy;
}

describe('proof documents carry only hashed content', () => {
  let inclusion: Json;
  let consistency: Json;
  let keys: ReturnType<typeof trustedKey>[];
  let pem: string;
  beforeAll(async () => {
    const { app, deps } = await createTestApp({ overrides: { authorizer: allowAllAuthorizer } });
    const mine = asPrincipal(app, testPrincipal({ orgId: 'o-proofs' }));
    const act = (i: number) =>
      deps.ledger.append({ orgId: 'o-proofs', actor: actor('alice'), action: 'report:Downloaded', subject: `s-${i}` });
    for (let i = 1; i <= 6; i++) await act(i);
    await deps.ledger.checkpoint('o-proofs');
    for (let i = 8; i <= 10; i++) await act(i);
    await deps.ledger.checkpoint('o-proofs');
    inclusion = (await (await mine.request('/api/ledger/proofs/inclusion?seq=3')).json()) as Json;
    consistency = (await (await mine.request('/api/ledger/proofs/consistency?from=6')).json()) as Json;
    pem = (await deps.signer.publicKey()).pem;
    keys = [trustedKey(pem)];
  });

  it('serves documents with no derived or unsigned members, and they verify', () => {
    expect(Object.keys(inclusion).sort()).toEqual(['checkpoint', 'entry', 'format', 'proof']);
    expect(Object.keys(inclusion.entry as Json)).not.toContain('leaf');
    expect(Object.keys(inclusion.entry as Json)).not.toContain('chain');
    expect(verifyProofDocument(inclusion, { keys })).toMatchObject({ valid: true, signatures: 'valid' });
    expect(verifyProofDocument(consistency, { keys })).toMatchObject({ valid: true, signatures: 'valid' });
  });

  it('refuses a document with any member it does not know, wherever it is', () => {
    const tampered = [
      withExtra(inclusion, [], 'note'),
      withExtra(inclusion, ['entry'], 'chain', 'ab'.repeat(32)),
      withExtra(inclusion, ['entry'], 'leaf', 'ab'.repeat(32)),
      withExtra(inclusion, ['entry', 'actor'], 'role'),
      withExtra(inclusion, ['checkpoint'], 'note'),
      withExtra(inclusion, ['checkpoint', 'previous'], 'note'),
      withExtra(consistency, [], 'note'),
      withExtra(consistency, ['oldCheckpoint'], 'note'),
      withExtra(consistency, ['newCheckpoint'], 'note'),
    ];
    for (const doc of tampered) {
      const result = verifyProofDocument(doc, { keys });
      expect(result.valid, JSON.stringify(doc).slice(0, 120)).toBe(false);
      expect(result.reason).toMatch(/unknown member/);
    }
  });

  it('refuses an edited entry or checkpoint, and documents of the old format', () => {
    const edited = structuredClone(inclusion) as { entry: Json };
    edited.entry.subject = 'something else';
    const resized = structuredClone(inclusion) as { checkpoint: Json };
    resized.checkpoint.size = 9;
    const oldFormat = { ...inclusion, format: 'evidence-portal.ledger-inclusion-proof.v1' };

    expect(verifyProofDocument(edited, { keys })).toMatchObject({ valid: false });
    expect(verifyProofDocument(resized, { keys })).toMatchObject({ valid: false, signatures: 'invalid' });
    expect(verifyProofDocument(oldFormat, { keys })).toMatchObject({ valid: false, reason: 'unknown proof format' });
  });

  it('is checked the same way by evidence ledger verify-proof', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-proofs-'));
    writeFileSync(join(dir, 'key.pem'), pem);
    writeFileSync(join(dir, 'good.json'), JSON.stringify(inclusion));
    writeFileSync(join(dir, 'extra.json'), JSON.stringify(withExtra(inclusion, ['entry'], 'chain', '00'.repeat(32))));
    const run = async (file: string) => {
      let out = '';
      const code = await runCli(['ledger', 'verify-proof', join(dir, file), '--public-key', join(dir, 'key.pem')], {
        stdout: (text) => (out += text),
        stderr: () => {},
        env: {},
      });
      return { code, out };
    };

    expect(await run('good.json')).toMatchObject({ code: 0, out: expect.stringContaining('inclusion proof: VALID') });
    expect(await run('extra.json')).toMatchObject({ code: 1, out: expect.stringContaining('unknown member "chain"') });
  });
});
