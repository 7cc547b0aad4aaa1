import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byTier } from '../../../../../test/support/context.js';
import { wildcardMatch } from './wildcard-match.js';

/** The obvious implementation: a regex with every literal escaped, built only in tests. */
function referenceMatch(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  const source = Array.from(p, (ch) =>
    ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : ch.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'),
  ).join('');
  return new RegExp(`^${source}$`, 'u').test(v);
}

const valueChars = ['a', 'b', 'A', 'B', ':', '/', '.', 'İ', '\\', '$'];
const patternChars = [...valueChars, '*', '?'];
// 'İ' lower-cases to two code points, so `?` cannot stand for it when matching case-insensitively.
const oneFolded = fc.constantFrom(...valueChars.filter((ch) => ch !== 'İ'));
const text = (chars: string[]) => fc.array(fc.constantFrom(...chars), { maxLength: 12 }).map((cs) => cs.join(''));

describe('wildcardMatch', () => {
  it.each([
    ['portal:*', 'portal:GetReport', true, true],
    ['portal:get*', 'portal:GetReport', true, true],
    ['portal:get*', 'portal:GetReport', false, false],
    ['portal:?etReport', 'portal:GetReport', true, true],
    ['portal:?etReport', 'portal:etReport', true, false],
    ['arn:portal:o-1:*:report/*', 'arn:portal:o-1:111111111111:report/r-1', false, true],
    ['arn:portal:o-1:*', 'arn:portal:o-1::ledger', false, true],
    ['arn:portal:o-1::ledger', 'arn:portal:o-1::Ledger', false, false],
    ['*', '', false, true],
    ['', '', false, true],
    ['?', '', false, false],
    ['a*b*c', 'aXXbYYc', false, true],
    ['a*b*c', 'aXXcYYb', false, false],
  ])('%s against %s (case-insensitive %s) is %s', (pattern, value, caseInsensitive, expected) => {
    expect(wildcardMatch(pattern, value, { caseInsensitive })).toBe(expected);
  });

  it('stays linear-ish on patterns that make naive backtracking explode', () => {
    const value = 'a'.repeat(4000);

    const matched = wildcardMatch('*a*a*a*a*a*a*a*a*a*a*b', value, { caseInsensitive: false });

    expect(matched).toBe(false);
  });

  it('agrees with a reference implementation on generated patterns and values', () => {
    fc.assert(
      fc.property(text(patternChars), text(valueChars), fc.boolean(), (pattern, value, caseInsensitive) => {
        expect(wildcardMatch(pattern, value, { caseInsensitive })).toBe(
          referenceMatch(pattern, value, caseInsensitive),
        );
      }),
      { numRuns: byTier(500, 5000) },
    );
  });

  it('agrees with the reference on values made to match: each wildcard replaced by generated text', () => {
    const pattern = text(patternChars);
    const filled = pattern.chain((p) =>
      fc
        .tuple(...Array.from(p, (ch) => (ch === '*' ? text(valueChars) : ch === '?' ? oneFolded : fc.constant(ch))))
        .map((parts) => ({ pattern: p, value: parts.join('') })),
    );
    fc.assert(
      fc.property(filled, fc.boolean(), ({ pattern: p, value }, caseInsensitive) => {
        expect(wildcardMatch(p, value, { caseInsensitive })).toBe(true);
        expect(referenceMatch(p, value, caseInsensitive)).toBe(true);
      }),
      { numRuns: byTier(500, 5000) },
    );
  });

  it('matches generated actions case-insensitively and resources case-sensitively, as the reference does', () => {
    const name = fc.stringMatching(/^[A-Za-z]{1,10}$/);
    const mutated = fc
      .tuple(name, fc.nat(), fc.constantFrom('*', '?', 'upper', 'lower', 'keep'))
      .map(([n, at, how]) => {
        const index = n.length === 0 ? 0 : at % n.length;
        if (how === 'upper') return n.toUpperCase();
        if (how === 'lower') return n.toLowerCase();
        if (how === 'keep') return n;
        return `${n.slice(0, index)}${how}${n.slice(index + 1)}`;
      });
    fc.assert(
      fc.property(name, mutated, (actual, pattern) => {
        const action = `portal:${actual}`;
        const actionPattern = `portal:${pattern}`;
        const resource = `arn:portal:o-1:111111111111:report/${actual}`;
        const resourcePattern = `arn:portal:o-1:*:report/${pattern}`;
        expect(wildcardMatch(actionPattern, action, { caseInsensitive: true })).toBe(
          referenceMatch(actionPattern, action, true),
        );
        expect(wildcardMatch(resourcePattern, resource, { caseInsensitive: false })).toBe(
          referenceMatch(resourcePattern, resource, false),
        );
      }),
      { numRuns: byTier(500, 5000) },
    );
  });
});
