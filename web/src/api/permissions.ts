import { useQuery } from '@tanstack/react-query';
import { api, send } from './client.js';
import type { PermissionAnswer, PermissionQuestion } from './types.js';

/**
 * Asks the server what this session may do (POST /api/permissions: the same policy evaluation as the
 * routes). The console never evaluates a policy itself; it shows or hides actions from these answers.
 */
export function usePermissions(questions: PermissionQuestion[], options: { enabled?: boolean } = {}) {
  const query = useQuery({
    queryKey: ['permissions', questions],
    queryFn: () => send(() => api.POST('/api/permissions', { body: { questions } })),
    enabled: (options.enabled ?? true) && questions.length > 0,
    staleTime: 60_000,
  });
  const answers = query.data?.items ?? [];
  const answerOf = (index: number): PermissionAnswer | undefined => answers[index];
  return {
    ...query,
    /** True/false once answered; undefined while asking. */
    allowed: (index: number) => (query.data ? answerOf(index)?.allowed === true : undefined),
    answerOf,
  };
}

/** Resource templates the permissions endpoint fills in from the session ({orgId}, {accountId}). */
export const resources = {
  organization: 'arn:portal:{orgId}::organization',
  ledger: 'arn:portal:{orgId}::ledger',
  anyReport: 'arn:portal:{orgId}:{accountId}:report/*',
  report: (id: string) => `arn:portal:{orgId}:{accountId}:report/${id}`,
  anyDownload: 'arn:portal:{orgId}:{accountId}:download/*',
  anyAgreement: 'arn:portal:{orgId}::agreement/*',
  agreement: (id: string) => `arn:portal:{orgId}::agreement/${id}`,
  agreementForAccount: (id: string, accountId = '{accountId}') => `arn:portal:{orgId}:${accountId}:agreement/${id}`,
  coverage: 'arn:portal:{orgId}:*:agreement/*',
  access: (type: 'user' | 'group' | 'role' | 'policy' | 'guardrail') => `arn:portal:{orgId}::${type}/*`,
  notifications: 'arn:portal:{orgId}:{accountId}:notification/*',
  anyPublisher: 'arn:portal:{orgId}::publisher/*',
} as const;
