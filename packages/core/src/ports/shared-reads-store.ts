import type { Store } from './store.js';

/**
 * A Store for one request's worth of questions whose reads are shared: every authorization question
 * loads the same user, org tree, attachments and guardrails, and a console screen asks a dozen at
 * once. Writes pass through (and drop what was read). Not for writes that must see their own reads.
 */
export function sharedReadsStore(store: Store): Store {
  const reads = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let pending = reads.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = read();
      reads.set(key, pending);
    }
    return pending;
  };
  const written = () => reads.clear();
  return {
    get: (key, options) => once(`get ${key.pk} ${key.sk}`, () => store.get(key, options)),
    batchGet: (keys) => store.batchGet(keys),
    query: (partition, options) =>
      once(`query ${partition} ${JSON.stringify(options ?? {})}`, () => store.query(partition, options)),
    put: (item, condition) => store.put(item, condition).finally(written),
    delete: (key, condition) => store.delete(key, condition).finally(written),
    transact: (ops) => store.transact(ops).finally(written),
    ping: () => store.ping(),
  };
}
