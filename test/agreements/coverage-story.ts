/**
 * One coverage story, told twice: by the pure `effectiveCoverage` over hand-written facts and by the
 * use cases over stored facts (packages/core/src/agreements/effective-coverage.test.ts, coverage.test.ts).
 * Accounts: M (management), A and C (members from day 0), B (joins day 3, leaves day 6). Day 1 the org
 * accepts revision 1; day 2 C accepts it for itself; day 5 the org terminates; day 7 revision 2 is out.
 * Each cell, at noon of days 0..8: '-' (not covered) or `<via> <revision> <since day>[ outdated]`.
 */
export type CoverageCell = '-' | `org ${string}` | `account ${string}`;

export const coverageStory: Record<'M' | 'A' | 'B' | 'C', CoverageCell[]> = {
  //     day 0   1                2                   3                4                5                   6                   7                            8
  M: ['-', 'org rev-1 1', 'org rev-1 1', 'org rev-1 1', 'org rev-1 1', '-', '-', '-', '-'],
  A: ['-', 'org rev-1 1', 'org rev-1 1', 'org rev-1 1', 'org rev-1 1', '-', '-', '-', '-'],
  B: ['-', '-', '-', 'org rev-1 3', 'org rev-1 3', '-', '-', '-', '-'],
  C: [
    '-',
    'org rev-1 1',
    'account rev-1 2',
    'account rev-1 2',
    'account rev-1 2',
    'account rev-1 2',
    'account rev-1 2',
    'account rev-1 2 outdated',
    'account rev-1 2 outdated',
  ],
};
