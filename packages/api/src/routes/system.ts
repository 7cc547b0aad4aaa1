import { randomBytes } from 'node:crypto';
import { ledgerArn } from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { baseRequestContext } from '../middleware/authorization-gate.js';
import { problem, problemContentType } from '../problem.js';
import { portalRoute } from '../route-definition.js';
import { json } from '../route-kit.js';
import { ProblemSchema } from '../schemas.js';
import { apiDocsPage } from './api-docs-page.js';

const dependencyState = z.enum(['up', 'down']);

const dependencyNames = ['store', 'kms', 's3'] as const;
type DependencyName = (typeof dependencyNames)[number];
const LedgerHealthSchema = z
  .object({
    integrity: z.enum(['ok', 'alert']),
    alert: z
      .object({
        kind: z.string(),
        reason: z.string(),
        firstBadSeq: z.number().int().optional(),
        detectedBy: z.string(),
        firstDetectedAt: z.string(),
        lastDetectedAt: z.string(),
        detections: z.number().int(),
      })
      .optional(),
  })
  .openapi('LedgerHealth');

const HealthSchema = z
  .object({
    status: z.literal('ok'),
    stage: z.string(),
    checks: z.object({ store: z.literal('up'), kms: z.literal('up'), s3: z.literal('up') }),
    details: z
      .object({ ledger: LedgerHealthSchema })
      .optional()
      .openapi({ description: "Only for a signed-in caller who may verify the org's ledger (admins, auditors)" }),
  })
  .openapi('Health');

const healthRoute = portalRoute({
  method: 'get',
  path: '/health',
  tags: ['System'],
  summary: 'Reachability of the store, KMS and S3',
  authorization: { kind: 'public', reason: 'load balancers and uptime checks call it without a session' },
  responses: {
    200: json('All dependencies reachable', HealthSchema),
    503: {
      description: 'At least one dependency is down; `checks` says which',
      content: {
        'application/problem+json': {
          schema: ProblemSchema.extend({
            code: z.literal('dependency_down'),
            checks: z.object({ store: dependencyState, kms: dependencyState, s3: dependencyState }),
          }).openapi('HealthProblem'),
        },
      },
    },
  },
});

const docsRoute = portalRoute({
  method: 'get',
  path: '/docs',
  tags: ['System'],
  summary: 'Interactive API documentation',
  authorization: { kind: 'public', reason: 'documentation of the public API surface' },
  responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } } },
});

const healthTimeoutMs = 2500;

function withTimeout(check: () => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), healthTimeoutMs);
    check().then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Overlapping health checks share one probe of each dependency: a burst of checks (a load balancer, a
 * status page, a monitor) must not multiply KMS, S3 and DynamoDB calls, and an answer is never older
 * than the probe that was in flight when the check arrived. Keyed by the adapter, so two portals in
 * one process (tests) never share a probe.
 */
const probesInFlight = new WeakMap<object, Promise<void>>();

function sharedProbe(adapter: object, probe: () => Promise<void>): Promise<void> {
  let inFlight = probesInFlight.get(adapter);
  if (!inFlight) {
    inFlight = withTimeout(probe).finally(() => probesInFlight.delete(adapter));
    probesInFlight.set(adapter, inFlight);
  }
  return inFlight;
}

/**
 * The caller's ledger integrity, for those who may verify it (issue 16: an integrity fault is an alarm,
 * so admins see it here as well as in their notifications). Anonymous callers get the probes only.
 */
async function ledgerDetails(c: Context<AppEnv>) {
  const principal = c.get('principal');
  if (!principal) return undefined;
  const deps = c.get('deps');
  const decision = await deps.authorizer.authorize(
    principal,
    'portal:VerifyLedger',
    ledgerArn(principal.orgId),
    baseRequestContext(c),
  );
  if (decision.decision !== 'Allow') return undefined;
  const alert = await deps.ledger.integrityAlert(principal.orgId);
  if (!alert) return { ledger: { integrity: 'ok' as const } };
  const { kind, reason, firstBadSeq, detectedBy, firstDetectedAt, lastDetectedAt, detections } = alert;
  return {
    ledger: {
      integrity: 'alert' as const,
      alert: {
        kind,
        reason,
        ...(firstBadSeq !== undefined ? { firstBadSeq } : {}),
        detectedBy,
        firstDetectedAt,
        lastDetectedAt,
        detections,
      },
    },
  };
}

export function systemRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(healthRoute, async (c) => {
    const deps = c.get('deps');
    const probes: Record<DependencyName, () => Promise<void>> = {
      store: () => sharedProbe(deps.store, () => deps.store.ping()),
      kms: () => sharedProbe(deps.signer, () => deps.signer.ping()),
      s3: () => sharedProbe(deps.blobs, () => deps.blobs.ping()),
    };
    const results = await Promise.allSettled(dependencyNames.map((name) => probes[name]()));
    const checks = Object.fromEntries(
      dependencyNames.map((name, i) => [name, results[i]?.status === 'fulfilled' ? 'up' : 'down']),
    ) as Record<DependencyName, 'up' | 'down'>;
    const down = dependencyNames.filter((name) => checks[name] === 'down');
    if (down.length > 0) {
      results.forEach((result, i) => {
        if (result.status === 'rejected') {
          c.get('logger').log('warn', 'health check failed', {
            dependency: dependencyNames[i],
            error: result.reason instanceof Error ? result.reason.message : String(result.reason),
          });
        }
      });
      const body = {
        ...problem(503, 'dependency_down', `Unreachable: ${down.join(', ')}.`),
        code: 'dependency_down' as const,
        checks,
      };
      return c.json(body, 503, { 'Content-Type': problemContentType });
    }
    const details = await ledgerDetails(c);
    return c.json(
      {
        status: 'ok' as const,
        stage: deps.settings.stage,
        checks: { store: 'up', kms: 'up', s3: 'up' } as const,
        ...(details ? { details } : {}),
      },
      200,
    );
  });
  app.openapi(docsRoute, (c) => {
    const nonce = randomBytes(16).toString('base64');
    c.set('cspNonce', nonce);
    return c.html(apiDocsPage(nonce), 200);
  });
  return app;
}
