import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '@evidence-portal/api';
import { createAwsClients, localCredentials } from '@evidence-portal/aws';
import { runCli } from '@evidence-portal/cli';
import {
  canonicalJson,
  checkpointAllLedgers,
  entryItem,
  type IntegrityFaultKind,
  type LedgerEntryBody,
  type Logger,
  leafHashOfCanonical,
  padSeq,
} from '@evidence-portal/core';
import { createTestApp } from '../support/app.js';
import { localStack } from '../support/context.js';
import { allowAllAuthorizer, asPrincipal, testPrincipal } from '../support/principal.js';

export const orgId = 'o-t';
const pk = `LEDGER#${orgId}`;
export const entryKey = (seq: number) => `ENTRY#${padSeq(seq)}`;
export const checkpointKey = (size: number) => `CHECKPOINT#${padSeq(size)}`;
const blobKey = (size: number) => `${orgId}/${padSeq(size)}.json`;

/** Every log line, to see the integrity alarm's error log and metric line. */
export function capturingLogger() {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  const logger: Logger = {
    log(level, message, fields = {}) {
      lines.push({ level, message, fields });
    },
    child() {
      return logger;
    },
  };
  return { logger, lines };
}

const clients = () => {
  const info = localStack();
  return createAwsClients({
    region: info.region,
    dynamodbEndpoint: info.dynamodbEndpoint,
    s3Endpoint: info.s3Endpoint,
    credentials: localCredentials,
  });
};

/** The app with a capturing logger, on a fresh table and checkpoints bucket. */
async function appOnFreshTable() {
  const log = capturingLogger();
  const test = await createTestApp({ overrides: { authorizer: allowAllAuthorizer, logger: log.logger } });
  const mine = asPrincipal(test.app, testPrincipal({ orgId }));
  return { ...test, mine, log, bucket: test.config.buckets.checkpoints };
}

/**
 * The scenario every tampering starts from: acts 1..10, a checkpoint of 10 (announced at 11), acts
 * 12..16, a checkpoint of 16 (announced at 17), acts 18..20. Built once, then copied into a fresh
 * table and bucket per case.
 */
export async function buildScenario() {
  const base = await appOnFreshTable();
  const act = (i: number) =>
    base.deps.ledger.append({
      orgId,
      actor: { type: 'user', id: i % 2 ? 'alice' : 'bob', email: i % 2 ? 'alice@example.com' : 'bob@example.com' },
      action: i % 3 ? 'report:Downloaded' : 'agreement:Accepted',
      subject: `s-${i}`,
      ...(i % 4 === 0 ? { accountId: '444444444444' } : {}),
      details: { i, note: `act ${i}` },
    });
  for (let i = 1; i <= 10; i++) await act(i);
  await base.deps.ledger.checkpoint(orgId);
  for (let i = 12; i <= 16; i++) await act(i);
  await base.deps.ledger.checkpoint(orgId);
  for (let i = 18; i <= 20; i++) await act(i);
  const { documents, s3 } = clients();
  const items = (await documents.send(new ScanCommand({ TableName: base.tableName }))).Items ?? [];
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: base.bucket }));
  const objects = await Promise.all(
    (listed.Contents ?? []).map(async ({ Key }) => {
      const object = await s3.send(new GetObjectCommand({ Bucket: base.bucket, Key }));
      return { key: Key!, body: await buffer(object.Body as NodeJS.ReadableStream) };
    }),
  );
  const pem = (await base.deps.signer.publicKey()).pem;
  return { items, objects, pem };
}

export type Scenario = Awaited<ReturnType<typeof buildScenario>>;

