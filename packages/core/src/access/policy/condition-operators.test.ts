import { describe, expect, it } from 'vitest';
import type { RequestContext } from '../principal.js';
import { evaluateConditionBlock, parseOperator } from './condition-operators.js';
import type { ConditionBlock } from './policy-document.js';

function holds(block: ConditionBlock, context: RequestContext): boolean {
  const byLowerKey = new Map(Object.entries(context).map(([key, value]) => [key.toLowerCase(), value]));
  const lookup = (key: string) => byLowerKey.get(key.toLowerCase());
  const variables = (key: string) => {
    const value = lookup(key);
    return typeof value === 'string' ? value : undefined;
  };
  return evaluateConditionBlock(block, lookup, variables);
}

/** The policy variable for the caller's account, built so that it does not read like a JS template mistake. */
const ownAccount = ['$', '{portal:PrincipalAccount}'].join('');
const soc = { 'portal:ReportCategory': 'SOC' };
const none = {};
const accounts = (...ids: string[]) => ({ 'portal:RequestedAccounts': ids });
const at = (time: string) => ({ 'aws:CurrentTime': time, 'aws:EpochTime': Date.parse(time) / 1000 });

describe('condition operators', () => {
  // [operator, key, policy value, request context, holds?]
  it.each<[string, string, ConditionBlock[string][string], RequestContext, boolean]>([
    ['StringEquals', 'portal:ReportCategory', 'SOC', soc, true],
    ['StringEquals', 'portal:ReportCategory', 'soc', soc, false],
    ['StringEquals', 'portal:ReportCategory', ['ISO', 'SOC'], soc, true],
    ['StringEquals', 'portal:ReportCategory', 'SOC', none, false],
    ['StringNotEquals', 'portal:ReportCategory', 'SOC', soc, false],
    ['StringNotEquals', 'portal:ReportCategory', ['ISO', 'PCI'], soc, true],
    ['StringNotEquals', 'portal:ReportCategory', 'SOC', none, true],
    ['StringEqualsIgnoreCase', 'portal:ReportCategory', 'soc', soc, true],
    ['StringNotEqualsIgnoreCase', 'portal:ReportCategory', 'soc', soc, false],
    ['StringLike', 'portal:ReportCategory', 'S?C', soc, true],
    ['StringLike', 'portal:ReportCategory', 's*', soc, false],
    ['StringNotLike', 'portal:ReportCategory', 'I*', soc, true],
    ['StringEqualsIfExists', 'portal:ReportCategory', 'ISO', none, true],
    ['StringEqualsIfExists', 'portal:ReportCategory', 'ISO', soc, false],
    ['StringEquals', 'aws:PrincipalTag/Team', 'audit', { 'aws:PrincipalTag/team': 'audit' }, true],
    ['StringEquals', 'portal:AccountId', ownAccount, { 'portal:AccountId': '1', 'portal:PrincipalAccount': '1' }, true],
    [
      'StringEquals',
      'portal:AccountId',
      ownAccount,
      { 'portal:AccountId': '1', 'portal:PrincipalAccount': '2' },
      false,
    ],
    ['StringEquals', 'portal:AccountId', ownAccount, { 'portal:AccountId': '1' }, false],
    ['Bool', 'aws:MultiFactorAuthPresent', true, { 'aws:MultiFactorAuthPresent': true }, true],
    ['Bool', 'aws:MultiFactorAuthPresent', 'true', { 'aws:MultiFactorAuthPresent': false }, false],
    ['Bool', 'aws:MultiFactorAuthPresent', false, { 'aws:MultiFactorAuthPresent': 'false' }, true],
    ['Bool', 'aws:MultiFactorAuthPresent', true, none, false],
    ['BoolIfExists', 'aws:MultiFactorAuthPresent', true, none, true],
    ['DateLessThan', 'aws:CurrentTime', '2026-06-01T00:00:00Z', at('2026-05-31T23:59:59Z'), true],
    ['DateLessThan', 'aws:CurrentTime', '2026-06-01T00:00:00Z', at('2026-06-01T00:00:00Z'), false],
    ['DateLessThanEquals', 'aws:CurrentTime', '2026-06-01T00:00:00Z', at('2026-06-01T00:00:00Z'), true],
    ['DateGreaterThan', 'aws:CurrentTime', '2026-06-01', at('2026-06-02T00:00:00Z'), true],
    ['DateGreaterThanEquals', 'aws:CurrentTime', 1_780_272_000, at('2026-06-01T00:00:00Z'), true],
    ['DateEquals', 'aws:CurrentTime', '2026-06-01T00:00:00.000Z', at('2026-06-01T00:00:00Z'), true],
    ['DateNotEquals', 'aws:CurrentTime', '2026-06-01T00:00:00Z', at('2026-06-01T00:00:00Z'), false],
    ['DateLessThan', 'aws:EpochTime', '2026-06-01T00:00:00Z', at('2026-05-01T00:00:00Z'), true],
    ['NumericLessThan', 'aws:EpochTime', 1_780_272_000, at('2026-05-01T00:00:00Z'), true],
    ['NumericLessThan', 'aws:EpochTime', '1780272000', at('2026-07-01T00:00:00Z'), false],
    ['NumericLessThanEquals', 'aws:EpochTime', 1_780_272_000, at('2026-06-01T00:00:00Z'), true],
    ['NumericGreaterThan', 'aws:EpochTime', 1_780_272_000, at('2026-06-01T00:00:00Z'), false],
    ['NumericGreaterThanEquals', 'aws:EpochTime', 1_780_272_000, at('2026-06-01T00:00:00Z'), true],
    ['NumericEquals', 'aws:EpochTime', 1_780_272_000, at('2026-06-01T00:00:00Z'), true],
    ['NumericNotEquals', 'aws:EpochTime', 1_780_272_000, at('2026-06-01T00:00:00Z'), false],
    [
      'ArnLike',
      'aws:PrincipalArn',
      'arn:portal:o-1::role/*',
      { 'aws:PrincipalArn': 'arn:portal:o-1::role/auditor' },
      true,
    ],
    [
      'ArnEquals',
      'aws:PrincipalArn',
      'arn:portal:o-1::role/*',
      { 'aws:PrincipalArn': 'arn:portal:o-1::user/u-1' },
      false,
    ],
    [
      'ArnNotLike',
      'aws:PrincipalArn',
      'arn:portal:o-1::role/*',
      { 'aws:PrincipalArn': 'arn:portal:o-1::user/u-1' },
      true,
    ],
    ['Null', 'portal:ReportCategory', true, none, true],
    ['Null', 'portal:ReportCategory', true, soc, false],
    ['Null', 'portal:ReportCategory', 'false', soc, true],
    ['Null', 'portal:RequestedAccounts', true, accounts(), true],
    // Multi-valued keys
    ['StringEquals', 'portal:RequestedAccounts', '1', accounts('1', '2'), true],
    ['StringNotEquals', 'portal:RequestedAccounts', '1', accounts('1', '2'), false],
    ['ForAnyValue:StringEquals', 'portal:RequestedAccounts', ['2', '3'], accounts('1', '2'), true],
    ['ForAnyValue:StringEquals', 'portal:RequestedAccounts', ['3'], accounts('1', '2'), false],
    ['ForAnyValue:StringEquals', 'portal:RequestedAccounts', ['3'], accounts(), false],
    ['ForAllValues:StringEquals', 'portal:RequestedAccounts', ['1', '2', '3'], accounts('1', '2'), true],
    ['ForAllValues:StringEquals', 'portal:RequestedAccounts', ['1'], accounts('1', '2'), false],
    ['ForAllValues:StringEquals', 'portal:RequestedAccounts', ['1'], none, true],
    ['ForAllValues:StringNotEquals', 'portal:RequestedAccounts', ['9'], accounts('1', '2'), true],
    ['ForAnyValue:StringNotEquals', 'portal:RequestedAccounts', ['1'], accounts('1', '2'), true],
    ['ForAllValues:StringLike', 'portal:RequestedAccounts', '1*', accounts('11', '12'), true],
  ])('%s %s %j with %j holds: %s', (operator, key, value, context, expected) => {
    expect(holds({ [operator]: { [key]: value } }, context)).toBe(expected);
  });

  it('ANDs operators and keys, ORs values within a key', () => {
    const block: ConditionBlock = {
      StringEquals: { 'portal:ReportCategory': ['SOC', 'ISO'], 'portal:ReportSeries': 'SOC 2' },
      Bool: { 'aws:MultiFactorAuthPresent': true },
    };
    const context = {
      'portal:ReportCategory': 'ISO',
      'portal:ReportSeries': 'SOC 2',
      'aws:MultiFactorAuthPresent': true,
    };

    expect(holds(block, context)).toBe(true);
    expect(holds(block, { ...context, 'portal:ReportSeries': 'SOC 1' })).toBe(false);
    expect(holds(block, { ...context, 'aws:MultiFactorAuthPresent': false })).toBe(false);
    expect(holds({}, {})).toBe(true);
  });

  it('never lets an unreadable operator apply a statement', () => {
    expect(holds({ StringEqualz: { 'portal:ReportCategory': 'SOC' } }, soc)).toBe(false);
  });

  it.each([
    ['StringLikeIfExists', { base: 'StringLike', ifExists: true }],
    ['ForAllValues:StringEquals', { base: 'StringEquals', ifExists: false, qualifier: 'ForAllValues' }],
    ['ForAnyValue:ArnLikeIfExists', { base: 'ArnLike', ifExists: true, qualifier: 'ForAnyValue' }],
  ])('parses %s', (name, expected) => {
    expect(parseOperator(name)).toMatchObject(expected);
  });

  it.each([
    'NullIfExists',
    'ForAnyValue:Null',
    'IfExists',
    'stringequals',
    'constructor',
    'ForAnyValue:',
    'ForAnyValue:ForAllValues:StringEquals',
  ])('rejects %s', (name) => {
    expect(parseOperator(name)).toBeUndefined();
  });
});
