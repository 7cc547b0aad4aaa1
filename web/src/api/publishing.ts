import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, send } from './client.js';
import type { components } from './openapi.gen.js';

type Schemas = components['schemas'];

export function usePublishTerms() {
  return useMutation({
    mutationFn: (body: Schemas['PublishReportTerms']) => send(() => api.POST('/api/report-terms', { body })),
  });
}

export function useCreateReport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['CreateReport']) => send(() => api.POST('/api/reports', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['reports'] }),
  });
}

export function useCreateReportVersion(id: string) {
  return useMutation({
    mutationFn: (body: Schemas['CreateReportVersion']) =>
      send(() => api.POST('/api/reports/{id}/versions', { params: { path: { id } }, body })),
  });
}

export function useFinalizeReportVersion(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (version: number) =>
      send(() => api.POST('/api/reports/{id}/versions/{v}/finalize', { params: { path: { id, v: String(version) } } })),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['reports'] });
      await client.invalidateQueries({ queryKey: ['report', id] });
    },
  });
}

export function useCreateAgreement() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['CreateAgreement']) => send(() => api.POST('/api/agreements', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['agreements'] }),
  });
}

export function usePublishAgreementRevision() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: Schemas['PublishAgreementRevision'] & { id: string }) =>
      send(() => api.POST('/api/agreements/{id}/revisions', { params: { path: { id } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['agreements'] }),
  });
}

/** Publisher grants: who may publish to the global catalog (the operator organization only). */
export function usePublisherGrants(enabled: boolean) {
  return useQuery({
    queryKey: ['publisher-grants'],
    queryFn: () => send(() => api.GET('/api/publishers')),
    enabled,
  });
}

export function useGrantPublisher() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ orgId, ...body }: Schemas['NewPublisherGrant'] & { orgId: string }) =>
      send(() => api.PUT('/api/publishers/{orgId}', { params: { path: { orgId } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['publisher-grants'] }),
  });
}

export function useRevokePublisher() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (orgId: string) => send(() => api.DELETE('/api/publishers/{orgId}', { params: { path: { orgId } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['publisher-grants'] }),
  });
}
