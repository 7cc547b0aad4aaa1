import { randomBytes } from 'node:crypto';
import { ConditionFailedError } from '../errors.js';
import { type DirectoryDeps, str } from '../organization/directory-deps.js';
import { directoryKeys } from '../organization/directory-keys.js';
import type { Item } from '../ports/store.js';
import { sha256Hex } from '../sha256.js';
import { type AccountMailDeps, accountMail } from './account-mail.js';
import type { AttemptBudgets } from './attempt-budget.js';
import { oneTimeKey } from './one-time-tokens.js';
import { SignInRefusedError } from './sign-in-refused.js';
import { normalizeEmail, resetTtlSeconds, saveUserOp } from './user-records.js';

export interface PasswordResetDeps extends DirectoryDeps {
  budgets: AttemptBudgets;
  mail?: AccountMailDeps;
}

/** Reset requests wait here for the account-mail job; the request itself does the same work for any email. */
const queuePartition = 'ACCOUNTMAIL';
const queueTtlSeconds = 24 * 3600;

/** Without a real client address the per-address budget is skipped (one shared counter would block everyone). */
export const knownAddress = (clientIp: string) => clientIp !== '' && clientIp !== 'unknown';

/**
 * POST /api/session/password-reset. The answer and the work never depend on whether the email is
 * known: reserve one attempt of the email's and the address's budgets (429 when spent, for any
 * email), then queue the request. Looking the user up, issuing the token and sending the mail happen
 * in the account-mail job (`deliverAccountMail`), off the request path.
 */
export async function requestPasswordReset(
  deps: PasswordResetDeps,
  input: { organization: string; email: string; clientIp: string },
): Promise<void> {
  const email = normalizeEmail(input.email);
  const organization = input.organization.trim().toLowerCase();
  const reservations = await Promise.all([
    knownAddress(input.clientIp) ? deps.budgets.reserve('reset-ip', input.clientIp) : undefined,
    deps.budgets.reserve('reset-email', `${organization}#${email}`),
  ]);
  const refused = reservations.find((r) => r !== undefined && !r.granted);
  if (refused && !refused.granted) {
    throw new SignInRefusedError(
      'reset_rate_limited',
      'Too many password-reset requests; try again later.',
      refused.retryAfterSeconds,
    );
  }
  const now = deps.clock.now();
  await deps.store.put({
    pk: queuePartition,
    sk: `${now.toISOString()}#${deps.ids.newId()}`,
    kind: 'password-reset',
    organization,
    email,
    ttl: Math.floor(now.getTime() / 1000) + queueTtlSeconds,
  });
}

/**
 * The account-mail job: takes each queued request once (a conditional delete claims it), and for a
 * known user who is not deactivated issues a one-hour reset token (replacing any earlier one: only the
 * newest link works) and mails the link. Unknown emails are dropped without a trace.
 */
export async function deliverAccountMail(deps: PasswordResetDeps): Promise<{ processed: number; mailed: number }> {
  let processed = 0;
  let mailed = 0;
  for (;;) {
    const page = await deps.store.query(queuePartition, { limit: 25, consistent: true });
    if (page.items.length === 0) break;
    for (const request of page.items) {
      try {
        await deps.store.delete({ pk: request.pk, sk: request.sk }, { kind: 'exists' });
      } catch {
        continue; // another run took it
      }
      processed++;
      if (await issueReset(deps, request)) mailed++;
    }
    if (!page.nextCursor && page.items.length < 25) break;
  }
  return { processed, mailed };
}

async function issueReset(deps: PasswordResetDeps, request: Item): Promise<boolean> {
  const organization = str(request, 'organization');
  const email = str(request, 'email');
  if (!/^o-[a-z0-9-]+$/.test(organization)) return false;
  const claim = await deps.store.get(directoryKeys.email(organization, email), { consistent: true });
  if (!claim) return false;
  const item = await deps.store.get(directoryKeys.user(organization, str(claim, 'userId')), { consistent: true });
  if (!item || item.status === 'deactivated') return false;
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const written = await deps.store
    .transact([
      {
        kind: 'put',
        item: {
          ...oneTimeKey(token),
          purpose: 'reset',
          orgId: organization,
          userId: str(item, 'userId'),
          expiresAt: new Date(now.getTime() + resetTtlSeconds * 1000).toISOString(),
          ttl: Math.floor(now.getTime() / 1000) + resetTtlSeconds,
        },
      },
      saveUserOp({ ...item, resetTokenHash: sha256Hex(token) }),
    ])
    .then(
      () => true,
      // The user changed meanwhile (a sign-in, a deactivation): no link this time; they can ask again.
      (error: unknown) => {
        if (error instanceof ConditionFailedError) return false;
        throw error;
      },
    );
  if (!written) return false;
  if (deps.mail) {
    const { mailer, siteOrigin } = deps.mail;
    await mailer.send(accountMail.passwordReset({ to: str(item, 'email'), token, siteOrigin, orgId: organization }));
  }
  return true;
}
