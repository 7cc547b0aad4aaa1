import { ConditionFailedError, NotFoundError } from '../errors.js';
import type { LedgerActor, LedgerAppendInput, LedgerWriter } from '../ledger/ledger-writer.js';
import type { Clock, IdGenerator } from '../ports/runtime.js';
import type { Item, ItemKey, Store } from '../ports/store.js';

/** The ports the organization, identity and access use cases work with. */
export interface DirectoryDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  ledger: LedgerWriter;
}

/** Who is acting, for the ledger. */
export type Actor = LedgerActor;

export const systemActor = (id: string): Actor => ({ type: 'system', id });

/** Short, lowercase, prefixed ids (`ou-…`, `u-…`) from the deployment's id generator. */
export function newPrefixedId(ids: IdGenerator, prefix: string): string {
  return `${prefix}-${ids.newId().toLowerCase()}`;
}

export function str(item: Item, attribute: string): string {
  const value = item[attribute];
  return typeof value === 'string' ? value : '';
}

export function optionalStr(item: Item, attribute: string): string | undefined {
  const value = item[attribute];
  return typeof value === 'string' ? value : undefined;
}

/** Deletes `key` (which must exist) in the transaction of `entry`; a missing item answers NotFound with `missing`. */
export async function removeWithEntry(
  deps: Pick<DirectoryDeps, 'ledger'>,
  entry: Omit<LedgerAppendInput, 'alsoWrite'>,
  key: ItemKey,
  missing: string,
): Promise<void> {
  try {
    await deps.ledger.append({ ...entry, alsoWrite: [{ kind: 'delete', key, condition: { kind: 'exists' } }] });
  } catch (error) {
    if (error instanceof ConditionFailedError) throw new NotFoundError(missing);
    throw error;
  }
}
