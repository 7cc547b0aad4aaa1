import { z } from 'zod';
import { type Caller, orgOf } from '../access/caller.js';
import { requireAllowed } from '../access/require-allowed.js';
import { evidenceBundleArn } from '../access/resources.js';
import { NotFoundError } from '../errors.js';
import { parseInput } from '../input.js';
import { queryAll } from '../ports/query-all.js';
import { bundleFromItem, type EvidenceBundle, evidenceKeys } from './bundle-records.js';
import type { EvidenceDeps } from './evidence-deps.js';

/** The account a caller's org-level questions name: its own (system callers are not asked). */
export const ownAccount = (caller: Caller) => (caller.kind === 'principal' ? caller.principal.accountId : '');

export const bundleIdInput = z.object({ bundleId: z.string().regex(/^eb-[0-9a-z]{1,64}$/, 'not a bundle id') });
export type BundleIdInput = z.infer<typeof bundleIdInput>;

/** The bundle of this organization, or 404 (another organization's id answers exactly the same). */
export async function readBundle(
  deps: Pick<EvidenceDeps, 'store'>,
  orgId: string,
  bundleId: string,
): Promise<EvidenceBundle> {
  const item = await deps.store.get(evidenceKeys.bundle(orgId, bundleId), { consistent: true });
  if (!item) throw new NotFoundError(`No evidence bundle ${bundleId}.`);
  return bundleFromItem(item);
}

/** One bundle's state and progress (`portal:GetEvidenceBundle` on the bundle, in the requester's account). */
export async function getBundle(deps: EvidenceDeps, caller: Caller, raw: BundleIdInput): Promise<EvidenceBundle> {
  const { bundleId } = parseInput(bundleIdInput, raw);
  const orgId = orgOf(caller);
  let bundle: EvidenceBundle;
  try {
    bundle = await readBundle(deps, orgId, bundleId);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    // Asked before answering 404 too, so only a caller allowed to read bundles learns an id is missing.
    await requireAllowed(
      deps.authorizer,
      caller,
      'portal:GetEvidenceBundle',
      evidenceBundleArn(orgId, ownAccount(caller), bundleId),
    );
    throw error;
  }
  await requireAllowed(
    deps.authorizer,
    caller,
    'portal:GetEvidenceBundle',
    evidenceBundleArn(orgId, bundle.requester.accountId, bundleId),
  );
  return bundle;
}

/** The organization's exports, newest first (`portal:ListEvidenceBundles`). */
export async function listBundles(deps: EvidenceDeps, caller: Caller): Promise<EvidenceBundle[]> {
  const orgId = orgOf(caller);
  await requireAllowed(
    deps.authorizer,
    caller,
    'portal:ListEvidenceBundles',
    evidenceBundleArn(orgId, ownAccount(caller), '*'),
  );
  const items = await queryAll(deps.store, evidenceKeys.partition(orgId), {
    skPrefix: evidenceKeys.bundlePrefix,
    descending: true,
  });
  return items.map(bundleFromItem);
}
