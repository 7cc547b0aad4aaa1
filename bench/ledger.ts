/**
 * Ledger benchmarks (`npm run bench:ledger`), ratios measured in one run:
 *  1. verify of a 1,000,000-entry JSON Lines export (format v2, ten chained checkpoints) vs a baseline
 *     that reads the same file and computes one SHA-256 per line (target: <= 2x), on one thread and as
 *     the CLI runs it (two threads, each hashing half of the file);
 *  2. what a per-entry chain hash (format v1) would add, measured the same way (docs/ledger.md, "Why
 *     no per-entry chain");
 *  3. appends/s on DynamoDB Local with 1, 8 and 32 concurrent writers to one org (one process, then 8),
 *     and 32 writers to 32 orgs.
 * Ends with exactly one line `ratio verify/baseline=<x>`.
 */
import { createHash, generateKeyPairSync, hash, sign } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsClients, DynamoStore, localCredentials } from '@evidence-portal/aws';
import { useSecondThread, workerRangePass } from '@evidence-portal/cli';
import {
  type CheckpointBody,
  type CheckpointReference,
  canonicalBody,
  chainHash,
  checkpointFormat,
  createLedger,
  exportEntryLine,
  exportHeaderLine,
  exportTrailerLine,
  genesisChain,
  LineSplitter,
  leafHashOfCanonical,
  MerkleFrontier,
  type SignedCheckpoint,
  signedCheckpointBytes,
  trustedKey,
  verifyExport,
  verifyExportFile,
} from '@evidence-portal/core';
import { startLocalStack } from '@evidence-portal/local-stack';

// Optional arguments for a quick look: `tsx bench/ledger.ts [entries] [--verify-only]`.
const entryCount = Number(process.argv[2] ?? 1_000_000);
const verifyOnly = process.argv.includes('--verify-only');
const appendsPerRun = 240;
const checkpointEvery = Math.ceil(entryCount / 10);

async function writeExport(file: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const fingerprint = createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex');
  const frontier = new MerkleFrontier();
  const lines: string[] = [];
  const checkpoints: SignedCheckpoint[] = [];
  let previous: CheckpointReference | null = null;
  let lastLeaf = '';
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
    frontier.push(leaf);
    lines.push(exportEntryLine(canonical, leaf));
    lastLeaf = leaf;
    if (seq % checkpointEvery === 0 || seq === entryCount) {
      const checkpointBody: CheckpointBody = {
        format: checkpointFormat,
        org: 'o-bench',
        size: seq,
        merkleRoot: frontier.root(),
        time: new Date().toISOString(),
        previous,
        keyId: 'bench',
        keyFingerprint: fingerprint,
      };
      const signature = sign('sha256', Buffer.from(signedCheckpointBytes(checkpointBody)), {
        key: privateKey,
        dsaEncoding: 'der',
      }).toString('base64');
      checkpoints.push({ ...checkpointBody, signature });
      previous = { size: seq, merkleRoot: checkpointBody.merkleRoot };
    }
  }
  const out = createWriteStream(file);
  out.write(`${exportHeaderLine('o-bench', checkpoints)}\n`);
  for (let i = 0; i < lines.length; i += 10_000) {
    if (!out.write(`${lines.slice(i, i + 10_000).join('\n')}\n`)) await once(out, 'drain');
  }
  out.write(`${exportTrailerLine({ seq: entryCount, leaf: lastLeaf })}\n`);
  out.end();
  await once(out, 'finish');
  return publicKey.export({ format: 'pem', type: 'spki' }).toString();
}

const readFile = (file: string, start = 0) => createReadStream(file, { start, highWaterMark: 1 << 20 });

async function baseline(file: string): Promise<number> {
  let lines = 0;
  // The verifier's own line splitter and one-shot hash primitive: the ratio measures work, not API overhead.
  const splitter = new LineSplitter();
  const onLine = (line: Buffer) => {
    hash('sha256', line, 'hex');
    lines++;
    return true;
  };
  for await (const chunk of readFile(file)) splitter.push(chunk as Buffer, onLine);
  splitter.end(onLine);
  return lines;
}

