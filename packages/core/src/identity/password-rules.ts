import type { FieldError } from '../errors.js';

export const minimumPasswordLength = 12;
export const maximumPasswordLength = 256;

/**
 * Fragments of the most breached passwords (public breach-corpus top lists). A password is refused if,
 * lowercased and with digits/symbols stripped from its ends, it is one of these or made only of them.
 */
const breachedFragments = [
  'password',
  'passw0rd',
  'qwerty',
  'qwertyuiop',
  'asdfgh',
  'letmein',
  'welcome',
  'admin',
  'iloveyou',
  'monkey',
  'dragon',
  'football',
  'baseball',
  'sunshine',
  'princess',
  'abc123',
  'trustno1',
  'master',
  'shadow',
  'superman',
  'changeme',
  'secret',
  'login',
  'starwars',
];

const sequences = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiopasdfghjklzxcvbnm'];

/**
 * The password rules, each with a message a person can act on. Returns one error per broken rule
 * (empty when the password is acceptable).
 */
export function checkPassword(password: string, context: { email?: string; path?: string } = {}): FieldError[] {
  const path = context.path ?? 'password';
  const errors: FieldError[] = [];
  if (password.length < minimumPasswordLength) {
    errors.push({
      path,
      message: `must be at least ${minimumPasswordLength} characters long (a short sentence works well)`,
    });
  }
  if (password.length > maximumPasswordLength) {
    errors.push({ path, message: `must be at most ${maximumPasswordLength} characters long` });
  }
  const lower = password.toLowerCase();
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  const onlyFragments = core.length > 0 && new RegExp(`^(?:${breachedFragments.join('|')})+$`).test(core);
  if (onlyFragments || breachedFragments.includes(lower)) {
    errors.push({ path, message: 'is built from a commonly breached password; choose something less guessable' });
  }
  if (/^(.)\1+$/.test(password) || /^(.{1,3})\1{3,}$/.test(password)) {
    errors.push({ path, message: 'is a repeated pattern; choose something less guessable' });
  }
  if (
    password.length >= 6 &&
    sequences.some((sequence) => sequence.includes(lower) || sequence.split('').reverse().join('').includes(lower))
  ) {
    errors.push({ path, message: 'is a keyboard or alphabet sequence; choose something less guessable' });
  }
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 3 && lower.includes(local)) {
    errors.push({ path, message: 'must not contain your email name' });
  }
  return errors;
}
