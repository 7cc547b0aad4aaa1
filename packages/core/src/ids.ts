import { randomBytes } from 'node:crypto';
import type { Clock, IdGenerator } from './ports/runtime.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * ULIDs (26 chars, Crockford base32: 48-bit millisecond time + 80 random bits). They sort by creation
 * time, which keeps DynamoDB sort keys in the order people expect.
 */
export function createUlidGenerator(clock: Clock): IdGenerator {
  return {
    newId() {
      let time = clock.now().getTime();
      let timePart = '';
      for (let i = 0; i < 10; i++) {
        timePart = CROCKFORD[time % 32] + timePart;
        time = Math.floor(time / 32);
      }
      const random = randomBytes(10);
      let bits = 0n;
      for (const byte of random) bits = (bits << 8n) | BigInt(byte);
      let randomPart = '';
      for (let i = 0; i < 16; i++) {
        randomPart = CROCKFORD[Number(bits & 31n)] + randomPart;
        bits >>= 5n;
      }
      return timePart + randomPart;
    },
  };
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(at: Date): void {
    this.current = new Date(at.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
