import { z } from 'zod';
import { actorOfCaller, type Caller, orgOf } from '../access/caller.js';
import { requireAllowed } from '../access/require-allowed.js';
import { agreementArn } from '../access/resources.js';
import { ConditionFailedError } from '../errors.js';
import { parseInput } from '../input.js';
import type { Item } from '../ports/store.js';
import { requirePublisherGrant } from '../reports/publisher-grants.js';
import { sha256Hex } from '../sha256.js';
import { type AgreementDeps, nowOf } from './agreement-deps.js';
import { agreementErrors } from './agreement-errors.js';
import { agreementTypeField, scopeField } from './agreement-inputs.js';
import { agreementKeys } from './agreement-keys.js';
import { type Agreement, toAgreement } from './agreement-records.js';

/** POST /api/agreements: a new agreement of the global catalog (its first revision follows). */
export const createAgreementInput = z.object({
  name: z.string().trim().min(1).max(200),
  type: agreementTypeField,
  description: z.string().max(4000).optional(),
  subjects: z.array(scopeField).min(1).max(2),
  ndaText: z.string().min(1).max(100_000).optional().describe('Shown and accepted before the text'),
  /** Fixed ids for seeding; absent: a new one. Not part of the API. */
  agreementId: z
    .string()
    .regex(/^agr-[0-9a-z-]{1,64}$/)
    .optional(),
});

export type CreateAgreementInput = z.infer<typeof createAgreementInput>;

/** Publishes a new agreement in the caller's organization's name (the catalog is global). */
export async function createAgreement(
  deps: AgreementDeps,
  caller: Caller,
  raw: CreateAgreementInput,
): Promise<Agreement> {
  const input = parseInput(createAgreementInput, raw);
  const orgId = orgOf(caller);
  await requireAllowed(deps.authorizer, caller, 'portal:PublishAgreement', agreementArn(orgId, '*'));
  // The catalog is global: like reports, only an organization holding a publisher grant writes to it
  // (a customer admin allowed portal:PublishAgreement by its own policy still is not a publisher).
  if (caller.kind === 'principal') await requirePublisherGrant(deps.store, orgId);
  const agreementId = input.agreementId ?? `agr-${deps.ids.newId().toLowerCase()}`;
  const now = nowOf(deps);
  const item: Item = {
    ...agreementKeys.agreement(agreementId),
    type: 'Agreement',
    agreementId,
    name: input.name,
    agreementType: input.type,
    description: input.description ?? '',
    subjects: [...new Set(input.subjects)],
    revisions: [],
    createdAt: now,
    publisherOrgId: orgId,
    gsi1pk: agreementKeys.catalogIndex,
    gsi1sk: `${input.name.toLowerCase()}#${agreementId}`,
    ...(input.ndaText ? { ndaText: input.ndaText, ndaSha256: sha256Hex(input.ndaText) } : {}),
  };
  try {
    await deps.ledger.append({
      orgId,
      actor: actorOfCaller(caller),
      action: 'agreement:Created',
      subject: agreementArn(orgId, agreementId),
      details: { agreementId, name: input.name, type: input.type, at: now },
      alsoWrite: [{ kind: 'put', item, condition: { kind: 'notExists' } }],
    });
  } catch (error) {
    if (error instanceof ConditionFailedError) {
      throw agreementErrors.error('agreement_exists', 'That agreement id is taken.');
    }
    throw error;
  }
  return toAgreement(item);
}
