import type { ItemKey } from '../ports/store.js';
import { sha256Hex } from '../sha256.js';

/** Invitation and reset tokens: only their SHA-256 is stored, and each works once. */
export const oneTimeKey = (token: string): ItemKey => ({ pk: `ONETIME#${sha256Hex(token)}`, sk: 'ONETIME' });
