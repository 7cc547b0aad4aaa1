import { describe, expect, it } from 'vitest';
import { backoffSchedule } from './delivery-policy.js';

describe('backoffSchedule', () => {
  it('doubles from the base delay, one delay per retry, capped', () => {
    expect(backoffSchedule({ maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 5000 })).toEqual([1000, 2000, 4000, 5000]);
    expect(backoffSchedule({ maxAttempts: 1, baseDelayMs: 1000, maxDelayMs: 5000 })).toEqual([]);
  });
});
