import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, send } from './client.js';
import type { components } from './openapi.gen.js';

export type EvidenceBundle = components['schemas']['EvidenceBundle'];
export type RequestEvidenceBundle = components['schemas']['RequestEvidenceBundle'];
export type SigningKey = components['schemas']['SigningKey'];

export function useEvidenceBundles() {
  return useQuery({
    queryKey: ['evidence-bundles'],
    queryFn: () => send(() => api.GET('/api/evidence-bundles')),
  });
}

/** One bundle, polled every second while it is being built. */
export function useEvidenceBundle(id: string) {
  return useQuery({
    queryKey: ['evidence-bundles', id],
    queryFn: () => send(() => api.GET('/api/evidence-bundles/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => {
      const state = query.state.data?.state;
      return state === 'ready' || state === 'failed' ? false : 1000;
    },
  });
}

export function useRequestEvidenceBundle() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: RequestEvidenceBundle) => send(() => api.POST('/api/evidence-bundles', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['evidence-bundles'] }),
  });
}

export function useSigningKeys() {
  return useQuery({ queryKey: ['keys', 'signing'], queryFn: () => send(() => api.GET('/api/keys/signing')) });
}

/** Downloads are navigations: the browser streams the file (in AWS the route redirects to S3). */
export const bundleDownloadUrl = (id: string) => `/api/evidence-bundles/${encodeURIComponent(id)}/download`;
