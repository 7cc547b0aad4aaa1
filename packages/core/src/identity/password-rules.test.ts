import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password-hashing.js';
import { checkPassword } from './password-rules.js';

describe('password rules', () => {
  it('accepts a long, unusual passphrase', () => {
    expect(checkPassword('Orchid-Lantern-Harbor-42', { email: 'admin@example.com' })).toEqual([]);
  });

  it.each([
    ['short1!', /at least 12 characters/],
    ['Password123!', /commonly breached/],
    ['qwertyqwerty', /commonly breached/],
    ['aaaaaaaaaaaaaaa', /repeated pattern/],
    ['abcdefghijklmnop', /sequence/],
    ['jane.doe-is-great-2026', /email name/],
  ])('refuses %s with a clear message', (password, message) => {
    const errors = checkPassword(password, { email: 'jane.doe@example.com' });
    expect(errors.map((e) => e.message).join(' | ')).toMatch(message);
    expect(errors.every((e) => e.path === 'password')).toBe(true);
  });
});

describe('password hashing', () => {
  it('stores scrypt parameters and a per-user salt, and verifies only the right password', async () => {
    const a = await hashPassword('Orchid-Lantern-Harbor-42');
    const b = await hashPassword('Orchid-Lantern-Harbor-42');

    expect(a).toMatchObject({ algorithm: 'scrypt', N: 32768, r: 8, p: 1, keyLength: 32 });
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(await verifyPassword('Orchid-Lantern-Harbor-42', a)).toBe(true);
    expect(await verifyPassword('Orchid-Lantern-Harbor-43', a)).toBe(false);
  });
});