/** The per-entry work a format-v1 chain adds: decode the leaf, one 64-byte hash, compare (as v1 verified it). */
function chainCost(): number {
  const leaf = createHash('sha256').update('x').digest('hex');
  let chain = genesisChain;
  const startedAt = process.hrtime.bigint();
  for (let i = 0; i < entryCount; i++) chain = chainHash(chain, leaf);
  if (chain.length !== 64) throw new Error('unreachable');
  return Number(process.hrtime.bigint() - startedAt) / 1e6;
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
    const store = new DynamoStore(clients.documents, stack.info.tableName);
    // One ledger instance is one process (its appends to an org are grouped into shared transactions);
    // several instances race each other on the head, as Lambda instances do.
    const scenarios = [
      { name: '1 writer, 1 org', writers: 1, orgs: 1, instances: 1 },
      { name: '8 writers, 1 org', writers: 8, orgs: 1, instances: 1 },
      { name: '32 writers, 1 org', writers: 32, orgs: 1, instances: 1 },
      { name: '32 writers in 8 processes, 1 org', writers: 32, orgs: 1, instances: 8 },
      { name: '32 writers, 32 orgs', writers: 32, orgs: 32, instances: 1 },
    ];
    for (const [n, scenario] of scenarios.entries()) {
      const ledgers = Array.from({ length: scenario.instances }, () =>
        createLedger({ store, clock: { now: () => new Date() } }),
      );
      const perWriter = Math.ceil(appendsPerRun / scenario.writers);
      const { ms } = await timed(() =>
        Promise.all(
          Array.from({ length: scenario.writers }, async (_, w) => {
            for (let i = 0; i < perWriter; i++) {
              await ledgers[w % ledgers.length]!.append({
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
  const keys = [trustedKey(generated.value)];
  const size = statSync(file).size;

  // Interleaved rounds, so each verification is compared with a baseline taken moments before it on
  // a machine whose load moves (2 vCPUs shared with other work): the ratio reported is the median of
  // the per-round ratios, with the best times beside it.
  const baselineMs: number[] = [];
  const sequentialMs: number[] = [];
  const verifyMs: number[] = [];
  const chainMs: number[] = [];
  const rounds = 5;
  for (let round = 0; round < rounds; round++) {
    const base = await timed(() => baseline(file));
    const sequential = await timed(() => verifyExport(readFile(file), { keys }));
    const check = await timed(() =>
      verifyExportFile({ size, open: (start) => readFile(file, start) }, workerRangePass(file), { keys }),
    );
    for (const result of [sequential.value, check.value]) {
      if (!result.valid || result.size !== entryCount || base.value !== entryCount + 2) {
        throw new Error(`benchmark export did not verify: ${JSON.stringify(result)}`);
      }
    }
    baselineMs.push(base.ms);
    sequentialMs.push(sequential.ms);
    verifyMs.push(check.ms);
    chainMs.push(chainCost());
  }
  const bestBaseline = Math.min(...baselineMs);
  const bestSequential = Math.min(...sequentialMs);
  const bestVerify = Math.min(...verifyMs);
  const bestChain = Math.min(...chainMs);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const perRound = (times: number[]) => median(times.map((ms, i) => ms / baselineMs[i]!));
  const rate = (ms: number) => `${((entryCount / ms) * 1000).toFixed(0)} entries/s`;
  console.log(`baseline (read + 1 SHA-256 per line, one thread): ${bestBaseline.toFixed(0)} ms`);
  console.log(
    `verify, one thread (leaf + Merkle tree + 10 checkpoint roots and signatures): best ${bestSequential.toFixed(0)} ms, ` +
      `${rate(bestSequential)}; median ratio ${perRound(sequentialMs).toFixed(2)} (best/best ${(bestSequential / bestBaseline).toFixed(2)})`,
  );
  console.log(
    `verify on two threads (each hashing half): best ${bestVerify.toFixed(0)} ms, ${rate(bestVerify)}; ` +
      `median ratio ${perRound(verifyMs).toFixed(2)} (best/best ${(bestVerify / bestBaseline).toFixed(2)})`,
  );
  // What `evidence ledger verify` runs: two threads for a large file when a core is free (its --threads auto).
  const twoThreads = useSecondThread(size);
  const cliRatio = perRound(twoThreads ? verifyMs : sequentialMs);
  console.log(
    `verify as the CLI runs it (${twoThreads ? 'two threads' : 'one thread: no core free'}, load ${loadavg()[0]?.toFixed(1)} ` +
      `on ${availableParallelism()} cores): median ratio ${cliRatio.toFixed(2)}`,
  );
  console.log(
    `a per-entry chain hash (format v1) would add ${bestChain.toFixed(0)} ms of one thread's work ` +
      `(median ${perRound(chainMs).toFixed(2)}x the baseline): one thread ~${(perRound(sequentialMs) + perRound(chainMs)).toFixed(2)}, ` +
      `two threads ~${(perRound(verifyMs) + perRound(chainMs) / 2).toFixed(2)}`,
  );
  if (!verifyOnly) for (const line of await appendRates()) console.log(line);
  console.log(`ratio verify/baseline=${cliRatio.toFixed(2)}`);
} finally {
  if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  else console.log(dir);
}
