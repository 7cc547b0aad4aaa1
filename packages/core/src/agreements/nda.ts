import { z } from 'zod';
import { actorOf } from '../access/actor.js';
import { type Caller, orgOf } from '../access/caller.js';
import { requireAllowed } from '../access/require-allowed.js';
import { agreementArn } from '../access/resources.js';
import { commonErrors } from '../error-codes.js';
import { ConditionFailedError, NotFoundError } from '../errors.js';
import { parseInput } from '../input.js';
import { type AgreementDeps, nowOf } from './agreement-deps.js';
import { agreementErrors } from './agreement-errors.js';
import { agreementIdField, sha256Field } from './agreement-inputs.js';
import { agreementKeys } from './agreement-keys.js';

export interface NdaStep {
  required: boolean;
  text?: string;
  sha256?: string;
  /** When this user accepted it. */
  acceptedAt?: string;
}

export const ndaInput = z.object({ agreementId: agreementIdField });
export type NdaInput = z.infer<typeof ndaInput>;

/** POST /api/agreements/{id}/nda/acceptances: the body. */
export const acceptNdaBody = z.object({ sha256: sha256Field });
export const acceptNdaInput = z.object({ agreementId: agreementIdField, sha256: sha256Field });
export type AcceptNdaInput = z.infer<typeof acceptNdaInput>;

/** The NDA step as it stands for the caller (no authorization: the use cases that call it ask). */
export async function ndaState(deps: AgreementDeps, caller: Caller, agreementId: string): Promise<NdaStep> {
  const userId = caller.kind === 'principal' ? caller.principal.userId : undefined;
  const [agreement, accepted] = await Promise.all([
    deps.store.get(agreementKeys.agreement(agreementId)),
    userId ? deps.store.get(agreementKeys.ndaAcceptance(orgOf(caller), agreementId, userId)) : undefined,
  ]);
  if (!agreement) throw new NotFoundError('No such agreement.');
  if (typeof agreement.ndaText !== 'string') return { required: false };
  return {
    required: true,
    text: agreement.ndaText,
    sha256: String(agreement.ndaSha256),
    ...(typeof accepted?.acceptedAt === 'string' ? { acceptedAt: accepted.acceptedAt } : {}),
  };
}

/** The NDA click-through some agreements put before their text (Artifact's GetNdaForAgreement). */
export async function nda(deps: AgreementDeps, caller: Caller, raw: NdaInput): Promise<NdaStep> {
  const { agreementId } = parseInput(ndaInput, raw);
  await requireAllowed(deps.authorizer, caller, 'portal:GetAgreement', agreementArn(orgOf(caller), agreementId));
  return ndaState(deps, caller, agreementId);
}

/** Accepts the NDA the caller was shown (named by its sha256); accepting twice answers the first time. */
export async function acceptNda(
  deps: AgreementDeps,
  caller: Caller,
  raw: AcceptNdaInput,
): Promise<{ acceptedAt: string }> {
  const { agreementId, sha256 } = parseInput(acceptNdaInput, raw);
  if (caller.kind !== 'principal') throw commonErrors.error('forbidden', 'An NDA is accepted by a signed-in person.');
  const { principal } = caller;
  // Accepting the NDA is the first step of accepting the agreement (a read-only principal may not take it),
  // asked about the caller's own account: the NDA binds the person, from where they act.
  await requireAllowed(
    deps.authorizer,
    caller,
    'portal:AcceptAgreement',
    agreementArn(principal.orgId, agreementId, principal.accountId),
  );
  const step = await ndaState(deps, caller, agreementId);
  if (!step.required) throw agreementErrors.error('nda_not_required', 'This agreement has no NDA step.');
  if (step.acceptedAt) return { acceptedAt: step.acceptedAt };
  if (step.sha256 !== sha256) throw agreementErrors.error('nda_outdated', 'That is not the current NDA text.');
  const acceptedAt = nowOf(deps);
  const origin = caller.origin;
  try {
    await deps.ledger.append({
      orgId: principal.orgId,
      actor: actorOf(principal),
      action: 'agreement:NdaAccepted',
      subject: agreementArn(principal.orgId, agreementId),
      accountId: principal.accountId,
      details: { agreementId, sha256, at: acceptedAt, ...origin },
      alsoWrite: [
        {
          kind: 'put',
          item: {
            ...agreementKeys.ndaAcceptance(principal.orgId, agreementId, principal.userId),
            type: 'AgreementNdaAcceptance',
            agreementId,
            userId: principal.userId,
            sha256,
            acceptedAt,
            ...origin,
          },
          condition: { kind: 'notExists' },
        },
      ],
    });
  } catch (error) {
    if (error instanceof ConditionFailedError) {
      return { acceptedAt: (await ndaState(deps, caller, agreementId)).acceptedAt ?? acceptedAt };
    }
    throw error;
  }
  return { acceptedAt };
}
