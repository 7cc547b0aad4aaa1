import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchTotpStep, newTotpSecret, totpCode } from './totp.js';

// RFC 6238 appendix B, SHA-1 seed "12345678901234567890" (the last 6 of its 8-digit codes).
const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP', () => {
  it('matches the RFC 6238 test vectors', () => {
    expect(totpCode(rfcSecret, new Date(59_000))).toBe('287082');
    expect(totpCode(rfcSecret, new Date(1_111_111_109_000))).toBe('081804');
    expect(totpCode(rfcSecret, new Date(1_234_567_890_000))).toBe('005924');
    expect(totpCode(rfcSecret, new Date(2_000_000_000_000))).toBe('279037');
  });

  it('accepts the current step and one either side, naming the step; refuses further ones', () => {
    const secret = newTotpSecret();
    fc.assert(
      fc.property(
        fc.integer({ min: 1_600_000_000, max: 2_000_000_000 }),
        fc.integer({ min: -4, max: 4 }),
        (seconds, offset) => {
          const at = new Date(seconds * 1000);
          const step = Math.floor(seconds / 30);
          const code = totpCode(secret, new Date((step + offset) * 30_000));
          const matched = matchTotpStep(secret, code, at);
          if (Math.abs(offset) <= 1) expect(matched).toBe(step + offset);
          // A code of a step further away may collide by chance with a nearby step's code (1 in 10^6).
          else if (matched !== undefined) expect(Math.abs(matched - step)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses malformed codes', () => {
    const secret = newTotpSecret();
    for (const code of ['', '12345', '1234567', 'abcdef', ' 12345', '12 345']) {
      expect(matchTotpStep(secret, code, new Date())).toBeUndefined();
    }
  });
});
