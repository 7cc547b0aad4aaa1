import { ConditionFailedError } from '../errors.js';
import type { Clock } from '../ports/runtime.js';
import type { Store } from '../ports/store.js';
import { sha256Hex } from '../sha256.js';

export interface BudgetLimit {
  /** Attempts allowed per window; the next one waits until the window ends. */
  max: number;
  windowSeconds: number;
}

/** What is counted: sign-in attempts per email, per client IP, MFA codes per email and per session, resets. */
export type BudgetKind = 'account' | 'ip' | 'mfa' | 'session' | 'reset-email' | 'reset-ip';

export type Reservation =
  | {
      granted: true /** Gives the attempt back (it was not a guess: a right password, a success). */;
      release(): Promise<void>;
    }
  | { granted: false; retryAfterSeconds: number };

/**
 * Attempt budgets in the store: one item per reserved attempt ("slot" `0..max-1` of a fixed window),
 * claimed with a `notExists` condition BEFORE the work it pays for (the slow password hash, the TOTP
 * check, a reset mail). However many requests race, at most `max` claims succeed per window, and every
 * Lambda instance sees the same slots. Keys are hashed: neither emails nor addresses sit in the items.
 * Fixed windows: the worst case is `2 × max` attempts around a window's end.
 */
export interface AttemptBudgets {
  reserve(kind: BudgetKind, value: string): Promise<Reservation>;
  /** Forgets the window's attempts (a successful sign-in resets its email's count). */
  reset(kind: BudgetKind, value: string): Promise<void>;
}

export const defaultBudgetLimits: Record<BudgetKind, BudgetLimit> = {
  account: { max: 5, windowSeconds: 15 * 60 },
  ip: { max: 20, windowSeconds: 15 * 60 },
  mfa: { max: 5, windowSeconds: 15 * 60 },
  session: { max: 5, windowSeconds: 15 * 60 },
  'reset-email': { max: 3, windowSeconds: 3600 },
  'reset-ip': { max: 10, windowSeconds: 3600 },
};

export function attemptBudgets(
  store: Store,
  clock: Clock,
  limits: Partial<Record<BudgetKind, BudgetLimit>> = {},
): AttemptBudgets {
  const limitOf = (kind: BudgetKind) => limits[kind] ?? defaultBudgetLimits[kind];
  const partition = (kind: BudgetKind, value: string) => `THROTTLE#${kind}#${sha256Hex(value.toLowerCase())}`;
  const windowOf = (kind: BudgetKind) => {
    const windowMs = limitOf(kind).windowSeconds * 1000;
    const now = clock.now().getTime();
    const index = Math.floor(now / windowMs);
    return { prefix: `W#${index}#`, end: (index + 1) * windowMs, now };
  };
  const slotsOf = async (pk: string, prefix: string) => {
    const page = await store.query(pk, { skPrefix: prefix, consistent: true, limit: 100 });
    return page.items;
  };
  return {
    async reserve(kind, value) {
      const { max } = limitOf(kind);
      const pk = partition(kind, value);
      const window = windowOf(kind);
      // Each round either claims a free slot or sees one a concurrent attempt just claimed.
      for (;;) {
        const used = new Set((await slotsOf(pk, window.prefix)).map((item) => item.sk));
        const free = Array.from({ length: max }, (_, i) => `${window.prefix}${String(i).padStart(3, '0')}`).find(
          (sk) => !used.has(sk),
        );
        if (free === undefined) {
          return { granted: false, retryAfterSeconds: Math.max(1, Math.ceil((window.end - window.now) / 1000)) };
        }
        try {
          await store.put({ pk, sk: free, ttl: Math.ceil(window.end / 1000) + 60 }, { kind: 'notExists' });
          return { granted: true, release: () => store.delete({ pk, sk: free }) };
        } catch (error) {
          if (!(error instanceof ConditionFailedError)) throw error;
        }
      }
    },
    async reset(kind, value) {
      const pk = partition(kind, value);
      const slots = await slotsOf(pk, windowOf(kind).prefix);
      await Promise.all(slots.map((item) => store.delete({ pk, sk: item.sk })));
    },
  };
}
