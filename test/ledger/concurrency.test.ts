import {
  createLedger,
  DependencyUnavailableError,
  type DomainError,
  type LedgerEntry,
  verifyEntries,
} from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { byTier, tier } from '../support/context.js';
import { actor, collect, ledgerOnFreshTable } from './ledger-fixtures.js';

/** What a caller does with a typed, retryable refusal: try again with the same request token. */
async function appendUntilRecorded(append: () => Promise<LedgerEntry>, maxTries: number) {
  let retries = 0;
  for (;;) {
    try {
      return { entry: await append(), retries };
    } catch (error) {
      const code = (error as DomainError).code;
      if (retries >= maxTries || (code !== 'dependency_unavailable' && code !== 'ledger_contention')) throw error;
      retries++;
    }
  }
}

/** mulberry32: a tiny deterministic PRNG. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function expectContiguousAndUnique(entries: LedgerEntry[], subjects: string[]) {
  expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: entries.length }, (_, i) => i + 1));
  expect(entries.map((e) => e.subject).sort()).toEqual([...subjects].sort());
  expect(verifyEntries(entries)).toMatchObject({ valid: true, size: subjects.length });
}

describe('ledger appends under concurrency', () => {
  it('never forks, loses or duplicates an entry when writers race for one org', async () => {
    const { ledger: first, store } = await ledgerOnFreshTable();
    // Writers spread over several ledger instances, as over Lambda instances: each groups its own
    // writers' appends into shared transactions, and the instances race each other on the head.
    const instances = [
      first,
      ...Array.from({ length: 3 }, () => createLedger({ store, clock: { now: () => new Date() } })),
    ];
    const ledger = first;
    const writers = byTier(32, 200);
    const repetitions = byTier(1, 100);
    const subjects: string[] = [];
    let callerRetries = 0;
    const started = Date.now();

    for (let rep = 0; rep < repetitions; rep++) {
      const results = await Promise.all(
        Array.from({ length: writers }, (_, w) => {
          const subject = `rep-${rep}-writer-${w}`;
          subjects.push(subject);
          const input = {
            orgId: 'o-race',
            actor: actor(`w-${w}`),
            action: 'test:Raced',
            subject,
            requestToken: subject,
          };
          return appendUntilRecorded(() => instances[w % instances.length]!.append(input), 5);
        }),
      );
      callerRetries += results.reduce((sum, r) => sum + r.retries, 0);
    }

    const entries = await collect(ledger.entries('o-race'));
    expectContiguousAndUnique(entries, subjects);
    expect(await ledger.verify('o-race')).toMatchObject({ valid: true, size: writers * repetitions });
    if (tier() === 'soak') {
      const seconds = (Date.now() - started) / 1000;
      console.info(
        `ledger race: ${writers} writers x ${repetitions} reps = ${entries.length} entries, 0 lost, 0 duplicated, ` +
          `${callerRetries} caller retries, ${instances.length} ledger instances, ` +
          `${(entries.length / seconds).toFixed(0)} appends/s`,
      );
    }
  });
});

describe('ledger appends under injected DynamoDB faults', () => {
  const rates = [0.01, 0.1, 0.5];
  const phases = ['before the request is sent', 'after a successful send (response lost)'] as const;

  for (const rate of rates) {
    for (const phase of phases) {
      it(`keeps the chain whole at fault rate ${rate} ${phase}`, async () => {
        const fixture = await ledgerOnFreshTable({ baseDelayMs: 1, maxDelayMs: 20 });
        const { ledger, clients } = fixture;
        const faults = { rate, injected: 0, calls: 0 };
        // Seeded, so a failure reproduces; one fault is forced early so even the 1% rate is exercised
        // (group commit makes few calls).
        const random = seededRandom(Math.round(rate * 1000) + phase.length);
        const forcedAt = 3;
        const shouldFail = () => faults.rate > 0 && (++faults.calls === forcedAt || random() < faults.rate);
        clients.dynamodb.middlewareStack.add(
          (next) => async (args) => {
            const fail = () => {
              faults.injected++;
              throw Object.assign(new Error('injected fault'), {
                name: 'ServiceUnavailable',
                $fault: 'server',
                $metadata: { httpStatusCode: 503 },
              });
            };
            if (phase === phases[0] && shouldFail()) fail();
            const result = await next(args);
            if (phase === phases[1] && shouldFail()) fail();
            return result;
          },
          { step: 'initialize', name: 'ledgerFaultInjection' },
        );
        const writers = byTier(12, 48);
        const perWriter = byTier(2, 10);
        const inputs = Array.from({ length: writers * perWriter }, (_, i) => ({
          orgId: 'o-faults',
          actor: actor(`w-${i % writers}`),
          action: 'test:Faulted',
          subject: `append-${i}`,
          requestToken: `token-${i}`,
        }));

        const outcomes = await Promise.allSettled(
          Array.from({ length: writers }, async (_, w) => {
            const mine = [];
            for (let k = 0; k < perWriter; k++) {
              const input = inputs[w * perWriter + k]!;
              mine.push(await appendUntilRecorded(() => ledger.append(input), 3).catch((error: unknown) => error));
            }
            return mine;
          }),
        );
        faults.rate = 0;

        const settled = outcomes.flatMap((o) => (o.status === 'fulfilled' ? o.value : []));
        expect(settled).toHaveLength(inputs.length);
        for (const outcome of settled) {
          // Every caller either succeeded or got a typed error it can act on.
          if (!(outcome as { entry?: LedgerEntry }).entry) expect(outcome).toBeInstanceOf(DependencyUnavailableError);
        }
        // The stored chain is whole: every entry has its head advance, no gaps.
        expect(await ledger.verify('o-faults')).toMatchObject({ valid: true });
        // Callers that got an error retry with their token once the store is healthy: each act lands exactly once,
        // and a caller that already succeeded gets its original entry back.
        const replays: LedgerEntry[] = [];
        for (const input of inputs) replays.push(await ledger.append(input));
        settled.forEach((outcome, i) => {
          const entry = (outcome as { entry?: LedgerEntry }).entry;
          if (entry) expect(replays[i]).toEqual(entry);
        });
        const entries = await collect(ledger.entries('o-faults'));
        expectContiguousAndUnique(
          entries,
          inputs.map((input) => input.subject),
        );
        expect(faults.injected).toBeGreaterThan(0);
      });
    }
  }
});
