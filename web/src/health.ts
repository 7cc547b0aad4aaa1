export type DependencyState = 'up' | 'down';
export interface HealthView {
  state: 'checking' | 'ok' | 'degraded' | 'unreachable';
  checks?: Record<'store' | 'kms' | 's3', DependencyState>;
  detail?: string;
}

/** Reads /api/health; a 503 problem still carries `checks` naming what is down. */
export async function fetchHealth(signal?: AbortSignal): Promise<HealthView> {
  try {
    const response = await fetch('/api/health', { signal, headers: { accept: 'application/json' } });
    const body = (await response.json()) as { checks?: HealthView['checks']; detail?: string };
    if (response.ok) return { state: 'ok', checks: body.checks };
    return { state: 'degraded', checks: body.checks, detail: body.detail };
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    return { state: 'unreachable', detail: 'The API did not answer.' };
  }
}
