import type { Clock, Logger, Store } from '@evidence-portal/core';
import { ConditionFailedError } from '@evidence-portal/core';

/** Marks that the demo data is in place; its presence makes a second seed a no-op. */
const seedMarker = { pk: 'SEED', sk: 'demo' } as const;

export interface DemoSeedResult {
  seeded: boolean;
  seededAt: string;
}

/**
 * Seeds the demo organization for `npm start` (never against AWS: only the local composition root
 * calls it). Idempotent: the marker item is written last under a not-exists condition, and every
 * item before it is a conditional put of a fixed key, so a crash half-way is completed next start.
 * Later capabilities add their demo data here.
 */
export async function seedDemoData(store: Store, clock: Clock, logger: Logger): Promise<DemoSeedResult> {
  const existing = await store.get(seedMarker, { consistent: true });
  if (existing) {
    const seededAt = String(existing.seededAt);
    logger.log('info', 'demo data already present', { seededAt });
    return { seeded: false, seededAt };
  }
  const seededAt = clock.now().toISOString();
  const items = [
    {
      pk: 'ORG#example-corp',
      sk: 'PROFILE',
      name: 'Example Corp',
      managementAccountId: '111111111111',
      createdAt: seededAt,
      demo: true,
    },
  ];
  for (const item of items) {
    try {
      await store.put(item, { kind: 'notExists' });
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
  }
  try {
    await store.put({ ...seedMarker, seededAt }, { kind: 'notExists' });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
  }
  logger.log('info', 'demo data seeded', { seededAt, items: items.length });
  return { seeded: true, seededAt };
}
