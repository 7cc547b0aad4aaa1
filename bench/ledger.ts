/**
 * Ledger benchmarks (`npm run bench:ledger`), ratios measured in one run:
 *  1. verify of a 1,000,000-entry JSON Lines export vs a baseline that reads the same file and computes
 *     one SHA-256 per line (target: <= 2x);
 *  2. appends/s on DynamoDB Local with 1, 8 and 32 concurrent writers to one org, and 32 writers to 32 orgs.
 * Ends with exactly one line `ratio verify/baseline=<x>`.
 */
import { createHash, generateKeyPairSync, hash, sign } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsClients, DynamoStore, localCredentials } from '@evidence-portal/aws';
import {
  byteLines,
  type CheckpointBody,
  canonicalBody,
  canonicalJson,
  chainHash,
  createLedger,
  exportEntryLine,
  exportHeaderLine,
  genesisChain,
  leafHashOfCanonical,
  MerkleFrontier,
  type SignedCheckpoint,
  verifyExport,
} from '@evidence-portal/core';
import { startLocalStack } from '@evidence-portal/local-stack';

// Optional arguments for a quick look: `tsx bench/ledger.ts [entries] [--verify-only]`.
const entryCount = Number(process.argv[2] ?? 1_000_000);
const verifyOnly = process.argv.includes('--verify-only');
const appendsPerRun = 240;

async function writeExport(file: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const frontier = new MerkleFrontier();
  let chain = genesisChain;
  const lines: string[] = [];
  const start = Date.UTC(2026, 0, 1);
  for (let seq = 1; seq <= entryCount; seq++) {
    const body = {
      orgId: 'o-bench',
      seq,
      time: new Date(start + seq * 1000).toISOString(),
      actor: { type: 'user' as const, id: `u-${seq % 97}`, email: `user${seq % 97}@example.com` },
      action: seq % 5 === 0 ? 'agreement:Accepted' : 'report:Downloaded',
      subject: `arn:portal:o-bench:111111111111:report/r-${seq % 1013}`,
      accountId: '111111111111',
      details: { version: seq % 7, downloadId: `d-${seq}` },
    };
    // Keys written in JCS order with plain ASCII values, so JSON.stringify gives the canonical bytes
    // faster than a general canonicalizer; checked against it on a sample.
    const canonical = JSON.stringify({
      accountId: body.accountId,
      action: body.action,
      actor: { email: body.actor.email, id: body.actor.id, type: body.actor.type },
      details: { downloadId: body.details.downloadId, version: body.details.version },
      orgId: body.orgId,
      seq,
      subject: body.subject,
      time: body.time,
    });
    if (seq <= 100 && canonical !== canonicalBody(body)) throw new Error('generator is not canonical');
    const leaf = leafHashOfCanonical(canonical);
    chain = chainHash(chain, leaf);
    frontier.push(leaf);
    lines.push(`{"chain":"${chain}","entry":${canonical},"leaf":"${leaf}"}`);
    if (seq <= 100 && lines.at(-1) !== exportEntryLine({ ...body, leaf, chain })) throw new Error('line layout');
  }
  const checkpointBody: CheckpointBody = {
    org: 'o-bench',
    size: entryCount,
    chainHead: chain,
    merkleRoot: frontier.root(),
    time: new Date().toISOString(),
  };
  const checkpoint: SignedCheckpoint = {
    ...checkpointBody,
    signature: sign('sha256', Buffer.from(canonicalJson(checkpointBody)), {
      key: privateKey,
      dsaEncoding: 'der',
    }).toString('base64'),
    keyId: 'bench',
    keyFingerprint: createHash('sha256')
      .update(publicKey.export({ format: 'der', type: 'spki' }))
      .digest('hex'),
  };
  const out = createWriteStream(file);
  out.write(`${exportHeaderLine('o-bench', checkpoint)}\n`);
  for (let i = 0; i < lines.length; i += 10_000) {
    if (!out.write(`${lines.slice(i, i + 10_000).join('\n')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return publicKey.export({ format: 'pem', type: 'spki' }).toString();
}

const readFile = (file: string) => createReadStream(file, { highWaterMark: 1 << 20 });

async function baseline(file: string): Promise<number> {
  let lines = 0;
  for await (const line of byteLines(readFile(file))) {
    // The same one-shot primitive the verifier uses, so the ratio measures work, not API overhead.
    hash('sha256', line, 'hex');
    lines++;
  }
  return lines;
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await run();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

async function appendRates() {
  const stack = await startLocalStack();
  const rates: string[] = [];
  try {
    const clients = createAwsClients({
      region: stack.info.region,
      dynamodbEndpoint: stack.info.dynamodbEndpoint,
      credentials: localCredentials,
    });
    const ledger = createLedger({
      store: new DynamoStore(clients.documents, stack.info.tableName),
      clock: { now: () => new Date() },
    });
    const scenarios = [
      { name: '1 writer, 1 org', writers: 1, orgs: 1 },
      { name: '8 writers, 1 org', writers: 8, orgs: 1 },
      { name: '32 writers, 1 org', writers: 32, orgs: 1 },
      { name: '32 writers, 32 orgs', writers: 32, orgs: 32 },
    ];
    for (const [n, scenario] of scenarios.entries()) {
      const perWriter = Math.ceil(appendsPerRun / scenario.writers);
      const { ms } = await timed(() =>
        Promise.all(
          Array.from({ length: scenario.writers }, async (_, w) => {
            for (let i = 0; i < perWriter; i++) {
              await ledger.append({
                orgId: `o-bench-${n}-${w % scenario.orgs}`,
                actor: { type: 'system', id: `writer-${w}` },
                action: 'bench:Appended',
                subject: `s-${w}-${i}`,
              });
            }
          }),
        ),
      );
      const total = perWriter * scenario.writers;
      rates.push(`appends/s ${scenario.name}: ${((total / ms) * 1000).toFixed(0)} (${total} appends)`);
    }
    clients.dynamodb.destroy();
  } finally {
    await stack.stop();
  }
  return rates;
}

const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
try {
  const file = join(dir, 'export.jsonl');
  const generated = await timed(() => writeExport(file));
  console.log(`generated ${entryCount} entries in ${(generated.ms / 1000).toFixed(1)} s`);
  const publicKeyPem = generated.value;

  // Interleaved, best of three each, so neither side profits from a warmer cache.
  const baselineMs: number[] = [];
  const verifyMs: number[] = [];
  for (let round = 0; round < 3; round++) {
    const base = await timed(() => baseline(file));
    const check = await timed(() => verifyExport(readFile(file), { publicKeyPem }));
    if (!check.value.valid || check.value.size !== entryCount || base.value !== entryCount + 1) {
      throw new Error(`benchmark export did not verify: ${JSON.stringify(check.value)}`);
    }
    baselineMs.push(base.ms);
    verifyMs.push(check.ms);
  }
  const bestBaseline = Math.min(...baselineMs);
  const bestVerify = Math.min(...verifyMs);
  console.log(`baseline (read + 1 SHA-256 per line): ${bestBaseline.toFixed(0)} ms`);
  console.log(
    `verify (leaf + chain + Merkle root + signature): ${bestVerify.toFixed(0)} ms, ` +
      `${((entryCount / bestVerify) * 1000).toFixed(0)} entries/s`,
  );
  if (!verifyOnly) for (const line of await appendRates()) console.log(line);
  console.log(`ratio verify/baseline=${(bestVerify / bestBaseline).toFixed(2)}`);
} finally {
  if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  else console.log(dir);
}
