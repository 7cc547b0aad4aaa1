import {
  keepPreviousData,
  type QueryClient,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api, send } from './client.js';

export interface CatalogQuery {
  q?: string;
  category?: string;
  series?: string;
  company?: string;
  periodFrom?: string;
  periodTo?: string;
  cursor?: string;
}

const filterNames = ['q', 'category', 'series', 'company', 'periodFrom', 'periodTo', 'cursor'] as const;

/** The catalog question a URL's query string asks (the reports screen keeps its filters there). */
export function catalogQueryOf(params: URLSearchParams): CatalogQuery {
  const query: CatalogQuery = {};
  for (const name of filterNames) {
    const value = params.get(name);
    if (value) query[name] = value;
  }
  return query;
}

const reportsQuery = (query: CatalogQuery, quiet401 = false) =>
  queryOptions({
    queryKey: ['reports', query],
    queryFn: () => send(() => api.GET('/api/reports', { params: { query: { ...query, limit: 25 } } }), { quiet401 }),
  });

export function useReports(query: CatalogQuery) {
  return useQuery({ ...reportsQuery(query), placeholderData: keepPreviousData });
}

/**
 * Opening the console on the catalog (its landing screen): ask for the page at once, alongside who-am-I,
 * instead of after it. Signed out, the answer is a 401 nobody reads.
 */
export function prefetchLandingCatalog(client: QueryClient, location: { pathname: string; search: string }): void {
  if (location.pathname !== '/reports') return;
  void client.prefetchQuery(reportsQuery(catalogQueryOf(new URLSearchParams(location.search)), true));
}

/** Every report the caller may see (for the filter choices): the catalog is small, 100 per page. */
export function useCatalogFacets(enabled: boolean) {
  return useQuery({
    queryKey: ['reports', 'facets'],
    enabled,
    queryFn: () => send(() => api.GET('/api/reports', { params: { query: { limit: 100 } } })),
    staleTime: 5 * 60_000,
    select: (page) => ({
      categories: [...new Set(page.items.map((r) => r.category))].sort(),
      series: [...new Set(page.items.map((r) => r.series))].sort(),
      companies: [...new Set(page.items.map((r) => r.company))].sort(),
    }),
  });
}

export function useReport(id: string) {
  return useQuery({
    queryKey: ['report', id],
    queryFn: () => send(() => api.GET('/api/reports/{id}', { params: { path: { id } } })),
  });
}

export function useReportVersions(id: string) {
  return useQuery({
    queryKey: ['report', id, 'versions'],
    queryFn: () => send(() => api.GET('/api/reports/{id}/versions', { params: { path: { id } } })),
  });
}

export function useReportTerms(id: string, version: number | undefined) {
  return useQuery({
    queryKey: ['report', id, 'terms', version],
    queryFn: () =>
      send(() => api.GET('/api/reports/{id}/versions/{v}/terms', { params: { path: { id, v: String(version) } } })),
    enabled: version !== undefined,
  });
}

export function useAcceptReportTerms(id: string, version: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (revisionId: string) =>
      send(() =>
        api.POST('/api/reports/{id}/versions/{v}/terms/acceptances', {
          params: { path: { id, v: String(version) } },
          body: { revisionId },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['report', id, 'terms', version] }),
  });
}

/** Downloads are navigations, not fetches: in AWS the route answers with a redirect to a short-lived URL. */
export function downloadUrl(id: string, version: number, termToken: string): string {
  return `/api/reports/${encodeURIComponent(id)}/versions/${version}/download?termToken=${encodeURIComponent(termToken)}`;
}

export function useMyDownloads(cursor: string | undefined) {
  return useQuery({
    queryKey: ['downloads', cursor],
    queryFn: () =>
      send(() => api.GET('/api/downloads', { params: { query: { limit: 25, ...(cursor ? { cursor } : {}) } } })),
    placeholderData: keepPreviousData,
  });
}

export function useDownloadTrace(downloadId: string | undefined) {
  return useQuery({
    queryKey: ['download-trace', downloadId],
    queryFn: () =>
      send(() => api.GET('/api/downloads/{downloadId}', { params: { path: { downloadId: downloadId ?? '' } } })),
    enabled: Boolean(downloadId),
    retry: false,
  });
}
