import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonProblem } from './canonical-json.js';

/** RFC 8785 §3.2.2, §3.2.3 and the cyberphone/json-canonicalization test data. */
const documents: Array<[string, string]> = [
  ['[56,{"d":true,"10":null,"1":[]}]', '[56,{"1":[],"10":null,"d":true}]'],
  [
    '{"peach":"This sorting order","péché":"is wrong according to French","pêche":"but canonicalization MUST","sin":"ignore locale"}',
    '{"peach":"This sorting order","péché":"is wrong according to French","pêche":"but canonicalization MUST","sin":"ignore locale"}',
  ],
  [
    '{"1":{"f":{"f":"hi","F":5},"\\n":56.0},"10":{},"":"empty","a":{},"111":[{"e":"yes","E":"no"}],"A":{}}',
    '{"":"empty","1":{"\\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{"E":"no","e":"yes"}],"A":{},"a":{}}',
  ],
  [
    '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
  ],
  [
    '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}',
    '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
  ],
];

/** RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text. */
const numbers: Array<[string, string]> = [
  ['0000000000000000', '0'],
  ['8000000000000000', '0'],
  ['0000000000000001', '5e-324'],
  ['8000000000000001', '-5e-324'],
  ['7fefffffffffffff', '1.7976931348623157e+308'],
  ['ffefffffffffffff', '-1.7976931348623157e+308'],
  ['4340000000000000', '9007199254740992'],
  ['c340000000000000', '-9007199254740992'],
  ['4430000000000000', '295147905179352830000'],
  ['44b52d02c7e14af5', '9.999999999999997e+22'],
  ['44b52d02c7e14af6', '1e+23'],
  ['44b52d02c7e14af7', '1.0000000000000001e+23'],
  ['444b1ae4d6e2ef4e', '999999999999999700000'],
  ['444b1ae4d6e2ef4f', '999999999999999900000'],
  ['444b1ae4d6e2ef50', '1e+21'],
  ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
  ['3eb0c6f7a0b5ed8d', '0.000001'],
  ['41b3de4355555553', '333333333.3333332'],
  ['41b3de4355555554', '333333333.33333325'],
  ['41b3de4355555555', '333333333.3333333'],
  ['41b3de4355555556', '333333333.3333334'],
  ['41b3de4355555557', '333333333.33333343'],
  ['becbf647612f3696', '-0.0000033333333333333333'],
  ['43143ff3c1cb0959', '1424953923781206.2'],
];

describe('canonicalJson (RFC 8785)', () => {
  it.each(documents)('canonicalizes %s', (input, expected) => {
    expect(canonicalJson(JSON.parse(input))).toBe(expected);
  });

  it.each(numbers)('serializes the double 0x%s as %s', (bits, expected) => {
    const value = Buffer.from(bits, 'hex').readDoubleBE(0);
    expect(canonicalJson(value)).toBe(expected);
  });

  it('refuses values JCS cannot represent', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/non-finite/);
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow(/non-finite/);
    expect(() => canonicalJson({ when: new Date(0) })).toThrow(/not a JSON value/);
  });

  it('fails on a lone surrogate (RFC 8785 §3.2.2.2), a hole in an array or an undefined member, naming where', () => {
    // biome-ignore lint/suspicious/noSparseArray: the point of the test
    const sparse = [1, , 3];
    expect(canonicalJsonProblem({ a: { b: ['ok', '\ud800'] } })).toMatchObject({ path: 'a.b[1]', message: /U\+D800/ });
    expect(canonicalJsonProblem({ '\udfff': 1 })).toMatchObject({ path: '["\\udfff"]', message: /member name/ });
    expect(canonicalJsonProblem({ list: sparse }, 'body')).toMatchObject({ path: 'body.list[1]', message: /hole/ });
    expect(canonicalJsonProblem({ gone: undefined }, 'body')).toMatchObject({
      path: 'body.gone',
      message: /undefined/,
    });
    expect(() => canonicalJson('\ud83d')).toThrow(/lone surrogate/);
    expect(() => canonicalJson(sparse)).toThrow(/hole/);
    expect(() => canonicalJson({ gone: undefined })).toThrow(/undefined/);
    // A paired surrogate is one character, and fine.
    expect(canonicalJson('\ud83d\ude00')).toBe('"😀"');
    expect(canonicalJsonProblem({ fine: ['😀', 1, null, { x: true }] })).toBeUndefined();
    // A hostile depth is refused, not a stack overflow.
    const deep = JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`);
    expect(canonicalJsonProblem(deep, 'body')).toMatchObject({ message: /nested deeper than 64/ });
  });
});
