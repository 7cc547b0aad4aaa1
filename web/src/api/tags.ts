import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, send } from './client.js';

/** What the console tags: a report or an agreement of the catalog (the organization's own tags on it). */
export type TaggedKind = 'report' | 'agreement';

const keyOf = (kind: TaggedKind, id: string) => ['tags', kind, id] as const;

function listTags(kind: TaggedKind, id: string) {
  const params = { params: { path: { id } } };
  return kind === 'report'
    ? send(() => api.GET('/api/reports/{id}/tags', params))
    : send(() => api.GET('/api/agreements/{id}/tags', params));
}

export function useResourceTags(kind: TaggedKind, id: string, enabled = true) {
  return useQuery({ queryKey: keyOf(kind, id), queryFn: () => listTags(kind, id), enabled });
}

/** Adds or changes tags (merged with the present ones). */
export function useTagResource(kind: TaggedKind, id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (tags: Record<string, string>) => {
      const request = { params: { path: { id } }, body: { tags } };
      return kind === 'report'
        ? send(() => api.POST('/api/reports/{id}/tags', request))
        : send(() => api.POST('/api/agreements/{id}/tags', request));
    },
    onSuccess: (answer) => client.setQueryData(keyOf(kind, id), answer),
  });
}

/** Removes tags by key. */
export function useUntagResource(kind: TaggedKind, id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (tagKeys: string[]) => {
      const request = { params: { path: { id }, query: { tagKeys } } };
      return kind === 'report'
        ? send(() => api.DELETE('/api/reports/{id}/tags', request))
        : send(() => api.DELETE('/api/agreements/{id}/tags', request));
    },
    onSuccess: (answer) => client.setQueryData(keyOf(kind, id), answer),
  });
}
