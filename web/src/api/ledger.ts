import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, send } from './client.js';

export interface LedgerFilters {
  actor?: string;
  action?: string;
  accountId?: string;
  from?: string;
  to?: string;
  cursor?: string;
}

export function useLedger(filters: LedgerFilters) {
  return useQuery({
    queryKey: ['ledger', filters],
    queryFn: () => send(() => api.GET('/api/ledger', { params: { query: { ...filters, limit: 25 } } })),
    placeholderData: keepPreviousData,
  });
}

export function useVerifyLedger() {
  return useMutation({ mutationFn: () => send(() => api.GET('/api/ledger/verify')) });
}

export function useCheckpoints() {
  return useQuery({
    queryKey: ['ledger', 'checkpoints'],
    queryFn: () => send(() => api.GET('/api/ledger/checkpoints')),
  });
}

export function useSignCheckpoint() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => send(() => api.POST('/api/ledger/checkpoints')),
    onSuccess: () => client.invalidateQueries({ queryKey: ['ledger', 'checkpoints'] }),
  });
}

/** The export is a navigation: the browser streams the JSON Lines to a file. */
export const ledgerExportUrl = '/api/ledger/export';
