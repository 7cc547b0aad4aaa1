import { useEffect, useState } from 'react';
import { fetchHealth, type HealthView } from './health.js';

const labels = { store: 'Store', kms: 'KMS', s3: 'S3' } as const;

function HealthIndicator() {
  const [health, setHealth] = useState<HealthView>({ state: 'checking' });
  useEffect(() => {
    const controller = new AbortController();
    const refresh = () =>
      fetchHealth(controller.signal).then(setHealth, () => {
        /* aborted on unmount */
      });
    refresh();
    const timer = setInterval(refresh, 15_000);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, []);
  const text = {
    checking: 'Checking…',
    ok: 'All systems operational',
    degraded: 'Degraded',
    unreachable: 'API unreachable',
  }[health.state];
  return (
    <section className={`health health-${health.state}`} aria-live="polite" data-testid="health">
      <span className="health-dot" aria-hidden="true" />
      <span className="health-text">{text}</span>
      {health.checks && (
        <ul className="health-checks">
          {(Object.keys(labels) as Array<keyof typeof labels>).map((name) => (
            <li key={name} data-state={health.checks?.[name]}>
              {labels[name]}: {health.checks?.[name]}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function App() {
  return (
    <div className="shell">
      <header className="shell-header">
        <span className="brand">evidence-portal</span>
        <HealthIndicator />
      </header>
      <main className="shell-main">
        <h1>Compliance evidence and agreements</h1>
        <p>
          Audit reports, agreements, signed evidence bundles and a tamper-evident audit trail for your organization.
        </p>
        <p className="muted">
          API reference: <a href="/api/docs">/api/docs</a>
        </p>
      </main>
    </div>
  );
}
