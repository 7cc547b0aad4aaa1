import { z } from 'zod';
import { type Caller, orgOf } from '../access/caller.js';
import { requireAllowed } from '../access/require-allowed.js';
import { agreementArn } from '../access/resources.js';
import { NotFoundError } from '../errors.js';
import { parseInput } from '../input.js';
import type { ItemValue } from '../ports/store.js';
import { readAgreement, readCatalog } from './agreement-catalog.js';
import type { AgreementDeps } from './agreement-deps.js';
import { agreementErrors } from './agreement-errors.js';
import { agreementIdField } from './agreement-inputs.js';
import { agreementKeys } from './agreement-keys.js';
import { type Agreement, type RevisionSummary, toRevisionSummaries } from './agreement-records.js';
import { ndaState } from './nda.js';

export const agreementInput = z.object({ agreementId: agreementIdField });
export type AgreementInput = z.infer<typeof agreementInput>;

export const revisionInput = z.object({ agreementId: agreementIdField, revisionId: z.string().min(1).max(256) });
export type RevisionInput = z.infer<typeof revisionInput>;

/** The catalog, sorted by name. */
export async function listAgreements(deps: AgreementDeps, caller: Caller): Promise<Agreement[]> {
  await requireAllowed(deps.authorizer, caller, 'portal:ListAgreements', agreementArn(orgOf(caller), '*'));
  return readCatalog(deps.store);
}

/** One agreement with its revisions (oldest first). */
export async function getAgreement(deps: AgreementDeps, caller: Caller, raw: AgreementInput): Promise<Agreement> {
  const { agreementId } = parseInput(agreementInput, raw);
  await requireAllowed(deps.authorizer, caller, 'portal:GetAgreement', agreementArn(orgOf(caller), agreementId));
  return readAgreement(deps.store, agreementId);
}

/** A revision's text; behind the NDA step when the agreement has one. */
export async function revisionText(
  deps: AgreementDeps,
  caller: Caller,
  raw: RevisionInput,
): Promise<RevisionSummary & { markdown?: string; blobKey?: string }> {
  const { agreementId, revisionId } = parseInput(revisionInput, raw);
  await requireAllowed(deps.authorizer, caller, 'portal:GetAgreement', agreementArn(orgOf(caller), agreementId));
  const nda = await ndaState(deps, caller, agreementId);
  if (nda.required && !nda.acceptedAt) {
    throw agreementErrors.error('nda_required', 'Accept this agreement\u2019s NDA first (GET then POST its /nda).');
  }
  const item = await deps.store.get(agreementKeys.revision(agreementId, revisionId));
  if (!item) throw new NotFoundError('No such revision.');
  const [summary] = toRevisionSummaries([item as unknown as ItemValue]);
  return {
    ...(summary as RevisionSummary),
    ...(typeof item.markdown === 'string' ? { markdown: item.markdown } : {}),
    ...(typeof item.blobKey === 'string' ? { blobKey: item.blobKey } : {}),
  };
}
