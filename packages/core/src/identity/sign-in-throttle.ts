import { ConditionFailedError } from '../errors.js';
import type { Clock } from '../ports/runtime.js';
import type { Store } from '../ports/store.js';
import { sha256Hex } from '../sha256.js';

export interface ThrottleLimits {
  /** Failures allowed in a window before the key is locked until the window ends. */
  maxFailures: number;
  windowSeconds: number;
}

/** Per account (the email tried) and per client IP: slows password and TOTP guessing. */
export const defaultThrottleLimits = {
  account: { maxFailures: 5, windowSeconds: 15 * 60 },
  ip: { maxFailures: 20, windowSeconds: 15 * 60 },
} as const;

/**
 * Failure counters in the store with a TTL, so every Lambda instance sees the same count. Keys are
 * hashed: neither emails nor addresses sit in throttle items.
 */
export class SignInThrottle {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly limits: { account: ThrottleLimits; ip: ThrottleLimits } = defaultThrottleLimits,
  ) {}

  private key(kind: 'account' | 'ip', value: string) {
    return { pk: `THROTTLE#${kind}#${sha256Hex(value.toLowerCase())}`, sk: 'THROTTLE' };
  }

  /** Seconds until the key may try again, or 0 when it may try now. */
  async lockedFor(kind: 'account' | 'ip', value: string): Promise<number> {
    const item = await this.store.get(this.key(kind, value), { consistent: true });
    if (!item) return 0;
    const limit = this.limits[kind];
    const now = this.clock.now().getTime();
    const windowEnd = Number(item.windowStart) + limit.windowSeconds * 1000;
    if (now >= windowEnd || Number(item.failures) < limit.maxFailures) return 0;
    return Math.ceil((windowEnd - now) / 1000);
  }

  async recordFailure(kind: 'account' | 'ip', value: string): Promise<void> {
    const key = this.key(kind, value);
    const limit = this.limits[kind];
    for (let attempt = 0; attempt < 5; attempt++) {
      const item = await this.store.get(key, { consistent: true });
      const now = this.clock.now().getTime();
      const fresh = !item || now >= Number(item.windowStart) + limit.windowSeconds * 1000;
      const version = item ? Number(item.version ?? 0) : 0;
      try {
        await this.store.put(
          {
            ...key,
            failures: fresh ? 1 : Number(item.failures) + 1,
            windowStart: fresh ? now : Number(item.windowStart),
            version: version + 1,
            ttl: Math.floor(now / 1000) + limit.windowSeconds * 2,
          },
          item ? { kind: 'equals', attribute: 'version', value: version } : { kind: 'notExists' },
        );
        return;
      } catch (error) {
        if (!(error instanceof ConditionFailedError)) throw error;
      }
    }
  }

  async reset(kind: 'account' | 'ip', value: string): Promise<void> {
    await this.store.delete(this.key(kind, value));
  }
}
