import type { AccessKey } from '../identity/access-keys/access-key-records.js';
import type { SessionService } from '../identity/session-service.js';
import type { UserDirectory } from '../identity/user-directory.js';
import type { Clock } from '../ports/runtime.js';

export interface CredentialReportRow {
  userId: string;
  email: string;
  accountId: string;
  status: string;
  passwordSet: boolean;
  passwordChangedAt: string | null;
  /** Whole days since the password was set. */
  passwordAgeDays: number | null;
  mfaEnabled: boolean;
  lastSignInAt: string | null;
  activeSessions: number;
  /** The user's access keys (IAM's access_key_1/2 columns): status, created, last used and for which service. */
  accessKeys: Array<Pick<AccessKey, 'accessKeyId' | 'status' | 'createdAt' | 'lastUsedAt' | 'lastUsedService'>>;
}

/** IAM's credential report, for the portal's own users. */
export async function credentialReport(
  deps: {
    users: Pick<UserDirectory, 'list'>;
    sessions: Pick<SessionService, 'activeSessionCount'>;
    clock: Clock;
    accessKeys: { of(orgId: string, userId: string): Promise<AccessKey[]> };
  },
  orgId: string,
): Promise<CredentialReportRow[]> {
  const users = await deps.users.list(orgId);
  const sessions = deps.sessions;
  const now = deps.clock.now().getTime();
  const rows = await Promise.all(
    users.map(
      async (user): Promise<CredentialReportRow> => ({
        userId: user.userId,
        email: user.email,
        accountId: user.accountId,
        status: user.status,
        passwordSet: user.passwordChangedAt !== undefined,
        passwordChangedAt: user.passwordChangedAt ?? null,
        passwordAgeDays: user.passwordChangedAt
          ? Math.floor((now - Date.parse(user.passwordChangedAt)) / 86_400_000)
          : null,
        mfaEnabled: user.mfaEnabled,
        lastSignInAt: user.lastSignInAt ?? null,
        activeSessions: await sessions.activeSessionCount(orgId, user.userId),
        accessKeys: (await deps.accessKeys.of(orgId, user.userId)).map(
          ({ accessKeyId, status, createdAt, lastUsedAt, lastUsedService }) => ({
            accessKeyId,
            status,
            createdAt,
            ...(lastUsedAt ? { lastUsedAt } : {}),
            ...(lastUsedService ? { lastUsedService } : {}),
          }),
        ),
      }),
    ),
  );
  return rows.sort((a, b) => a.email.localeCompare(b.email));
}
