import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, send } from './client.js';
import { ApiProblem } from './problem.js';
import type { Me } from './types.js';

export const meKey = ['me'] as const;

/** Who am I; `null` when signed out (401), never an error for that. */
export function useMe() {
  return useQuery<Me | null>({
    queryKey: meKey,
    queryFn: async () => {
      try {
        return await send(() => api.GET('/api/me'), { quiet401: true });
      } catch (error) {
        if (error instanceof ApiProblem && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

/** After anything that changes the session, everything cached belongs to someone else. */
function useSessionChanged() {
  const client = useQueryClient();
  return async () => {
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
    await client.invalidateQueries({ queryKey: meKey });
  };
}

export function useSignIn() {
  const changed = useSessionChanged();
  return useMutation({
    mutationFn: (body: {
      organization: string;
      email: string;
      password: string;
      totp?: string;
      newPassword?: string;
    }) => send(() => api.POST('/api/session', { body }), { quiet401: true }),
    onSuccess: changed,
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => send(() => api.DELETE('/api/session'), { quiet401: true }),
    onSettled: () => {
      client.clear();
      client.setQueryData(meKey, null);
    },
  });
}

export function useAssumeRole() {
  const changed = useSessionChanged();
  return useMutation({
    mutationFn: (roleId: string) => send(() => api.POST('/api/session/role', { body: { roleId } })),
    onSuccess: changed,
  });
}

export function stepUp(totp: string) {
  return send(() => api.POST('/api/session/mfa', { body: { totp } }), { quiet401: true });
}

export function useBeginMfaEnrolment() {
  return useMutation({
    mutationFn: (password: string) => send(() => api.POST('/api/me/mfa', { body: { password } })),
  });
}

export function useConfirmMfaEnrolment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (totp: string) => send(() => api.POST('/api/me/mfa/confirm', { body: { totp } })),
    onSuccess: () => client.invalidateQueries({ queryKey: meKey }),
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      send(() => api.POST('/api/me/password', { body })),
  });
}

export function useSetPasswordFromLink() {
  return useMutation({
    mutationFn: (body: { token: string; newPassword: string }) =>
      send(() => api.POST('/api/session/password', { body }), { quiet401: true }),
  });
}

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (body: { organization: string; email: string }) =>
      send(() => api.POST('/api/session/password-reset', { body }), { quiet401: true }),
  });
}
