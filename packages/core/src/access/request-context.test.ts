import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Principal, RequestContext } from './principal.js';
import { principalContextIndex, principalRequestContext } from './request-context.js';

const keyArb = fc.constantFrom(
  'aws:username',
  'AWS:UserName',
  'aws:CurrentTime',
  'aws:epochtime',
  'portal:ReportCategory',
  'PORTAL:reportcategory',
  'portal:ReportSeries',
  'aws:PrincipalTag/team',
  'aws:principaltag/TEAM',
  'aws:RequestTag/env',
);
const valueArb = fc.oneof(fc.string({ maxLength: 8 }), fc.boolean(), fc.integer());

const principalArb = fc.record({
  orgId: fc.constantFrom('o-1', 'o-2'),
  accountId: fc.constantFrom('111111111111', '222222222222'),
  userId: fc.string({ minLength: 1, maxLength: 6 }),
  email: fc.emailAddress(),
  displayName: fc.string({ maxLength: 6 }),
  sessionId: fc.string({ maxLength: 6 }),
  mfaPresent: fc.boolean(),
  role: fc.option(fc.record({ roleId: fc.string({ minLength: 1, maxLength: 4 }), name: fc.string({ maxLength: 4 }) }), {
    nil: undefined,
  }),
  tags: fc.dictionary(fc.constantFrom('team', 'TEAM', 'env', 'cost'), fc.string({ maxLength: 5 })),
});

describe('principalContextIndex', () => {
  it('answers every key as the case-folded spread of principal keys and the object keys would', () => {
    fc.assert(
      fc.property(
        principalArb,
        fc.dictionary(keyArb, valueArb),
        fc.date({ noInvalidDate: true }),
        (raw, context, now) => {
          const principal = (raw.role ? raw : { ...raw, role: undefined }) as Principal;
          if (!raw.role) delete principal.role;
          const index = principalContextIndex(principal, () => now, context as RequestContext);
          // The reference: the object's keys win over the principal's; among keys that fold alike, the last wins.
          const expected = new Map<string, RequestContext[string]>();
          for (const [name, value] of Object.entries(principalRequestContext(principal, now))) {
            expected.set(name.toLowerCase(), value);
          }
          const fromObject = new Map<string, RequestContext[string]>();
          for (const [name, value] of Object.entries(context)) fromObject.set(name.toLowerCase(), value);
          for (const [name, value] of fromObject) expected.set(name, value);
          const asked = new Set([...expected.keys(), 'aws:nosuchkey', 'aws:principaltag/cost']);
          for (const key of asked) expect(index(key), key).toEqual(expected.get(key));
          // Asked twice of the same principal object (the folded keys are kept), the same answers.
          const again = principalContextIndex(principal, () => now, context as RequestContext);
          for (const key of asked) expect(again(key), key).toEqual(expected.get(key));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads the clock only when a policy asks for the time', () => {
    let reads = 0;
    const principal: Principal = {
      orgId: 'o-1',
      accountId: '111111111111',
      userId: 'u-1',
      email: 'a@example.com',
      displayName: 'A',
      sessionId: 's',
      mfaPresent: false,
      tags: {},
    };
    const clock = () => {
      reads++;
      return new Date('2026-12-02T10:00:00.123Z');
    };
    const index = principalContextIndex(principal, clock, {});
    expect(index('aws:username')).toBe('a@example.com');
    expect(reads).toBe(0);
    expect(index('aws:currenttime')).toBe('2026-12-02T10:00:00.123Z');
    expect(index('aws:epochtime')).toBe(1_796_205_600);
    expect(reads).toBe(1);
  });
});
