import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, send } from './client.js';

export function useAgreements() {
  return useQuery({ queryKey: ['agreements'], queryFn: () => send(() => api.GET('/api/agreements')) });
}

export function useAgreement(id: string) {
  return useQuery({
    queryKey: ['agreements', id],
    queryFn: () => send(() => api.GET('/api/agreements/{id}', { params: { path: { id } } })),
  });
}

export function useAgreementNda(id: string) {
  return useQuery({
    queryKey: ['agreements', id, 'nda'],
    queryFn: () => send(() => api.GET('/api/agreements/{id}/nda', { params: { path: { id } } })),
  });
}

export function useAcceptNda(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (sha256: string) =>
      send(() => api.POST('/api/agreements/{id}/nda/acceptances', { params: { path: { id } }, body: { sha256 } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['agreements', id] }),
  });
}

export function useAgreementRevision(id: string, revisionId: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['agreements', id, 'revision', revisionId],
    queryFn: () =>
      send(() =>
        api.GET('/api/agreements/{id}/revisions/{revisionId}', {
          params: { path: { id, revisionId: revisionId ?? '' } },
        }),
      ),
    enabled: enabled && Boolean(revisionId),
  });
}

export function useAgreementHistory(id: string) {
  return useQuery({
    queryKey: ['agreements', id, 'history'],
    queryFn: () => send(() => api.GET('/api/agreements/{id}/acceptances', { params: { path: { id } } })),
  });
}

type Scope = { scope: 'account' | 'organization'; accountId?: string };

function useAgreementChange() {
  const client = useQueryClient();
  return async () => {
    await client.invalidateQueries({ queryKey: ['agreements'] });
    await client.invalidateQueries({ queryKey: ['coverage'] });
  };
}

export function useAcceptAgreement(id: string) {
  const changed = useAgreementChange();
  return useMutation({
    mutationFn: (body: Scope & { revisionId: string }) =>
      send(() => api.POST('/api/agreements/{id}/acceptances', { params: { path: { id } }, body })),
    onSuccess: changed,
  });
}

export function useTerminateAgreement(id: string) {
  const changed = useAgreementChange();
  return useMutation({
    mutationFn: (body: Scope) =>
      send(() => api.POST('/api/agreements/{id}/terminations', { params: { path: { id } }, body })),
    onSuccess: changed,
  });
}

export function useCoverageMatrix(at: string | undefined) {
  return useQuery({
    queryKey: ['coverage', 'matrix', at],
    queryFn: () => send(() => api.GET('/api/coverage/matrix', { params: { query: at ? { at } : {} } })),
  });
}
