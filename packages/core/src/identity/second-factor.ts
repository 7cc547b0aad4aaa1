import { str } from '../organization/directory-deps.js';
import type { Clock } from '../ports/runtime.js';
import type { Item } from '../ports/store.js';
import { sha256Hex } from '../sha256.js';
import { matchTotpStep } from './totp.js';

/**
 * A TOTP code of the current step ±1 not used before by this user, or an unused recovery code.
 * Returns the user item with the step (or the spent recovery code) recorded, or undefined. The caller
 * writes the item optimistically, so two concurrent sign-ins cannot both spend the same code.
 */
export function consumeSecondFactor(clock: Clock, item: Item, code: string): Item | undefined {
  const secret = str(item, 'mfaSecret');
  const trimmed = code.trim();
  const step = matchTotpStep(secret, trimmed, clock.now());
  if (step !== undefined) {
    const lastStep = typeof item.lastTotpStep === 'number' ? item.lastTotpStep : -1;
    if (step <= lastStep) return undefined;
    return { ...item, lastTotpStep: step };
  }
  const codes = Array.isArray(item.recoveryCodes) ? (item.recoveryCodes as string[]) : [];
  const hashed = sha256Hex(trimmed.toLowerCase());
  if (!codes.includes(hashed)) return undefined;
  return { ...item, recoveryCodes: codes.filter((c) => c !== hashed) };
}
