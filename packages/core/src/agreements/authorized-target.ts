import type { Caller } from '../access/caller.js';
import type { Principal } from '../access/principal.js';
import { requireAllowed } from '../access/require-allowed.js';
import { agreementArn } from '../access/resources.js';
import { commonErrors } from '../error-codes.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { ScopeTarget } from './acceptance-targets.js';
import type { AgreementDeps } from './agreement-deps.js';
import { agreementErrors } from './agreement-errors.js';
import type { Agreement } from './agreement-records.js';

/** The resource an acceptance or termination acts on: the agreement for that account, or for the org. */
export function targetResource(principal: Principal, agreementId: string, input: ScopeTarget): string {
  const accountId = input.scope === 'organization' ? '' : (input.accountId ?? principal.accountId);
  return agreementArn(principal.orgId, agreementId, accountId);
}

/**
 * The one place accept and terminate are authorized and guarded: `authorize` for the exact target
 * (the caller's own account, another account, or the organization), then the guards the policies
 * cannot express — a session that passed MFA, org scope only from the management account, an account
 * of the caller's organization, a scope the agreement is accepted by. Returns the resolved target.
 */
export async function authorizedTarget(
  deps: Pick<AgreementDeps, 'authorizer' | 'membership'>,
  caller: Caller,
  action: 'portal:AcceptAgreement' | 'portal:TerminateAgreement',
  agreement: Agreement,
  input: ScopeTarget,
): Promise<{ principal: Principal; target: ScopeTarget }> {
  if (caller.kind !== 'principal') {
    throw commonErrors.error('forbidden', 'Accepting and terminating agreements are acts of a signed-in person.');
  }
  const { principal } = caller;
  await requireAllowed(deps.authorizer, caller, action, targetResource(principal, agreement.agreementId, input));
  const verb = action === 'portal:AcceptAgreement' ? 'Accepting' : 'Terminating';
  if (!principal.mfaPresent) {
    throw agreementErrors.error(
      'mfa_required',
      `${verb} an agreement needs a session that passed MFA; step up with your MFA code (POST /api/session/mfa).`,
    );
  }
  if (!agreement.subjects.includes(input.scope)) {
    throw new ValidationError('Invalid scope', [
      { path: 'scope', message: `this agreement is accepted by: ${agreement.subjects.join(', ')}` },
    ]);
  }
  if (input.scope === 'organization') {
    const management = await deps.membership.managementAccountId(principal.orgId);
    if (management === undefined || management !== principal.accountId) {
      throw agreementErrors.error(
        'management_account_required',
        `${verb} for the whole organization is reserved to principals of the management account; ${principal.accountId} is a member account.`,
      );
    }
    return { principal, target: { scope: 'organization' } };
  }
  const accountId = input.accountId ?? principal.accountId;
  const intervals = await deps.membership.intervals(principal.orgId, accountId);
  if (!intervals.some((interval) => interval.leftAt === undefined)) throw new NotFoundError('No such account.');
  return { principal, target: { scope: 'account', accountId } };
}
