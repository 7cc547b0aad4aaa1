import { NotFoundError } from '../errors.js';
import { queryAll } from '../ports/query-all.js';
import type { Store } from '../ports/store.js';
import { agreementKeys } from './agreement-keys.js';
import { type Agreement, toAgreement } from './agreement-records.js';

/** The global catalog as stored: reads shared by the use cases. */
export async function readAgreement(store: Store, agreementId: string): Promise<Agreement> {
  const item = await store.get(agreementKeys.agreement(agreementId));
  if (!item) throw new NotFoundError('No such agreement.');
  return toAgreement(item);
}

export async function readCatalog(store: Store): Promise<Agreement[]> {
  const items = await queryAll(store, agreementKeys.catalogIndex, { index: 'gsi1' });
  return items.map(toAgreement);
}
