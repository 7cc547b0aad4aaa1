import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpWebhookTransport, LogEmailSender } from '@evidence-portal/aws';
import { runCli } from '@evidence-portal/cli';
import {
  AddressAllowList,
  createSubscription,
  createUlidGenerator,
  createWebhook,
  deliverNotifications,
  type SignedCheckpoint,
  systemClock,
  verifyCheckpointSignature,
  verifyConsistency,
} from '@evidence-portal/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalReceiver } from '../notifications/local-receiver.js';
import { recordingLogger } from '../notifications/support.js';
import { actor, collect, ledgerOnFreshTable } from './ledger-fixtures.js';

const receivers: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

interface CheckpointPayload {
  type: string;
  entry: {
    action: string;
    details: { checkpoint: SignedCheckpoint; consistency?: { fromSize: number; proof: string[] } };
  };
}

// Witnessing (C2SP tlog-witness in spirit): each signed checkpoint reaches the org's subscribers, so
// copies exist outside the portal's database, and a held copy is evidence the CLI checks.
describe('signed checkpoints are published to subscribers', () => {
  it('delivers each checkpoint as a ledger.checkpoint webhook, with the consistency proof from the one before', async () => {
    const { ledger, store, signer } = await ledgerOnFreshTable();
    const orgId = 'o-witness';
    const receiver = await startLocalReceiver();
    receivers.push(receiver);
    const deps = {
      store,
      clock: systemClock,
      ids: createUlidGenerator(systemClock),
      urlPolicy: { stage: 'test', allowList: new AddressAllowList(['127.0.0.1']) },
    };
    const owner = { orgId, userId: 'u-auditor', email: 'auditor@example.com' };
    const { webhook } = await createWebhook(deps, owner, { url: receiver.url, description: 'witness' });
    await createSubscription(deps, owner, {
      kinds: ['ledger.checkpoint'],
      filters: {},
      channels: ['webhook'],
      webhookId: webhook.webhookId,
    });
    const { logger } = recordingLogger();
    const worker = {
      store,
      clock: systemClock,
      logger,
      transport: new HttpWebhookTransport({ allowHttp: true, allowList: new AddressAllowList(['127.0.0.1']) }),
      email: new LogEmailSender(logger),
    };
    const act = (i: number) =>
      ledger.append({ orgId, actor: actor('u'), action: 'report:Downloaded', subject: `s-${i}` });
    for (let i = 0; i < 4; i++) await act(i);
    const first = (await ledger.checkpoint(orgId)) as SignedCheckpoint;
    for (let i = 0; i < 3; i++) await act(i);
    const second = (await ledger.checkpoint(orgId)) as SignedCheckpoint;

    await deliverNotifications(worker, orgId);

    const payloads = receiver.received.map((request) => JSON.parse(request.body) as CheckpointPayload);
    expect(payloads.map((p) => [p.type, p.entry.action])).toEqual([
      ['ledger.checkpoint', 'ledger:CheckpointSigned'],
      ['ledger.checkpoint', 'ledger:CheckpointSigned'],
    ]);
    const [one, two] = payloads.map((p) => p.entry.details);
    expect(one?.checkpoint).toEqual(first);
    expect(two?.checkpoint).toEqual(second);
    const pem = (await signer.publicKey()).pem;
    expect(verifyCheckpointSignature(two!.checkpoint, pem)).toBe(true);
    // A witness holding the first checkpoint checks the second with nothing else.
    expect(two?.checkpoint.previous).toEqual({ size: first.size, merkleRoot: first.merkleRoot });
    expect(two?.consistency?.fromSize).toBe(first.size);
    expect(
      verifyConsistency(first.size, second.size, first.merkleRoot, second.merkleRoot, two!.consistency!.proof),
    ).toBe(true);

    // The webhook body as the witness stored it is a held checkpoint for the CLI.
    const dir = mkdtempSync(join(tmpdir(), 'ledger-witness-'));
    writeFileSync(join(dir, 'held.json'), receiver.received[1]!.body);
    writeFileSync(join(dir, 'key.pem'), pem);
    writeFileSync(join(dir, 'export.jsonl'), `${(await collect(ledger.exportLines(orgId))).join('\n')}\n`);
    let out = '';
    const code = await runCli(
      [
        'ledger',
        'verify',
        join(dir, 'export.jsonl'),
        '--public-key',
        join(dir, 'key.pem'),
        '--checkpoint',
        join(dir, 'held.json'),
      ],
      { stdout: (text) => (out += text), stderr: () => {}, env: {} },
    );
    expect(code).toBe(0);
    expect(out).toContain('held checkpoints checked: 1');
  });
});
