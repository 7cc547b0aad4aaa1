import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, send } from './client.js';
import type { components } from './openapi.gen.js';

export type ComplianceInquiry = components['schemas']['ComplianceInquiry'];
export type ComplianceInquiryQuery = components['schemas']['ComplianceInquiryQuery'];
export type CreateComplianceInquiry = components['schemas']['CreateComplianceInquiry'];
export type ComplianceInquiryFeedback = components['schemas']['ComplianceInquiryFeedback'];
export type ExportComplianceInquiry = components['schemas']['ExportComplianceInquiry'];

const key = ['compliance-inquiries'] as const;

export function useInquiries(cursor?: string) {
  return useQuery({
    queryKey: [...key, 'list', cursor ?? ''],
    queryFn: () =>
      send(() =>
        api.GET('/api/compliance-inquiries', { params: { query: { limit: 25, ...(cursor ? { cursor } : {}) } } }),
      ),
  });
}

export function useInquiry(id: string) {
  return useQuery({
    queryKey: [...key, id],
    queryFn: () => send(() => api.GET('/api/compliance-inquiries/{id}', { params: { path: { id } } })),
  });
}

/** Every query of an inquiry (at most 200: one page of 300), polled while a human review is pending. */
export function useInquiryQueries(id: string, inReview: boolean) {
  return useQuery({
    queryKey: [...key, id, 'queries'],
    queryFn: () =>
      send(() =>
        api.GET('/api/compliance-inquiries/{id}/queries', { params: { path: { id }, query: { limit: 300 } } }),
      ),
    refetchInterval: inReview ? 5000 : false,
  });
}

export function useCreateInquiry() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateComplianceInquiry) => send(() => api.POST('/api/compliance-inquiries', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
}

export function usePutFeedback(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ComplianceInquiryFeedback) =>
      send(() => api.POST('/api/compliance-inquiries/{id}/feedback', { params: { path: { id } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: [...key, id, 'queries'] }),
  });
}

export function useExportInquiry(id: string) {
  return useMutation({
    mutationFn: (body: ExportComplianceInquiry) =>
      send(() => api.POST('/api/compliance-inquiries/{id}/exports', { params: { path: { id } }, body })),
  });
}

/** A file's bytes as base64 (the API carries questionnaires as the Artifact API does). */
export async function fileAsBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export type ComplianceInquiryReview = components['schemas']['ComplianceInquiryReview'];

/** The portal operator's human-review queue (every organization's FULL_SUPPORT inquiries waiting). */
export function useReviewQueue() {
  return useQuery({
    queryKey: [...key, 'reviews'],
    queryFn: () => send(() => api.GET('/api/compliance-inquiry-reviews', { params: { query: { limit: 100 } } })),
  });
}

export function useReview(orgId: string, id: string) {
  return useQuery({
    queryKey: [...key, 'reviews', orgId, id],
    queryFn: () =>
      send(() => api.GET('/api/compliance-inquiry-reviews/{orgId}/{id}', { params: { path: { orgId, id } } })),
  });
}

export function useAnswerQuery(orgId: string, id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ queryIdentifier, response }: { queryIdentifier: number; response: string }) =>
      send(() =>
        api.POST('/api/compliance-inquiry-reviews/{orgId}/{id}/queries/{queryIdentifier}/answer', {
          params: { path: { orgId, id, queryIdentifier: String(queryIdentifier) } },
          body: { response },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: [...key, 'reviews'] }),
  });
}
