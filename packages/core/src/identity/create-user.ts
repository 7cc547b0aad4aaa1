import { randomBytes } from 'node:crypto';
import { userArn } from '../access/resources.js';
import { ConditionFailedError, ConflictError, ValidationError } from '../errors.js';
import { type Actor, type DirectoryDeps, newPrefixedId } from '../organization/directory-deps.js';
import { directoryKeys } from '../organization/directory-keys.js';
import type { Item, ItemValue, WriteOp } from '../ports/store.js';
import { type AccountMailDeps, accountMail } from './account-mail.js';
import { oneTimeKey } from './one-time-tokens.js';
import { hashPassword } from './password-hashing.js';
import { checkPassword } from './password-rules.js';
import {
  emailPattern,
  invitationTtlSeconds,
  type NewUserInput,
  normalizeEmail,
  toUser,
  type User,
} from './user-records.js';
import { userTagsField } from './user-tags.js';

/** The ops that create a user (callers may add them to a larger transaction, e.g. bootstrap). */
export async function newUserOps(
  deps: Pick<DirectoryDeps, 'clock' | 'ids'>,
  orgId: string,
  input: NewUserInput,
): Promise<{ user: User; ops: WriteOp[]; invitationToken?: string }> {
  const email = normalizeEmail(input.email);
  const errors = [];
  if (!emailPattern.test(email)) errors.push({ path: 'email', message: 'must be an email address' });
  const displayName = input.displayName.trim();
  if (displayName.length === 0 || displayName.length > 128) {
    errors.push({ path: 'displayName', message: 'must be 1 to 128 characters' });
  }
  if (input.password !== undefined) errors.push(...checkPassword(input.password, { email }));
  const parsedTags = userTagsField.safeParse(input.tags ?? {});
  if (!parsedTags.success) {
    errors.push(
      ...parsedTags.error.issues.map((issue) => ({
        path: ['tags', ...issue.path.map(String)].join('.'),
        message: issue.message,
      })),
    );
  }
  if (errors.length > 0) throw new ValidationError('The user is invalid.', errors);
  const now = deps.clock.now();
  const userId = input.userId ?? newPrefixedId(deps.ids, 'u');
  const item: Item = {
    ...directoryKeys.user(orgId, userId),
    type: 'User',
    orgId,
    userId,
    email,
    displayName,
    accountId: input.accountId,
    status: input.password === undefined ? 'invited' : 'active',
    createdAt: now.toISOString(),
    mustChangePassword: input.mustChangePassword ?? false,
    mfaRequired: input.mfaRequired ?? false,
    tags: parsedTags.success ? parsedTags.data : {},
    version: 1,
  };
  if (input.password !== undefined) {
    item.password = (await hashPassword(input.password)) as unknown as ItemValue;
    item.passwordChangedAt = now.toISOString();
  }
  const ops: WriteOp[] = [
    { kind: 'put', item, condition: { kind: 'notExists' } },
    { kind: 'put', item: { ...directoryKeys.email(orgId, email), orgId, userId }, condition: { kind: 'notExists' } },
  ];
  let invitationToken: string | undefined;
  if (input.password === undefined) {
    invitationToken = randomBytes(32).toString('base64url');
    ops.push({
      kind: 'put',
      item: {
        ...oneTimeKey(invitationToken),
        purpose: 'invitation',
        orgId,
        userId,
        expiresAt: new Date(now.getTime() + invitationTtlSeconds * 1000).toISOString(),
        ttl: Math.floor(now.getTime() / 1000) + invitationTtlSeconds,
      },
    });
  }
  return { user: toUser(item), ops, ...(invitationToken ? { invitationToken } : {}) };
}

/** Creates a user; an invited one (no password) is mailed the invitation link, naming `invitedBy`. */
export async function createUser(
  deps: DirectoryDeps & { mail?: AccountMailDeps },
  orgId: string,
  input: NewUserInput,
  actor: Actor,
  options: { invitedBy?: string } = {},
): Promise<{ user: User; invitationToken?: string }> {
  const account = await deps.store.get(directoryKeys.account(orgId, input.accountId));
  if (!account)
    throw new ValidationError('The user is invalid.', [
      { path: 'accountId', message: 'no such account in this organization' },
    ]);
  const { user, ops, invitationToken } = await newUserOps(deps, orgId, input);
  try {
    await deps.ledger.append({
      orgId,
      actor,
      action: invitationToken ? 'identity:UserInvited' : 'identity:UserCreated',
      subject: userArn(orgId, user.userId),
      accountId: user.accountId,
      details: { email: user.email, at: user.createdAt },
      alsoWrite: ops,
    });
  } catch (error) {
    // Emails are unique within an organization only: this is the caller's own user (docs/access.md).
    if (error instanceof ConditionFailedError) {
      throw new ConflictError('A user with this email already exists in this organization.', 'email_taken', {
        cause: error,
      });
    }
    throw error;
  }
  if (invitationToken && deps.mail) {
    const { mailer, siteOrigin } = deps.mail;
    await mailer.send(
      accountMail.invitation({
        to: user.email,
        invitedBy: options.invitedBy ?? 'An administrator',
        token: invitationToken,
        siteOrigin,
        orgId,
      }),
    );
  }
  return { user, ...(invitationToken ? { invitationToken } : {}) };
}
