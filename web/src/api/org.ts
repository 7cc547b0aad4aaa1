import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, send } from './client.js';
import type { components } from './openapi.gen.js';

type Schemas = components['schemas'];

function useInvalidate(...keys: string[][]) {
  const client = useQueryClient();
  return async () => {
    for (const queryKey of keys) await client.invalidateQueries({ queryKey });
  };
}

export const useOrgTree = () => useQuery({ queryKey: ['org', 'tree'], queryFn: () => send(() => api.GET('/api/org')) });
export const useAccounts = () =>
  useQuery({ queryKey: ['org', 'accounts'], queryFn: () => send(() => api.GET('/api/org/accounts')) });

export function useCreateUnit() {
  const done = useInvalidate(['org']);
  return useMutation({
    mutationFn: (body: Schemas['NewUnit']) => send(() => api.POST('/api/org/units', { body })),
    onSuccess: done,
  });
}
export function useDeleteUnit() {
  const done = useInvalidate(['org']);
  return useMutation({
    mutationFn: (unitId: string) => send(() => api.DELETE('/api/org/units/{unitId}', { params: { path: { unitId } } })),
    onSuccess: done,
  });
}
export function useAddAccount() {
  const done = useInvalidate(['org'], ['coverage']);
  return useMutation({
    mutationFn: (body: Schemas['NewAccount']) => send(() => api.POST('/api/org/accounts', { body })),
    onSuccess: done,
  });
}
export function useMoveAccount() {
  const done = useInvalidate(['org']);
  return useMutation({
    mutationFn: ({ accountId, destinationParentId }: { accountId: string; destinationParentId: string }) =>
      send(() =>
        api.POST('/api/org/accounts/{accountId}/move', {
          params: { path: { accountId } },
          body: { destinationParentId },
        }),
      ),
    onSuccess: done,
  });
}
export function useRemoveAccount() {
  const done = useInvalidate(['org'], ['coverage']);
  return useMutation({
    mutationFn: (accountId: string) =>
      send(() => api.DELETE('/api/org/accounts/{accountId}', { params: { path: { accountId } } })),
    onSuccess: done,
  });
}

export const useUsers = () =>
  useQuery({ queryKey: ['access', 'users'], queryFn: () => send(() => api.GET('/api/org/users')) });
export function useInviteUser() {
  const done = useInvalidate(['access']);
  return useMutation({
    mutationFn: (body: Schemas['NewUser']) => send(() => api.POST('/api/org/users', { body })),
    onSuccess: done,
  });
}
export function useDeactivateUser() {
  const done = useInvalidate(['access']);
  return useMutation({
    mutationFn: (userId: string) =>
      send(() => api.POST('/api/org/users/{userId}/deactivate', { params: { path: { userId } } })),
    onSuccess: done,
  });
}

export const useGroups = () =>
  useQuery({ queryKey: ['access', 'groups'], queryFn: () => send(() => api.GET('/api/org/groups')) });
export function useCreateGroup() {
  const done = useInvalidate(['access']);
  return useMutation({
    mutationFn: (name: string) => send(() => api.POST('/api/org/groups', { body: { name } })),
    onSuccess: done,
  });
}
export function useAddMember() {
  const done = useInvalidate(['access']);
  return useMutation({
    mutationFn: ({ groupId, userId }: { groupId: string; userId: string }) =>
      send(() => api.POST('/api/org/groups/{groupId}/members', { params: { path: { groupId } }, body: { userId } })),
    onSuccess: done,
  });
}
export function useRemoveMember() {
  const done = useInvalidate(['access']);
  return useMutation({
    mutationFn: ({ groupId, userId }: { groupId: string; userId: string }) =>
      send(() => api.DELETE('/api/org/groups/{groupId}/members/{userId}', { params: { path: { groupId, userId } } })),
    onSuccess: done,
  });
}

export const useRoles = (enabled = true) =>
  useQuery({ queryKey: ['access', 'roles'], queryFn: () => send(() => api.GET('/api/org/roles')), enabled });
export function useCreateRole() {
  const done = useInvalidate(['access']);
  return useMutation({
    mutationFn: (body: Schemas['NewRole']) => send(() => api.POST('/api/org/roles', { body })),
    onSuccess: done,
  });
}
export function useGrantRole() {
  const done = useInvalidate(['access']);
  return useMutation({
    mutationFn: ({ roleId, ...body }: Schemas['RoleGrantInput'] & { roleId: string }) =>
      send(() => api.POST('/api/org/roles/{roleId}/grants', { params: { path: { roleId } }, body })),
    onSuccess: done,
  });
}

export const usePolicies = () =>
  useQuery({ queryKey: ['access', 'policies'], queryFn: () => send(() => api.GET('/api/org/policies')) });
export function useCreatePolicy() {
  const done = useInvalidate(['access']);
  return useMutation({
    mutationFn: (body: Schemas['NewPolicy']) => send(() => api.POST('/api/org/policies', { body })),
    onSuccess: done,
  });
}

export const useAttachments = () =>
  useQuery({ queryKey: ['access', 'attachments'], queryFn: () => send(() => api.GET('/api/org/attachments')) });
export function useAttach() {
  const done = useInvalidate(['access']);
  return useMutation({
    mutationFn: (body: Schemas['NewAttachment']) => send(() => api.POST('/api/org/attachments', { body })),
    onSuccess: done,
  });
}
export function useDetach() {
  const done = useInvalidate(['access']);
  return useMutation({
    mutationFn: (path: { targetType: string; targetId: string; policy: string }) =>
      send(() => api.DELETE('/api/org/attachments/{targetType}/{targetId}/{policy}', { params: { path } })),
    onSuccess: done,
  });
}

export const useGuardrails = () =>
  useQuery({ queryKey: ['access', 'guardrails'], queryFn: () => send(() => api.GET('/api/org/guardrails')) });
export function useAttachGuardrail() {
  const done = useInvalidate(['access']);
  return useMutation({
    mutationFn: (body: Schemas['NewGuardrailAttachment']) => send(() => api.POST('/api/org/guardrails', { body })),
    onSuccess: done,
  });
}
export function useDetachGuardrail() {
  const done = useInvalidate(['access']);
  return useMutation({
    mutationFn: (path: { targetId: string; policy: string }) =>
      send(() => api.DELETE('/api/org/guardrails/{targetId}/{policy}', { params: { path } })),
    onSuccess: done,
  });
}

export function useSimulate() {
  return useMutation({
    mutationFn: (body: Schemas['Simulation']) => send(() => api.POST('/api/org/simulate', { body })),
  });
}

export const useCredentialReport = () =>
  useQuery({
    queryKey: ['access', 'credential-report'],
    queryFn: () => send(() => api.GET('/api/org/credential-report')),
  });

export function useAccessAnalysis(question: { action: string; resource: string } | undefined) {
  return useQuery({
    queryKey: ['access', 'analysis', question],
    queryFn: () =>
      send(() =>
        api.GET('/api/org/access-analysis', {
          params: { query: question ?? { action: '', resource: '' } },
        }),
      ),
    enabled: Boolean(question?.action && question.resource),
  });
}