/** A copy of the scenario on its own table and bucket, with raw access as someone with table access has it. */
export async function tamperable(scenario: Scenario) {
  const target = await appOnFreshTable();
  const { documents, s3 } = clients();
  const TableName = target.tableName;
  for (let i = 0; i < scenario.items.length; i += 25) {
    const chunk = scenario.items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    await documents.send(new BatchWriteCommand({ RequestItems: { [TableName]: chunk } }));
  }
  for (const { key, body } of scenario.objects) {
    await s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: body }));
  }
  const raw = {
    async get(sk: string) {
      return (await documents.send(new GetCommand({ TableName, Key: { pk, sk } }))).Item!;
    },
    async put(item: Record<string, unknown>) {
      await documents.send(new PutCommand({ TableName, Item: item }));
    },
    async delete(sk: string) {
      await documents.send(new DeleteCommand({ TableName, Key: { pk, sk } }));
    },
    body(item: Record<string, unknown>): LedgerEntryBody {
      return JSON.parse(String(item.body)) as LedgerEntryBody;
    },
    /**
     * Rewrites an entry's body (as JCS of whatever the edit leaves, extra members included); `recompute`
     * also stores the new body's leaf, as a careful forger would.
     */
    async editEntry(seq: number, edit: (body: LedgerEntryBody) => void, recompute: boolean) {
      const item = await raw.get(entryKey(seq));
      const body = raw.body(item);
      edit(body);
      const canonical = canonicalJson(body);
      const leaf = leafHashOfCanonical(canonical);
      // Recomputing means the derived attributes too (the index keys, time, action).
      await raw.put(recompute ? { ...item, ...entryItem({ ...body, leaf }, canonical) } : { ...item, body: canonical });
    },
    async setHead(seq: number) {
      const head = await raw.get('HEAD');
      const entry = await raw.get(entryKey(seq));
      await raw.put({ ...head, seq, leaf: entry.leaf, time: entry.time });
    },
    async checkpointJson(size: number) {
      return String((await raw.get(checkpointKey(size))).checkpoint);
    },
    async putCheckpoint(size: number, json: string) {
      await raw.put({ pk, sk: checkpointKey(size), checkpoint: json });
      await s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: blobKey(size), Body: json }));
    },
    async deleteCheckpointItem(size: number) {
      await raw.delete(checkpointKey(size));
    },
    async deleteCheckpointObject(size: number) {
      await s3.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: blobKey(size) }));
    },
    async checkpointSizes() {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: target.bucket }));
      const items = (await documents.send(new ScanCommand({ TableName }))).Items ?? [];
      return {
        table: items.filter((item) => /^CHECKPOINT#\d+$/.test(String(item.sk))).length,
        bucket: (listed.Contents ?? []).length,
      };
    },
  };
  return { ...target, raw, pem: scenario.pem };
}

export type Tampering = Awaited<ReturnType<typeof tamperable>>;

/** `GET /api/ledger/verify`. */
export async function apiVerify(t: Tampering) {
  const response = await t.mine.request('/api/ledger/verify');
  return (await response.json()) as { valid: boolean; firstBadSeq?: number; faults: { kind: IntegrityFaultKind }[] };
}

/** `GET /api/ledger/export` to a file, then `evidence ledger verify --public-key ... --json`. */
export async function cliVerify(t: Tampering, extra: string[] = []) {
  const dir = await mkdtemp(join(tmpdir(), 'ledger-tamper-'));
  const file = join(dir, 'export.jsonl');
  const key = join(dir, 'key.pem');
  writeFileSync(file, await (await t.mine.request('/api/ledger/export')).text());
  writeFileSync(key, t.pem);
  let out = '';
  const code = await runCli(['ledger', 'verify', file, '--public-key', key, '--json', ...extra], {
    stdout: (text) => {
      out += text;
    },
    stderr: () => {},
    env: {},
  });
  return { code, result: JSON.parse(out) as { valid: boolean; firstBadSeq?: number; faults: { kind: string }[] } };
}

/**
 * The rest of the sequence: an ordinary act through the API (a policy is created), then the
 * scheduled checkpoint job. Reports what a monitor would see.
 */
export async function actThenJob(t: Tampering, deps: AppDeps = t.deps) {
  const before = await t.raw.checkpointSizes();
  const act = await t.mine.request('/api/org/policies', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: `after-tamper-${Date.now()}`,
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'portal:ListReports', Resource: '*' }],
      },
    }),
  });
  const run = await checkpointAllLedgers({ ledger: deps.ledger });
  const after = await t.raw.checkpointSizes();
  const alert = await deps.ledger.integrityAlert(orgId);
  const errors = t.log.lines.filter((line) => line.level === 'error');
  return {
    act: { status: act.status, body: (await act.json()) as { code?: string } },
    run,
    newCheckpoints: { table: after.table - before.table, bucket: after.bucket - before.bucket },
    alert,
    errorLogged: errors.some((line) => line.message === 'ledger integrity alert'),
    metricEmitted: errors.some((line) => line.fields.IntegrityAlert === 1 && typeof line.fields._aws === 'object'),
  };
}
