import type { IntegrityFaultKind, SignedCheckpoint } from '@evidence-portal/core';
import { expect } from 'vitest';
import { foreignKey } from './ledger-fixtures.js';
import { actThenJob, apiVerify, checkpointKey, cliVerify, entryKey, type Tampering } from './tamper-kit.js';

interface Finding {
  kind: IntegrityFaultKind;
  /** The first bad seq, where the check can name one. */
  firstBadSeq?: number;
}

export interface TamperCase {
  name: string;
  tamper(t: Tampering): Promise<void>;
  /** What `GET /api/ledger/verify` (and so the job) finds. */
  api: Finding;
  /** What `evidence ledger verify` finds in the export; `valid`: nothing is hidden in the export. */
  cli: Finding | 'valid';
  /** The head contradicts the entries, so acts are refused (503) until an operator looks. */
  appendsRefused?: boolean;
}

const reSign = (json: string, edit: (checkpoint: SignedCheckpoint) => SignedCheckpoint) =>
  JSON.stringify(edit(JSON.parse(json) as SignedCheckpoint));

/**
 * The tamper list, against the scenario of tamper-kit.ts (acts 1..10, checkpoint 10 announced
 * at 11, acts 12..16, checkpoint 16 announced at 17, acts 18..20).
 */
export const entryCases: TamperCase[] = [
  {
    name: 'edit',
    tamper: async (t) => {
      await t.raw.editEntry(5, (body) => (body.subject = 'nothing to see'), false);
    },
    api: { kind: 'entry_edited', firstBadSeq: 5 },
    cli: { kind: 'entry_edited', firstBadSeq: 5 },
  },
  {
    name: 'edit with its leaf recomputed',
    tamper: async (t) => {
      await t.raw.editEntry(5, (body) => (body.subject = 'nothing to see'), true);
    },
    // A recomputed leaf is consistent with itself: the signed root of checkpoint 10 catches it.
    api: { kind: 'checkpoint_mismatch' },
    cli: { kind: 'checkpoint_mismatch' },
  },
  {
    name: 'edit of the last entry with its leaf recomputed',
    tamper: async (t) => {
      await t.raw.editEntry(20, (body) => (body.subject = 'nothing to see'), true);
    },
    // Past every checkpoint; the head still names the old leaf, so appends stop too.
    api: { kind: 'head_mismatch', firstBadSeq: 20 },
    cli: { kind: 'head_mismatch', firstBadSeq: 20 },
    appendsRefused: true,
  },
  {
    name: 'full rewrite from an entry onward (leaves and head recomputed)',
    tamper: async (t) => {
      for (let seq = 5; seq <= 20; seq++)
        await t.raw.editEntry(seq, (body) => (body.subject = `${body.subject}'`), true);
      await t.raw.setHead(20);
    },
    api: { kind: 'checkpoint_mismatch' },
    cli: { kind: 'checkpoint_mismatch' },
  },
  {
    name: 'delete',
    tamper: (t) => t.raw.delete(entryKey(5)),
    api: { kind: 'entry_missing', firstBadSeq: 5 },
    cli: { kind: 'entry_missing', firstBadSeq: 5 },
  },
  {
    name: 'swap',
    tamper: async (t) => {
      const [five, six] = [await t.raw.get(entryKey(5)), await t.raw.get(entryKey(6))];
      await t.raw.put({ ...six, sk: five.sk });
      await t.raw.put({ ...five, sk: six.sk });
    },
    api: { kind: 'entry_misplaced', firstBadSeq: 5 },
    // The export goes 1..4, 6: entry 5 is missing where it should be.
    cli: { kind: 'entry_missing', firstBadSeq: 5 },
  },
  {
    name: 'truncate (entries and head cut back)',
    tamper: async (t) => {
      for (let seq = 15; seq <= 20; seq++) await t.raw.delete(entryKey(seq));
      await t.raw.setHead(14);
    },
    // Checkpoint 16 covers entries that are gone.
    api: { kind: 'entries_truncated', firstBadSeq: 15 },
    cli: { kind: 'entries_truncated', firstBadSeq: 15 },
  },
  {
    name: 'head rollback',
    tamper: (t) => t.raw.setHead(14),
    api: { kind: 'head_mismatch', firstBadSeq: 15 },
    cli: { kind: 'head_mismatch', firstBadSeq: 15 },
    appendsRefused: true,
  },
  {
    name: 'head deleted',
    tamper: (t) => t.raw.delete('HEAD'),
    api: { kind: 'head_mismatch', firstBadSeq: 1 },
    cli: { kind: 'head_mismatch', firstBadSeq: 1 },
    appendsRefused: true,
  },
  {
    name: 'extra member in a stored body (leaf recomputed)',
    tamper: async (t) => {
      await t.raw.editEntry(5, (body) => Object.assign(body, { approvedBy: 'nobody' }), true);
    },
    api: { kind: 'entry_malformed', firstBadSeq: 5 },
    // Offline, entry 5's bytes are hashed as they are: they no longer give checkpoint 10's root.
    cli: { kind: 'checkpoint_mismatch' },
  },
  {
    name: 'extra member in a stored body past the last checkpoint (leaf recomputed)',
    tamper: async (t) => {
      await t.raw.editEntry(19, (body) => Object.assign(body, { approvedBy: 'nobody' }), true);
    },
    // No checkpoint covers it: the verifiers read it strictly and refuse the unknown member.
    api: { kind: 'entry_malformed', firstBadSeq: 19 },
    cli: { kind: 'entry_malformed', firstBadSeq: 19 },
  },
  {
    name: 'extra attribute on a stored entry item',
    tamper: async (t) => {
      await t.raw.put({ ...(await t.raw.get(entryKey(5))), approvedBy: 'nobody' });
    },
    api: { kind: 'entry_malformed', firstBadSeq: 5 },
    // The export line cannot show it; the portal reports it in a fault line before the entry.
    cli: { kind: 'entry_malformed', firstBadSeq: 5 },
  },
  {
    name: 'index attribute changed (hides the entry from an actor filter)',
    tamper: async (t) => {
      await t.raw.put({ ...(await t.raw.get(entryKey(5))), gsi1pk: 'LEDGER#o-t#ACTOR#someone-else' });
    },
    api: { kind: 'index_attributes', firstBadSeq: 5 },
    cli: { kind: 'index_attributes', firstBadSeq: 5 },
  },
  {
    name: 'time attribute changed (moves the entry out of a time range)',
    tamper: async (t) => {
      await t.raw.put({ ...(await t.raw.get(entryKey(7))), time: '1999-01-01T00:00:00.000Z' });
    },
    api: { kind: 'index_attributes', firstBadSeq: 7 },
    cli: { kind: 'index_attributes', firstBadSeq: 7 },
  },
];

