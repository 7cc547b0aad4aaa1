import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, send } from './client.js';
import type { components } from './openapi.gen.js';

type Schemas = components['schemas'];

export function useUnreadCount(enabled: boolean) {
  return useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: () => send(() => api.GET('/api/notifications/unread-count')),
    enabled,
    refetchInterval: 30_000,
  });
}

export function useFeed(cursor: string | undefined) {
  return useQuery({
    queryKey: ['notifications', 'feed', cursor],
    queryFn: () => send(() => api.GET('/api/notifications', { params: { query: cursor ? { cursor } : {} } })),
    placeholderData: keepPreviousData,
  });
}

export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => send(() => api.POST('/api/notifications/{id}/read', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['notifications'] }),
  });
}

export const useSubscriptions = () =>
  useQuery({ queryKey: ['subscriptions'], queryFn: () => send(() => api.GET('/api/subscriptions')) });

export function useCreateSubscription() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['SubscriptionInput']) => send(() => api.POST('/api/subscriptions', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['subscriptions'] }),
  });
}

export function useDeleteSubscription() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => send(() => api.DELETE('/api/subscriptions/{id}', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['subscriptions'] }),
  });
}

export const useWebhooks = () =>
  useQuery({ queryKey: ['webhooks'], queryFn: () => send(() => api.GET('/api/webhooks')) });

export function useCreateWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['WebhookInput']) => send(() => api.POST('/api/webhooks', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['webhooks'] }),
  });
}

export function useUpdateWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: Schemas['WebhookPatch'] & { id: string }) =>
      send(() => api.PATCH('/api/webhooks/{id}', { params: { path: { id } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['webhooks'] }),
  });
}

export function useDeleteWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => send(() => api.DELETE('/api/webhooks/{id}', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['webhooks'] }),
  });
}

export function useDeliveries(webhookId: string | undefined) {
  return useQuery({
    queryKey: ['webhooks', webhookId, 'deliveries'],
    queryFn: () => send(() => api.GET('/api/webhooks/{id}/deliveries', { params: { path: { id: webhookId ?? '' } } })),
    enabled: Boolean(webhookId),
  });
}
