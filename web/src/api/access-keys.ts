import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, send } from './client.js';

const accessKeysKey = ['access-keys'] as const;

/** Your access keys (never their secrets). */
export function useAccessKeys() {
  return useQuery({
    queryKey: accessKeysKey,
    queryFn: () => send(() => api.GET('/api/me/access-keys')),
  });
}

/** Creates a key; the answer holds the secret, shown once. */
export function useCreateAccessKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => send(() => api.POST('/api/me/access-keys', { body: {} })),
    onSuccess: () => client.invalidateQueries({ queryKey: accessKeysKey }),
  });
}

export function useSetAccessKeyStatus() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { accessKeyId: string; status: 'Active' | 'Inactive' }) =>
      send(() =>
        api.PATCH('/api/me/access-keys/{accessKeyId}', {
          params: { path: { accessKeyId: input.accessKeyId } },
          body: { status: input.status },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: accessKeysKey }),
  });
}

export function useDeleteAccessKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (accessKeyId: string) =>
      send(() => api.DELETE('/api/me/access-keys/{accessKeyId}', { params: { path: { accessKeyId } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: accessKeysKey }),
  });
}