export const checkpointCases: TamperCase[] = [
  {
    name: 'checkpoint deletion (table item and bucket object)',
    tamper: async (t) => {
      await t.raw.deleteCheckpointItem(16);
      await t.raw.deleteCheckpointObject(16);
    },
    // Its announcement entry (seq 17) still names it.
    api: { kind: 'checkpoint_missing' },
    cli: { kind: 'checkpoint_missing' },
  },
  {
    name: 'checkpoint deletion from the table only',
    tamper: (t) => t.raw.deleteCheckpointItem(16),
    api: { kind: 'checkpoint_missing' },
    // The export carries the bucket's copy: nothing is hidden from an offline verifier.
    cli: 'valid',
  },
  {
    name: 'checkpoint rollback to an older genuine one',
    tamper: async (t) => t.raw.putCheckpoint(16, await t.raw.checkpointJson(10)),
    api: { kind: 'checkpoint_rollback' },
    cli: { kind: 'checkpoint_missing' },
  },
  {
    name: 'forged checkpoint body (signature kept)',
    tamper: async (t) =>
      t.raw.putCheckpoint(
        16,
        reSign(await t.raw.checkpointJson(16), (c) => ({ ...c, merkleRoot: 'ab'.repeat(32) })),
      ),
    api: { kind: 'checkpoint_forged' },
    cli: { kind: 'checkpoint_forged' },
  },
  {
    name: 'forged checkpoint signature (another key, naming the portal key)',
    tamper: async (t) => {
      const forger = foreignKey();
      await t.raw.putCheckpoint(
        16,
        reSign(await t.raw.checkpointJson(16), (c) => forger.sign(c)),
      );
    },
    api: { kind: 'checkpoint_forged' },
    cli: { kind: 'checkpoint_forged' },
  },
  {
    name: 'forged checkpoint signed by another key, naming that key',
    tamper: async (t) => {
      const forger = foreignKey();
      await t.raw.putCheckpoint(
        16,
        reSign(await t.raw.checkpointJson(16), (c) => forger.sign(c, { ownKey: true })),
      );
    },
    api: { kind: 'checkpoint_forged' },
    cli: { kind: 'checkpoint_forged' },
  },
  {
    name: 'checkpoint item replaced by bytes that are not a checkpoint',
    tamper: async (t) => {
      await t.raw.put({ ...(await t.raw.get(checkpointKey(16))), checkpoint: JSON.stringify({ size: 16 }) });
    },
    api: { kind: 'checkpoint_malformed' },
    cli: 'valid',
  },
];

const kinds = (faults: { kind: string }[]) => faults.map((fault) => fault.kind);

/** Runs one case through all three detectors: API verify, the CLI on the export, and the checkpoint job. */
export async function expectDetected(t: Tampering, testCase: TamperCase) {
  await testCase.tamper(t);
  // The CLI first: the API verify records an alert entry, which changes what an export carries.
  const cli = await cliVerify(t);
  if (testCase.cli === 'valid') {
    expect(cli, 'CLI').toMatchObject({ code: 0, result: { valid: true } });
  } else {
    expect(cli.code, 'CLI exit').toBe(1);
    expect(kinds(cli.result.faults), 'CLI faults').toContain(testCase.cli.kind);
    expect(cli.result.firstBadSeq, 'CLI first bad seq').toBe(testCase.cli.firstBadSeq);
  }

  const api = await apiVerify(t);
  expect(api.valid, 'API valid').toBe(false);
  expect(kinds(api.faults), 'API faults').toContain(testCase.api.kind);
  expect(api.firstBadSeq, 'API first bad seq').toBe(testCase.api.firstBadSeq);

  const job = await actThenJob(t);
  if (testCase.appendsRefused) {
    expect(job.act, 'act refused at once').toMatchObject({ status: 503, body: { code: 'ledger_integrity_fault' } });
  } else {
    expect(job.act.status, 'act').toBe(201);
  }
  expect(job.run, 'job').toMatchObject({ refused: 1, signed: 0 });
  expect(job.newCheckpoints, 'no checkpoint signed').toEqual({ table: 0, bucket: 0 });
  expect(job.alert, 'alert open').toMatchObject({ status: 'open', orgId: 'o-t' });
  expect(job.errorLogged, 'error log').toBe(true);
  expect(job.metricEmitted, 'IntegrityAlert metric').toBe(true);
}
